import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import type { Activities } from '../../activities';
import { loadConfig } from '../../config/load';
import type { GongflowConfig } from '../../config/schema';
import { announceEmulator } from '../../connections/local-emulator';
import { StaticConnectionRegistry } from '../../connections/registry';
import { startEmulator, type EmulatorOptions, type GongEmulator } from '../../emulator';
import { createGongflowClient } from '../../runs/client';
import { resolveTemporal, type TemporalEndpoint } from '../../temporal/connection';
import type { Cipher } from '../../workers/payload-codec';
import { createGongflowWorker, type GongflowWorker } from '../../workers/worker';
import { visibilityString } from '../../core/visibility';

/**
 * What an integration test needs, wired exactly as `gongflow dev` wires it: the shared dev server (via
 * TEMPORAL_ADDRESS), an in-process Gong emulator, a worker on its own task queue, and a client, both
 * encrypting payloads with the key generated into the engine's own data folder (gongflow's default) unless
 * told otherwise. Options serve the tests that need more (interpreter: blob threshold, a given cipher) and
 * the benchmarks (bench/setup.ts: configuration, emulator limits, a workflow bundle with a baseline).
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

export interface TestEngineOptions {
  /**
   * Payload encryption on worker and client. Default: gongflow's default, a key generated into the
   * engine's data folder (off while GONGFLOW_RECORD_HISTORIES=1: recorded histories replay without keys).
   * `null`: off.
   */
  cipher?: Cipher | null;
  /** Results above this many JSON bytes go to the blob store (default: the worker's). */
  blobThresholdBytes?: number;
  /** Adjusts the configuration the worker runs with (e.g. `gong.budget`). */
  configure?: (config: GongflowConfig) => GongflowConfig;
  /** Options of the in-process Gong emulator (e.g. `rateLimits` of its default company). */
  emulator?: Omit<EmulatorOptions, 'port'>;
  /** Workflow entry point the worker bundles (default: gongflow's workflows). */
  workflowsPath?: string;
  /** Activities that replace the real ones by name (an http activity with a resolver of the test's own). */
  activities?: Partial<Activities>;
  /** Workflows in this process's main thread (benchmarks measuring the heap of cached runs). */
  sandboxInMainThread?: boolean;
  /** A Temporal server of the test's own (e.g. started with dynamic config); default: the shared one. */
  temporalAddress?: string;
}

/** An emulated company's key credentials, as the emulator's admin API returns them. */
export interface EmulatedCompanyKey {
  apiBaseUrl: string;
  accessKey: string;
  accessKeySecret: string;
}

/** Registers a key connection to an emulated company under `id` (what a customer's connection would be). */
export function registerEmulatedCompany(
  connections: StaticConnectionRegistry,
  id: string,
  company: EmulatedCompanyKey,
): void {
  connections.register({
    id,
    type: 'key',
    baseUrl: company.apiBaseUrl,
    accessKey: company.accessKey,
    accessKeySecret: company.accessKeySecret,
  });
}

/** What the tests' workers let http steps reach: the test's own servers on 127.0.0.1. */
export const TEST_HTTP_ALLOW = ['127.0.0.1'];

export async function startTestEngine(options: TestEngineOptions = {}): Promise<TestEngine> {
  const loaded = loadConfig({
    cwd: '/nonexistent-gongflow-test-cwd',
    env: { TEMPORAL_ADDRESS: options.temporalAddress ?? process.env['TEMPORAL_ADDRESS'] },
  });
  // Tests serve http steps (and the emulator) on 127.0.0.1, which gongflow refuses by default: allow it, as
  // an operator would for an internal host. Tests of the default policy configure the list away.
  const testConfig = { ...loaded.config, httpSteps: { ...loaded.config.httpSteps, allow: TEST_HTTP_ALLOW } };
  const config = options.configure ? options.configure(testConfig) : testConfig;
  const endpoint = await resolveTemporal(loaded);
  const emulator = await startEmulator({ ...options.emulator, port: 0 });
  const connections = new StaticConnectionRegistry();
  connections.register({
    id: 'emulator',
    type: 'key',
    baseUrl: emulator.defaultCompany.apiBaseUrl,
    accessKey: emulator.defaultCompany.accessKey,
    accessKeySecret: emulator.defaultCompany.accessKeySecret,
  });
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'gongflow-test-'));
  // As `gongflow dev` does: CLI processes run with this data folder know the "emulator" connection.
  announceEmulator(dataDir, {
    baseUrl: emulator.defaultCompany.apiBaseUrl,
    accessKey: emulator.defaultCompany.accessKey,
    accessKeySecret: emulator.defaultCompany.accessKeySecret,
  });
  const cipher =
    options.cipher !== undefined
      ? options.cipher
      : process.env['GONGFLOW_RECORD_HISTORIES'] === '1'
        ? null
        : undefined;
  const taskQueue = `test-${randomUUID()}`;
  const worker = await createGongflowWorker({
    endpoint,
    config,
    connections,
    taskQueue,
    logLevel: 'WARN',
    dataDir,
    ...(cipher !== undefined ? { cipher } : {}),
    ...(options.blobThresholdBytes !== undefined ? { blobThresholdBytes: options.blobThresholdBytes } : {}),
    ...(options.workflowsPath !== undefined ? { workflowsPath: options.workflowsPath } : {}),
    ...(options.activities !== undefined ? { activities: options.activities } : {}),
    ...(options.sandboxInMainThread ? { sandboxInMainThread: true } : {}),
  });
  const running = worker.run();
  const clientHandle = await createGongflowClient({
    endpoint,
    config,
    dataDir,
    ...(cipher !== undefined ? { cipher } : {}),
  });
  const client = clientHandle.client;
  return {
    endpoint,
    config,
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
      await clientHandle.close();
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
    query: `TaskQueue = ${visibilityString(taskQueue)} AND ExecutionStatus = 'Running'`,
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
