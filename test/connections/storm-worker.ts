/**
 * One worker process of the refresh storm test (storm.test.ts spawns three): a normal gongflow worker
 * whose connections resolver is the composite one, configured from STORM_WORKER (JSON) in the env.
 */
import { loadConfig } from '../../config/load';
import type { GongflowConfig } from '../../config/schema';
import { createConnectionsRuntime } from '../../connections/runtime';
import { SecretBox } from '../../connections/secrets';
import { createGongflowClient } from '../../runs/client';
import { resolveTemporal } from '../../temporal/connection';
import { dataConverterFor, loadCipher } from '../../workers/payload-codec';
import { NativeConnection, Worker } from '@temporalio/worker';
import { createActivities } from '../../activities';
import { workflowBundle } from '../../workers/bundle';
import { installWorkerRuntime } from '../../workers/runtime';

interface StormWorkerSettings {
  taskQueue: string;
  secretsKey: string;
  clientId: string;
  clientSecret: string;
  authorizeUrl: string;
  tokenUrl: string;
  dataDir: string;
}

async function main(): Promise<void> {
  const settings = JSON.parse(process.env['STORM_WORKER'] ?? '{}') as StormWorkerSettings;
  const loaded = loadConfig({
    cwd: '/nonexistent-gongflow-test-cwd',
    env: { TEMPORAL_ADDRESS: process.env['TEMPORAL_ADDRESS'] },
  });
  const config: GongflowConfig = {
    ...loaded.config,
    gong: {
      ...loaded.config.gong,
      budget: { ...loaded.config.gong.budget, requestsPerSecond: 1_000, requestsPerDay: 10_000_000 },
      oauthApp: {
        clientId: settings.clientId,
        clientSecret: settings.clientSecret,
        authorizeUrl: settings.authorizeUrl,
        tokenUrl: settings.tokenUrl,
        scopes: ['api:users:read'],
      },
    },
  };
  const endpoint = await resolveTemporal(loaded);
  // The harness's data folder: the same generated encryption key as the client that starts the runs.
  const temporal = await createGongflowClient({ endpoint, config, dataDir: settings.dataDir });
  const { client } = temporal;
  const dataConverter = dataConverterFor(
    loadCipher({ settings: config.encryption, dataDir: settings.dataDir }),
  );
  const runtime = createConnectionsRuntime({
    config,
    dataDir: settings.dataDir,
    client,
    taskQueue: settings.taskQueue,
    secrets: new SecretBox(Buffer.from(settings.secretsKey, 'base64')),
  });
  // Built like workers/worker.ts but without the fleet-wide Gong budget: this test is about token
  // refreshes, and 150 runs would otherwise queue for minutes behind Gong's 3 requests/s.
  installWorkerRuntime({ logLevel: 'WARN' });
  const native = await NativeConnection.connect(endpoint.connectionOptions);
  const worker = await Worker.create({
    connection: native,
    namespace: endpoint.namespace,
    taskQueue: settings.taskQueue,
    workflowBundle: await workflowBundle(),
    dataConverter,
    activities: createActivities({
      connections: runtime.resolver,
      requestTimeoutMs: config.gong.requestTimeoutMs,
    }),
    maxConcurrentActivityTaskExecutions: 200,
    maxConcurrentWorkflowTaskExecutions: 100,
  });
  const running = worker.run().finally(() => native.close());
  process.stdout.write('storm-worker ready\n');
  const stop = (): void => worker.shutdown();
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  await running;
  await temporal.close().catch(() => undefined);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `storm-worker failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
