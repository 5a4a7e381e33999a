/**
 * Memory a worker spends per run it keeps cached (`npx tsx bench/cached-run-memory.bench.ts [--runs 400]`):
 * one worker (in this process) with a cache larger than the runs, `--runs` gongflow pollers deployed idle (1 h
 * interval, each doing its deploy-time baseline poll), then as many bare timer loops (`sleep` forever, the
 * baseline: the least a cached workflow can hold); this process's resident memory after each, once the last
 * one has reached its wait. Sets `CACHED_RUN_MIB` (workers/workflow-cache.ts), the default cache's budget.
 */
import path from 'node:path';
import type { Client } from '@temporalio/client';
import { deployTriggers } from '../triggers/deploy';
import { pollerWorkflowId } from '../triggers/ids';
import { recordingPlan } from '../test/triggers/support';
import { CACHED_RUN_MIB } from '../workers/workflow-cache';
import { loadAverage, reportBenchmark } from './sections';
import { argument, registerKeyConnections, runBenchmark, startBenchEngine } from './setup';

const RUNS = Number(argument('runs') ?? 400);
const HOUR_MS = 3_600_000;
const CONCURRENCY = 16;

const rssMb = () => process.memoryUsage().rss / 1e6;
const log = (message: string) => process.stderr.write(`[cached-run-memory] ${message}\n`);

async function each<T>(items: readonly T[], task: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < items.length) await task(items[next++]!);
    }),
  );
}

/** Until the workflow's history has `events` events (its first wait reached): a condition, not a sleep. */
async function reached(client: Client, workflowId: string, events: number): Promise<void> {
  for (;;) {
    if ((await client.workflow.getHandle(workflowId).describe()).historyLength >= events) return;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/** RSS once the heap has settled: the lowest of a few readings a second apart (garbage collected between). */
async function settledRss(): Promise<number> {
  const readings: number[] = [];
  for (let index = 0; index < 5; index++) {
    readings.push(rssMb());
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
  return Math.min(...readings);
}

async function main(): Promise<void> {
  const engine = await startBenchEngine({
    workflowsPath: path.join(__dirname, 'trigger-scale', 'workflows.ts'),
    configure: (config) => ({ ...config, worker: { ...config.worker, maxCachedWorkflows: RUNS * 3 } }),
  });
  const client = engine.client;
  const startLoad = loadAverage();
  try {
    const empty = await settledRss();
    const plan = recordingPlan('cached-memory', [{ kind: 'gong.call.new', settings: { every: HOUR_MS } }]);
    const connections = registerKeyConnections(engine, 'cached-memory', RUNS);
    log(`deploying ${RUNS} pollers`);
    await each(connections, (id) =>
      deployTriggers(client, { plan, connectionId: id, taskQueue: engine.taskQueue }),
    );
    const pollers = connections.map((id) => pollerWorkflowId(plan.name, 'gong.call.new', id));
    await reached(client, pollers.at(-1)!, 11);
    const withPollers = await settledRss();
    log(`starting ${RUNS} bare timer loops`);
    const loops = Array.from({ length: RUNS }, (_, index) => `cached-memory-loop-${index}`);
    await each(loops, (id) =>
      client.workflow.start('bareTimerLoop', {
        workflowId: id,
        taskQueue: engine.taskQueue,
        args: [HOUR_MS],
      }),
    );
    await reached(client, loops.at(-1)!, 5);
    const withLoops = await settledRss();
    await each([...pollers, ...loops], (id) =>
      client.workflow
        .getHandle(id)
        .terminate('cached-run-memory bench done')
        .catch(() => undefined),
    );
    const perPoller = (withPollers - empty) / RUNS;
    const perLoop = (withLoops - withPollers) / RUNS;
    reportBenchmark(
      'Cached run memory',
      `Load average ${startLoad} at the start.

\`npx tsx bench/cached-run-memory.bench.ts --runs ${RUNS}\`: one worker (in the benchmark's process, cache larger
than the runs), ${RUNS} gongflow pollers deployed idle (1 h interval, after their baseline poll), then ${RUNS} bare
timer loops (\`sleep\` forever: the least a cached workflow holds); the process's resident memory (lowest of 5
readings a second apart) before and after each.

| cached run       | RSS per run vs bare loop | RSS per run | RSS before → after (MB) |
| ---------------- | ------------------------ | ----------- | ----------------------- |
| gongflow poller  | **${(perPoller / perLoop).toFixed(2)}×** | ${perPoller.toFixed(2)} MB | ${empty.toFixed(0)} → ${withPollers.toFixed(0)} |
| bare timer loop  | **1.00×** | ${perLoop.toFixed(2)} MB | ${withPollers.toFixed(0)} → ${withLoops.toFixed(0)} |

A worker without \`worker.maxCachedWorkflows\` caches as many runs as fit in its heap limit at ${CACHED_RUN_MIB} MiB each
(\`workers/workflow-cache.ts\`), ${((CACHED_RUN_MIB * 1.048576) / Math.max(perPoller, perLoop)).toFixed(1)}× the larger figure here; Temporal's own default assumes ~1.7 MB,
which a worker holding ~2,000 pollers and loops outgrew ("Trigger scale").`,
    );
  } finally {
    await engine.close();
  }
}

runBenchmark(main);
