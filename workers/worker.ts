import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker, type LogLevel } from '@temporalio/worker';
import type { BudgetLimits } from '../gong/budget/reservation';
import { TemporalGongBudget } from '../gong/budget/temporal-budget';
import path from 'node:path';
import { installWorkerRuntime } from './runtime';
import { createActivities, type Activities } from '../activities';
import type { BlobSettings } from '../activities/blob-store';
import { createBlobStore } from '../activities/blob-stores';
import { ensureBlobRetentionSchedule } from './blob-retention-schedule';
import { DEFAULT_BLOB_THRESHOLD_BYTES } from '../workflows/interpreter/blob-ref';
import { dataConverterFor, resolveCipher, type Cipher } from './payload-codec';
import type { GongflowConfig } from '../config/schema';
import type { ConnectionResolver } from '../connections/registry';
import type { TemporalEndpoint } from '../temporal/connection';
import { explainConnectionFailure } from '../temporal/connection-errors';
import { workflowBundle } from './bundle';
import {
  OpenTelemetryActivityInboundInterceptor,
  OpenTelemetryActivityOutboundInterceptor,
} from '@temporalio/interceptors-opentelemetry/lib/worker';
import { installTracing, flushTracing } from '../observability/tracing';
import { recordBudgetLeft } from '../observability/budget-left';
import { workerSinks } from './sinks';
import { activityLogContext } from './activity-log-context';
import { defaultMaxCachedWorkflows } from './workflow-cache';
import { ACTIVITY_HEARTBEAT_INTERVAL_MS, STICKY_TASK_TIMEOUT_MS } from '../core/heartbeats';

export interface GongflowWorkerOptions {
  endpoint: Pick<TemporalEndpoint, 'connectionOptions' | 'namespace'>;
  config: GongflowConfig;
  connections: ConnectionResolver;
  /** Override the configured task queue (tests use one per file). */
  taskQueue?: string;
  /** Override the configured log level (`gongflow dev` and tests keep the console quiet). */
  logLevel?: LogLevel;
  /** `gongflow dev`: leave out the SDK's per-run failure lines, which its console already shows (see runtime.ts). */
  omitRunFailures?: boolean;
  /** Absolute data folder (blobs, generated keys); default: config.dataDir against the working directory. */
  dataDir?: string;
  /** Payload encryption; default: from config.encryption and GONGFLOW_ENCRYPTION_KEYS. `null`: off. */
  cipher?: Cipher | null;
  /** Results above this many JSON bytes go to the blob store (default 128 KB). */
  blobThresholdBytes?: number;
  /** Workflow entry point to bundle (default workflows/index.ts; benchmarks add a baseline workflow to it). */
  workflowsPath?: string;
  /** Activities that replace the real ones by name (`gongflow test` answers Gong and HTTP steps from fixtures). */
  activities?: Partial<Activities>;
  /**
   * Benchmarks: run workflows in this process's main thread (Temporal's `debugMode`, with the same reusable
   * sandbox as workflow threads), so the heap the process measures is the one its cached runs fill.
   */
  sandboxInMainThread?: boolean;
  /** Create or update the blob retention schedule (default true; `gongflow test` runs on a throwaway queue). */
  blobRetentionSchedule?: boolean;
}

export interface GongflowWorker {
  worker: Worker;
  connection: NativeConnection;
  taskQueue: string;
  /** Runs until `shutdown()`; resolves when the worker has stopped. */
  run(): Promise<void>;
  shutdown(): Promise<void>;
}

