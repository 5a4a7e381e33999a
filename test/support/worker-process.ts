/**
 * A gongflow worker in its own process, for tests that need several workers (budget, token storms).
 * Configured by environment: TEMPORAL_ADDRESS, GONGFLOW_TASK_QUEUE, GONGFLOW_DATA_DIR (the project data
 * folder: its generated encryption key is shared with the test's client), and one key-based connection
 * `emulator` from GONG_BASE_URL, GONG_ACCESS_KEY, GONG_ACCESS_KEY_SECRET; optionally the company's rate
 * limit (GONGFLOW_TEST_BUDGET_PER_SECOND), shutdown grace time (GONGFLOW_TEST_SHUTDOWN_GRACE_MS), log level
 * (GONGFLOW_TEST_WORKER_LOG_LEVEL) and a temporal.yaml (GONGFLOW_CONFIG, e.g. worker.maxCachedWorkflows).
 * Prints "ready" once polling,
 * and stops cleanly on SIGTERM.
 */
import { loadConfig } from '../../config/load';
import { StaticConnectionRegistry } from '../../connections/registry';
import { resolveTemporal } from '../../temporal/connection';
import { createGongflowWorker } from '../../workers/worker';

async function main(): Promise<void> {
  const env = process.env;
  const loaded = loadConfig({
    cwd: '/nonexistent-gongflow-test-cwd',
    env: {
      TEMPORAL_ADDRESS: env['TEMPORAL_ADDRESS'],
      GONGFLOW_DATA_DIR: required('GONGFLOW_DATA_DIR'),
      // A temporal.yaml of the caller's (benchmarks set worker options in it).
      GONGFLOW_CONFIG: env['GONGFLOW_CONFIG'],
    },
  });
  const endpoint = await resolveTemporal(loaded);
  const connections = new StaticConnectionRegistry();
  connections.register({
    id: 'emulator',
    type: 'key',
    baseUrl: required('GONG_BASE_URL'),
    accessKey: required('GONG_ACCESS_KEY'),
    accessKeySecret: required('GONG_ACCESS_KEY_SECRET'),
  });
  // A company whose limit is raised (tests that must not take minutes at 3 calls/s).
  const perSecond = Number(
    env['GONGFLOW_TEST_BUDGET_PER_SECOND'] ?? loaded.config.gong.budget.requestsPerSecond,
  );
  const config = {
    ...loaded.config,
    // The test's http servers are on 127.0.0.1, which the default policy refuses.
    httpSteps: { ...loaded.config.httpSteps, allow: ['127.0.0.1'] },
    gong: { ...loaded.config.gong, budget: { ...loaded.config.gong.budget, requestsPerSecond: perSecond } },
    worker: {
      ...loaded.config.worker,
      shutdownGraceTimeMs: Number(
        env['GONGFLOW_TEST_SHUTDOWN_GRACE_MS'] ?? loaded.config.worker.shutdownGraceTimeMs,
      ),
    },
  };
  const worker = await createGongflowWorker({
    endpoint,
    config,
    connections,
    taskQueue: required('GONGFLOW_TASK_QUEUE'),
    logLevel: (env['GONGFLOW_TEST_WORKER_LOG_LEVEL'] as 'WARN' | undefined) ?? 'WARN',
    dataDir: loaded.dataDir,
  });
  const running = worker.run();
  process.once('SIGTERM', () => void worker.shutdown());
  process.stdout.write('ready\n');
  await running;
}

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is required`);
  return value;
}

main().catch((error: unknown) => {
  process.stderr.write(`worker process failed: ${String(error)}\n`);
  process.exit(1);
});
