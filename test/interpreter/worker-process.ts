/**
 * A gongflow worker in its own process, so a test can kill it with SIGKILL mid-run.
 * Usage: node -r tsx/cjs test/interpreter/worker-process.ts <taskQueue> <dataDir>; prints "ready" when polling.
 */
import { loadConfig } from '../../config/load';
import { StaticConnectionRegistry } from '../../connections/registry';
import { resolveTemporal } from '../../temporal/connection';
import { createGongflowWorker } from '../../workers/worker';

async function main(): Promise<void> {
  const [taskQueue, dataDir] = process.argv.slice(2);
  if (!taskQueue || !dataDir) throw new Error('usage: worker-process.ts <taskQueue> <dataDir>');
  const loaded = loadConfig({
    cwd: '/nonexistent-gongflow-test-cwd',
    env: { TEMPORAL_ADDRESS: process.env['TEMPORAL_ADDRESS'] },
  });
  const endpoint = await resolveTemporal(loaded);
  const worker = await createGongflowWorker({
    endpoint,
    // The test's http servers are on 127.0.0.1, which the default policy refuses.
    config: { ...loaded.config, httpSteps: { ...loaded.config.httpSteps, allow: ['127.0.0.1'] } },
    connections: new StaticConnectionRegistry(),
    taskQueue,
    logLevel: 'ERROR',
    dataDir, // the test engine's: the same generated encryption key
  });
  const running = worker.run();
  process.stdout.write('ready\n');
  await running;
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
