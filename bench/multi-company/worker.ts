/**
 * A worker process of the multi-company benchmark: one key connection per emulated company, read from the
 * JSON file named by GONGFLOW_BENCH_CONNECTIONS ([{ id, baseUrl, accessKey, accessKeySecret }]). With
 * GONGFLOW_BENCH_BUDGET=off its Gong actions reserve no budget slot: the ceiling, the same runs with every
 * request sent at once. Otherwise as test/support/worker-process.ts (TEMPORAL_ADDRESS, GONGFLOW_TASK_QUEUE,
 * GONGFLOW_DATA_DIR, GONGFLOW_CONFIG); prints "ready" once polling, stops on SIGTERM.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createActivities } from '../../activities';
import { LocalFileBlobStore } from '../../activities/blob-store';
import { loadConfig } from '../../config/load';
import { StaticConnectionRegistry } from '../../connections/registry';
import { resolveTemporal } from '../../temporal/connection';
import { createGongflowWorker } from '../../workers/worker';
import { DEFAULT_BLOB_THRESHOLD_BYTES } from '../../workflows/interpreter/blob-ref';

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
  const withoutBudget =
    env['GONGFLOW_BENCH_BUDGET'] === 'off'
      ? createActivities({
          connections,
          requestTimeoutMs: loaded.config.gong.requestTimeoutMs,
          blobs: {
            store: new LocalFileBlobStore(path.join(loaded.dataDir, 'blobs')),
            thresholdBytes: DEFAULT_BLOB_THRESHOLD_BYTES,
          },
        })
      : undefined;
  const worker = await createGongflowWorker({
    endpoint,
    config: loaded.config,
    connections,
    taskQueue: env['GONGFLOW_TASK_QUEUE'] ?? 'bench',
    logLevel: 'WARN',
    dataDir: loaded.dataDir,
    ...(withoutBudget ? { activities: { runGongAction: (args) => withoutBudget.runGongAction(args) } } : {}),
  });
  const running = worker.run();
  process.once('SIGTERM', () => void worker.shutdown());
  process.stdout.write('ready\n');
  await running;
}

main().catch((error: unknown) => {
  process.stderr.write(`bench worker failed: ${String(error)}\n`);
  process.exit(1);
});