/** A worker that runs orchestrations and their Gong activities on one task queue. */
export async function createGongflowWorker(options: GongflowWorkerOptions): Promise<GongflowWorker> {
  installWorkerRuntime({
    logLevel: options.logLevel ?? options.config.worker.logLevel,
    logFormat: options.config.worker.logFormat,
    sdkMetricsAddress: options.config.worker.sdkMetricsAddress,
    omitRunFailures: options.omitRunFailures ?? false,
  });
  installTracing();
  const taskQueue = options.taskQueue ?? options.config.worker.taskQueue;
  const dataDir = options.dataDir ?? path.resolve(options.config.dataDir);
  const cipher = resolveCipher(options.cipher, options.config.encryption, dataDir);
  const connectionOptions = options.endpoint.connectionOptions;
  // A refused certificate or API key becomes an error that names the setting to fix.
  const explained = async (error: unknown): Promise<never> => {
    throw await explainConnectionFailure(error, connectionOptions);
  };
  const connection = await NativeConnection.connect(connectionOptions).catch(explained);
  // Activities reserve Gong budget slots through the budget workflow, so they need a client too.
  const clientConnection = await Connection.connect(connectionOptions).catch(async (error: unknown) => {
    await connection.close();
    return explained(error);
  });
  // One data converter for the worker, its activities' client (trigger starts) and the budget's client.
  const dataConverter = dataConverterFor(cipher);
  const client = new Client({
    connection: clientConnection,
    namespace: options.endpoint.namespace,
    dataConverter,
  });
  const blobs: BlobSettings = {
    store: createBlobStore(options.config.blobs, dataDir),
    thresholdBytes: options.blobThresholdBytes ?? DEFAULT_BLOB_THRESHOLD_BYTES,
    ...(cipher
      ? {
          seal: (data) => Promise.resolve(cipher.seal(data)),
          unseal: (data) => Promise.resolve(cipher.unseal(data)),
        }
      : {}),
  };
  // The retention sweep is a Temporal Schedule: it runs once per interval for the whole fleet.
  if (options.blobRetentionSchedule !== false) {
    await ensureBlobRetentionSchedule(client, taskQueue, options.config.blobs);
  }
  // Aborted as shutdown begins: requests still waiting for a budget slot give it back to the workers that
  // take over, instead of holding it through the grace time, and so do the budget's company leases.
  const stopping = new AbortController();
  const worker = await Worker.create({
    connection,
    namespace: options.endpoint.namespace,
    taskQueue,
    workflowBundle: await workflowBundle(options.workflowsPath),
    ...(options.sandboxInMainThread ? { debugMode: true, reuseV8Context: true } : {}),
    dataConverter,
    // Spans of workflows (from the sandbox, through the sink) and activities, continuing the run's trace.
    // Runs begun and ended, by definition and status (never counted again on replay).
    sinks: workerSinks(),
    interceptors: {
      activity: [
        (context) => ({
          inbound: new OpenTelemetryActivityInboundInterceptor(context),
          outbound: new OpenTelemetryActivityOutboundInterceptor(context),
        }),
        activityLogContext,
      ],
    },
    activities: {
      ...createActivities({
        connections: options.connections,
        requestTimeoutMs: options.config.gong.requestTimeoutMs,
        httpSteps: options.config.httpSteps,
        blobs,
        budget: budgetOf(client, taskQueue, options.config.gong.budget, stopping.signal),
        shuttingDown: stopping.signal,
      }),
      ...options.activities,
    },
    maxConcurrentActivityTaskExecutions: options.config.worker.maxConcurrentActivityTaskExecutions,
    maxConcurrentWorkflowTaskExecutions: options.config.worker.maxConcurrentWorkflowTaskExecutions,
    maxCachedWorkflows:
      options.config.worker.maxCachedWorkflows ??
      defaultMaxCachedWorkflows(options.config.worker.maxConcurrentWorkflowTaskExecutions),
    shutdownGraceTime: options.config.worker.shutdownGraceTimeMs,
    // Every heartbeat of a running activity reaches Temporal well within the short heartbeat timeout.
    maxHeartbeatThrottleInterval: ACTIVITY_HEARTBEAT_INTERVAL_MS,
    // A workflow task of a workflow cached on a worker that died waits this long on that worker's queue before
    // another takes it (default 10 s): the Gong budget's reservations, so every Gong call of a killed worker's
    // work, waited that long on top of the heartbeat timeout. A live worker starts its tasks within ms.
    stickyQueueScheduleToStartTimeout: STICKY_TASK_TIMEOUT_MS,
  });
  let running: Promise<void> | undefined;
  return {
    worker,
    connection,
    taskQueue,
    run() {
      running ??= worker.run().finally(async () => {
        blobs.store.close?.();
        await flushTracing();
        await connection.close();
        await clientConnection.close();
      });
      return running;
    },
    async shutdown() {
      stopping.abort(new Error('the worker is shutting down'));
      if (worker.getState() === 'RUNNING') worker.shutdown();
      if (running) await running;
      else {
        blobs.store.close?.();
        await connection.close();
        await clientConnection.close();
      }
    },
  };
}

/** The fleet's per-company Gong budget as this worker uses it (`gong/budget/`). */
function budgetOf(
  client: Client,
  taskQueue: string,
  config: GongflowConfig['gong']['budget'],
  shuttingDown: AbortSignal,
): TemporalGongBudget {
  const { limits, leases } = budgetSettings(config);
  return new TemporalGongBudget(client, taskQueue, limits, {
    onLeftToday: (company, atMs, left) => recordBudgetLeft(company, atMs, left, limits.requestsPerDay),
    shuttingDown,
    ...leases,
  });
}

/** The budget's limits and lease options from `gong.budget` (companyLeaseMs 0: no leases). */
export function budgetSettings(config: GongflowConfig['gong']['budget']): {
  limits: BudgetLimits;
  leases: { leases: boolean; leaseMs?: number };
} {
  const { requestsPerSecond, requestsPerDay, companyLeaseMs } = config;
  return {
    limits: { requestsPerSecond, requestsPerDay },
    leases: companyLeaseMs > 0 ? { leases: true, leaseMs: companyLeaseMs } : { leases: false },
  };
}
