/**
 * A worker process of the multi-company benchmark: one key connection per emulated company, read from the
 * JSON file named by GONGFLOW_BENCH_CONNECTIONS ([{ id, baseUrl, accessKey, accessKeySecret }]). With
 * GONGFLOW_BENCH_BUDGET=off its Gong actions reserve no budget slot: the ceiling, the same runs with every
 * request sent at once. Otherwise its Gong actions take their slots from gongflow's budget (with
 * GONGFLOW_BENCH_LEASES=off, never from a company lease: every call reserves from its shard), and the wait of
 * each for its slot is written, on SIGTERM, to the JSON file named by GONGFLOW_BENCH_WAITS (SlotWait[]).
 * As test/support/worker-process.ts otherwise (TEMPORAL_ADDRESS, GONGFLOW_TASK_QUEUE, GONGFLOW_DATA_DIR,
 * GONGFLOW_CONFIG); prints "ready" once polling.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createActivities } from '../../activities';
import { LocalFileBlobStore } from '../../activities/blob-store';
import { loadConfig } from '../../config/load';
import { StaticConnectionRegistry } from '../../connections/registry';
import { TemporalGongBudget } from '../../gong/budget/temporal-budget';
import { createGongflowClient } from '../../runs/client';
import { resolveTemporal } from '../../temporal/connection';
import { budgetSettings, createGongflowWorker } from '../../workers/worker';
import { DEFAULT_BLOB_THRESHOLD_BYTES } from '../../workflows/interpreter/blob-ref';
import { MeasuredBudget } from './measured-budget';

export interface BenchConnection {
  id: string;
  baseUrl: string;
  accessKey: string;
  accessKeySecret: string;
}

async function main(): Promise<void> {
  const env = process.env;
  const loaded = loadConfig({
    cwd: '/nonexistent-gongflow-bench-cwd',
    env: {
      TEMPORAL_ADDRESS: env['TEMPORAL_ADDRESS'],
      GONGFLOW_DATA_DIR: env['GONGFLOW_DATA_DIR'],
      GONGFLOW_CONFIG: env['GONGFLOW_CONFIG'],
    },
  });
  const endpoint = await resolveTemporal(loaded);
  const connections = new StaticConnectionRegistry();
  const file = env['GONGFLOW_BENCH_CONNECTIONS'] ?? '';
  for (const connection of JSON.parse(readFileSync(file, 'utf8')) as BenchConnection[])
    connections.register({ type: 'key', ...connection });
  const taskQueue = env['GONGFLOW_TASK_QUEUE'] ?? 'bench';
  // The ceiling reserves nothing, so only the budget side needs a client of its own for the budget shards.
  const temporal =
    env['GONGFLOW_BENCH_BUDGET'] === 'off'
      ? undefined
      : await createGongflowClient({ endpoint, config: loaded.config, dataDir: loaded.dataDir });
  // The limits a worker sends its shard; leases are set by the bench below.
  const budgetLimits = budgetSettings(loaded.config.gong.budget).limits;
  const measured = temporal
    ? new MeasuredBudget(
        new TemporalGongBudget(temporal.client, taskQueue, budgetLimits, {
          leases: env['GONGFLOW_BENCH_LEASES'] !== 'off',
          ...(env['GONGFLOW_BENCH_LEASE_MS'] ? { leaseMs: Number(env['GONGFLOW_BENCH_LEASE_MS']) } : {}),
        }),
      )
    : undefined;
  const activities = createActivities({
    connections,
    requestTimeoutMs: loaded.config.gong.requestTimeoutMs,
    blobs: {
      store: new LocalFileBlobStore(path.join(loaded.dataDir, 'blobs')),
      thresholdBytes: DEFAULT_BLOB_THRESHOLD_BYTES,
    },
    ...(measured ? { budget: measured } : {}),
  });
  const worker = await createGongflowWorker({
    endpoint,
    config: loaded.config,
    connections,
    taskQueue,
    logLevel: 'WARN',
    dataDir: loaded.dataDir,
    activities: { runGongAction: (args) => activities.runGongAction(args) },
  });
  const running = worker.run();
  process.once('SIGTERM', () => void worker.shutdown());
  process.stdout.write('ready\n');
  await running;
  const waitsFile = env['GONGFLOW_BENCH_WAITS'];
  if (measured && waitsFile) writeFileSync(waitsFile, JSON.stringify(measured.waits));
  await temporal?.close();
}

main().catch((error: unknown) => {
  process.stderr.write(`bench worker failed: ${String(error)}\n`);
  process.exit(1);
});
