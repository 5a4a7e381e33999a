import type { Client } from '@temporalio/client';
import type { GongflowConfig } from '../config/schema';
import { CompositeConnectionResolver } from './composite';
import { oauthRuntimeFromConfig } from './oauth-runtime';
import { StaticConnectionRegistry } from './registry';
import { SecretBox } from './secrets';
import { TemporalConnections } from './temporal-connections';

export interface ConnectionsRuntime {
  secrets: SecretBox;
  configured: StaticConnectionRegistry;
  durable: TemporalConnections;
  /** What activities and run starts use: temporal.yaml keys first, then Temporal. */
  resolver: CompositeConnectionResolver;
}

/** Wires connections for a process (worker, API server, CLI) from the loaded configuration. */
export function createConnectionsRuntime(input: {
  config: GongflowConfig;
  /** Absolute data folder (LoadedConfig.dataDir): holds the generated secrets key on one machine. */
  dataDir: string;
  client: Client;
  taskQueue?: string;
  secrets?: SecretBox;
  env?: NodeJS.ProcessEnv;
}): ConnectionsRuntime {
  const secrets =
    input.secrets ??
    SecretBox.fromEnvironment({ dataDir: input.dataDir, ...(input.env ? { env: input.env } : {}) });
  const configured = StaticConnectionRegistry.fromConfig(input.config).withAnnouncedEmulator(input.dataDir);
  const durable = new TemporalConnections({
    client: input.client,
    secrets,
    taskQueue: input.taskQueue ?? input.config.worker.taskQueue,
    oauth: oauthRuntimeFromConfig(input.config, secrets),
  });
  return { secrets, configured, durable, resolver: new CompositeConnectionResolver(configured, durable) };
}
