import path from 'node:path';
import type { Client } from '@temporalio/client';
import type { GongflowConfig } from '../config/schema';
import { CONNECTION_SETTINGS_WORKFLOW_ID } from '../workflows/connection-settings';
import { AppSettingsStore } from './app-settings';
import { CompositeConnectionResolver } from './composite';
import { ConnectLinks, type SignedConnectLink } from './connect-link';
import { ConnectionSecrets } from './connection-secrets';
import { GongInstallFlow } from './install';
import type { ConnectionSummary } from './model';
import type { ConnectionResolver, StaticConnectionRegistry } from './registry';
import { createConnectionsRuntime } from './runtime';
import type { SecretBox } from './secrets';
import type { TemporalConnections } from './temporal-connections';

export const CALLBACK_PATH = '/connect/gong/callback';

/** Everything the HTTP API and the CLI need to manage connections. */
export interface ConnectionServices {
  durable: TemporalConnections;
  configured: StaticConnectionRegistry | undefined;
  secrets: SecretBox;
  settings: AppSettingsStore;
  install: GongInstallFlow;
  /** Signed, expiring links to the connect page: the only way in to it. */
  links: ConnectLinks;
  /**
   * A connect link for a customer whose OAuth app is configured: without one the customer would land on
   * an error page meant for the operator, so the operator hears it now (OAUTH_APP_NOT_CONFIGURED).
   */
  createConnectLink(input: Parameters<ConnectLinks['create']>[0]): Promise<SignedConnectLink>;
  /** Named secrets of connections (http steps read them before the operator-wide ones). */
  namedSecrets: ConnectionSecrets;
  /** Durable connections plus the ones from temporal.yaml (source `config`, read-only). */
  list(): Promise<(ConnectionSummary & { source: 'temporal' | 'config' })[]>;
}

export function connectionServices(input: {
  config: GongflowConfig;
  client: Client;
  taskQueue: string;
  /** The process's resolver: a CompositeConnectionResolver is reused (same cache, same key). */
  resolver?: ConnectionResolver;
  dataDir?: string;
  /** Public base URL of the HTTP server (OAuth callback = this + /connect/gong/callback). */
  publicUrl: () => string;
}): ConnectionServices {
  let durable: TemporalConnections;
  let configured: StaticConnectionRegistry | undefined;
  if (input.resolver instanceof CompositeConnectionResolver) {
    durable = input.resolver.durable;
    configured = input.resolver.configured;
  } else {
    const runtime = createConnectionsRuntime({
      config: input.config,
      dataDir: input.dataDir ?? path.resolve(input.config.dataDir),
      client: input.client,
      taskQueue: input.taskQueue,
    });
    durable = runtime.durable;
    configured = runtime.configured;
  }
  const secrets = durable.secretBox;
  const settings = new AppSettingsStore({
    client: input.client,
    secrets,
    taskQueue: input.taskQueue,
    defaultApp: input.config.gong.oauthApp,
    callbackUrl: () => `${input.publicUrl().replace(/\/+$/, '')}${CALLBACK_PATH}`,
    // One settings entity per engine (task queue), so engines sharing a Temporal namespace stay apart.
    workflowId: `${CONNECTION_SETTINGS_WORKFLOW_ID}-${input.taskQueue}`,
  });
  const install = new GongInstallFlow({ connections: durable, settings, secrets });
  const links = new ConnectLinks({ secrets, publicUrl: input.publicUrl });
  return {
    durable,
    configured,
    secrets,
    settings,
    install,
    links,
    namedSecrets: new ConnectionSecrets(durable, configured),
    async createConnectLink(request) {
      await settings.resolve((request.customer ?? request.connectionId).trim());
      return links.create(request);
    },
    async list() {
      const fromTemporal = (await durable.list()).map((summary) => ({
        ...summary,
        source: 'temporal' as const,
      }));
      const fromConfig = (configured?.ids() ?? []).map((id) => ({
        ...configuredSummary(id, configured?.describe(id)),
        source: 'config' as const,
      }));
      return [...fromConfig, ...fromTemporal];
    },
  };
}

function configuredSummary(
  id: string,
  declared: { baseUrl: string; accessKey: string } | undefined,
): ConnectionSummary {
  return {
    id,
    customer: id,
    authType: 'key',
    apiBaseUrl: declared?.baseUrl ?? '',
    scopes: null,
    status: 'active',
    statusReason: null,
    createdAt: '',
    updatedAt: '',
    refreshes: 0,
    accessTokenExpiresAt: null,
    accessKey: declared?.accessKey ?? null,
    clientId: null,
  };
}
