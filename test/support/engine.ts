import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import { loadConfig } from '../../config/load';
import type { GongflowConfig } from '../../config/schema';
import { StaticConnectionRegistry } from '../../connections/registry';
import { startEmulator, type GongEmulator } from '../../emulator';
import { createGongflowClient } from '../../runs/client';
import { resolveTemporal, type TemporalEndpoint } from '../../temporal/connection';
import { createGongflowWorker, type GongflowWorker } from '../../workers/worker';

/**
 * What an integration test needs, wired exactly as `gongflow dev` wires it: the shared dev server (via
 * TEMPORAL_ADDRESS), an in-process Gong emulator, a worker on its own task queue, and a client, both
 * encrypting payloads with the key generated into the engine's own data folder (gongflow's default).
 */
export interface TestEngine {
  endpoint: TemporalEndpoint;
  config: GongflowConfig;
  emulator: GongEmulator;
  connections: StaticConnectionRegistry;
  worker: GongflowWorker;
  client: Client;
  taskQueue: string;
  /** The project data folder: the generated encryption key and blobs live here. */
  dataDir: string;
  close(): Promise<void>;
}

export async function startTestEngine(): Promise<TestEngine> {
  const loaded = loadConfig({
    cwd: '/nonexistent-gongflow-test-cwd',
    env: { TEMPORAL_ADDRESS: process.env['TEMPORAL_ADDRESS'] },
  });
  const endpoint = await resolveTemporal(loaded);
  const emulator = await startEmulator({ port: 0 });
  const connections = new StaticConnectionRegistry();
  connections.register({
    id: 'emulator',
    type: 'key',
    baseUrl: emulator.defaultCompany.apiBaseUrl,
    accessKey: emulator.defaultCompany.accessKey,
    accessKeySecret: emulator.defaultCompany.accessKeySecret,
  });
  const taskQueue = `test-${randomUUID()}`;
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'gongflow-test-'));
  const worker = await createGongflowWorker({
    endpoint,
    config: loaded.config,
    connections,
    taskQueue,
    logLevel: 'WARN',
    dataDir,
  });
  const running = worker.run();
  const temporal = await createGongflowClient({ endpoint, config: loaded.config, dataDir });
  const { client } = temporal;
  return {
    endpoint,
    config: loaded.config,
    emulator,
    connections,
    worker,
    client,
    taskQueue,
    dataDir,
    async close() {
      await terminateLeftovers(client, taskQueue);
      await worker.shutdown();
      await running;
      await temporal.close();
      await emulator.close();
    },
  };
}

/**
 * Ends what a test left running on its task queue (pollers, webhook endpoints, connection entities). Every
 * test file shares one dev server: workflows left behind with no worker make listings wait on them.
 */
async function terminateLeftovers(client: Client, taskQueue: string): Promise<void> {
  const running: string[] = [];
  for await (const execution of client.workflow.list({
    query: `TaskQueue = '${taskQueue}' AND ExecutionStatus = 'Running'`,
  }))
    running.push(execution.workflowId);
  await Promise.all(
    running.map((workflowId) =>
      client.workflow
        .getHandle(workflowId)
        .terminate('test engine closed')
        .catch(() => undefined),
    ),
  );
}
