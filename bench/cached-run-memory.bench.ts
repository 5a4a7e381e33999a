/**
 * Memory a worker spends per run it keeps cached (`npx tsx bench/cached-run-memory.bench.ts [--runs 200]`):
 * one worker in this process, its workflows in the main thread (the same reusable sandbox a workflow thread
 * runs, so this process's heap is the one cached runs fill), a cache larger than the runs. One after the
 * other: `--runs` bare timer loops (`sleep` forever, the baseline: the least a cached workflow can hold),
 * `--runs` orchestration runs waiting for an approval and `--runs` gongflow pollers deployed idle (1 h
 * interval, after their deploy-time baseline poll). After each, once the last run has reached its wait: the
 * heap in use after a full garbage collection (lowest of 5 readings) and the resident memory. Sets
 * `CACHED_RUN_MIB` (workers/workflow-cache.ts), the default cache's budget.
 */
import path from 'node:path';
import v8 from 'node:v8';
import vm from 'node:vm';
import type { Client } from '@temporalio/client';
import { compileDefinition } from '../definitions/compile';
import { startRun } from '../runs/start';
import { deployTriggers } from '../triggers/deploy';
import { pollerWorkflowId } from '../triggers/ids';
import { recordingPlan } from '../test/triggers/support';
import { CACHED_RUN_MIB } from '../workers/workflow-cache';
import { loadAverage, reportBenchmark } from './sections';
import { numberArgument, registerKeyConnections, runBenchmark, startBenchEngine } from './setup';

const RUNS = numberArgument('runs', 200);
const HOUR_MS = 3_600_000;
const CONCURRENCY = 16;

const APPROVAL_DEFINITION = `
name: cached-approval
version: 1
input:
  n: { type: integer }
steps:
  - id: start
    set: { n: '\${{ input.n }}' }
  - id: decision
    approval: '\${{ "Go on with run " + string(input.n) + "?" }}'
    timeout: 7d
    onTimeout: fail
output: \${{ vars.n }}
`;

v8.setFlagsFromString('--expose-gc');
const collectGarbage = vm.runInNewContext('gc') as () => void;

const log = (message: string) => process.stderr.write(`[cached-run-memory] ${message}\n`);

interface Memory {
  heapMb: number;
  rssMb: number;
}

async function each<T>(items: readonly T[], task: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < items.length) await task(items[next++]!);
    }),
  );
}

/**
 * Until every workflow's history has `events` events (its wait reached; the pollers' baseline polls wait
 * their turn in the company's Gong budget, so the last one started is not the last to get there).
 */
async function reached(client: Client, workflowIds: readonly string[], events: number): Promise<void> {
  const waiting = new Set(workflowIds);
  while (waiting.size > 0) {
    await each([...waiting], async (workflowId) => {
      if ((await client.workflow.getHandle(workflowId).describe()).historyLength >= events)
        waiting.delete(workflowId);
    });
    if (waiting.size > 0) await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/** Heap and RSS once settled: the lowest of a few readings a second apart, each after a full collection. */
async function settledMemory(): Promise<Memory> {
  const heap: number[] = [];
  const rss: number[] = [];
  for (let index = 0; index < 5; index++) {
    collectGarbage();
    const usage = process.memoryUsage();
    heap.push(usage.heapUsed / 1e6);
    rss.push(usage.rss / 1e6);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
  return { heapMb: Math.min(...heap), rssMb: Math.min(...rss) };
}

async function main(): Promise<void> {
  const engine = await startBenchEngine({
    workflowsPath: path.join(__dirname, 'trigger-scale', 'workflows.ts'),
    sandboxInMainThread: true,
    // Every poller's baseline poll at once, on one emulated company: no 429 retries in the measure.
    emulator: { rateLimits: { perSecond: 1_000, perDay: 100_000_000 } },
    configure: (config) => ({ ...config, worker: { ...config.worker, maxCachedWorkflows: RUNS * 4 } }),
  });
  const client = engine.client;
  const startLoad = loadAverage();
  const started: string[] = [];
  try {
    const empty = await settledMemory();

    log(`starting ${RUNS} bare timer loops`);
    const loops = Array.from({ length: RUNS }, (_, index) => `cached-memory-loop-${index}`);
    started.push(...loops);
    await each(loops, (id) =>
      client.workflow.start('bareTimerLoop', {
        workflowId: id,
        taskQueue: engine.taskQueue,
        args: [HOUR_MS],
      }),
    );
    await reached(client, loops, 5);
    const withLoops = await settledMemory();

    log(`starting ${RUNS} runs waiting for an approval`);
    const compiled = compileDefinition(APPROVAL_DEFINITION, 'cached-approval.yaml');
    if (!compiled.ok)
      throw new Error(`the definition does not compile: ${JSON.stringify(compiled.problems)}`);
    const approvals = Array.from({ length: RUNS }, (_, index) => `cached-memory-approval-${index}`);
    started.push(...approvals);
    await each([...approvals.entries()], ([n, workflowId]) =>
      startRun(client, { plan: compiled.plan, input: { n }, taskQueue: engine.taskQueue, workflowId }),
    );
    await reached(client, approvals, 5);
    const withApprovals = await settledMemory();

    const plan = recordingPlan('cached-memory', [{ kind: 'gong.call.new', settings: { every: HOUR_MS } }]);
    const connections = registerKeyConnections(engine, 'cached-memory', RUNS);
    log(`deploying ${RUNS} pollers`);
    await each(connections, (id) =>
      deployTriggers(client, { plan, connectionId: id, taskQueue: engine.taskQueue }),
    );
    const pollers = connections.map((id) => pollerWorkflowId(plan.name, 'gong.call.new', id));
    started.push(...pollers);
    await reached(client, pollers, 11);
    const withPollers = await settledMemory();

    const per = (after: Memory, before: Memory) => ({
      heapMb: (after.heapMb - before.heapMb) / RUNS,
      rssMb: (after.rssMb - before.rssMb) / RUNS,
    });
    const loop = per(withLoops, empty);
    const approval = per(withApprovals, withLoops);
    const poller = per(withPollers, withApprovals);
    const row = (label: string, run: { heapMb: number; rssMb: number }, before: Memory, after: Memory) =>
      `| ${label} | **${(run.heapMb / loop.heapMb).toFixed(2)}×** | ${run.heapMb.toFixed(2)} MB | ${run.rssMb.toFixed(2)} MB | ${before.heapMb.toFixed(0)} → ${after.heapMb.toFixed(0)} | ${before.rssMb.toFixed(0)} → ${after.rssMb.toFixed(0)} |`;
    const largest = Math.max(poller.heapMb, approval.heapMb, loop.heapMb);
    reportBenchmark(
      'Cached run memory',
      `Load average ${startLoad} at the start.

\`npx tsx bench/cached-run-memory.bench.ts --runs ${RUNS}\`: one worker in the benchmark's process, its workflows
in the main thread (Temporal's \`debugMode\` with the reusable sandbox workflow threads use, so the process's heap
is the one its cached runs fill), cache larger than the runs. One after the other: ${RUNS} bare timer loops
(\`sleep\` forever: the least a cached workflow holds), ${RUNS} orchestration runs waiting for an approval
(\`set\`, then \`approval\`), ${RUNS} gongflow pollers deployed idle (1 h interval, after their baseline poll).
After each: the heap in use after a full garbage collection and the resident memory (lowest of 5 readings a
second apart). Heap is what a workflow thread's heap limit bounds; RSS adds what the allocator keeps.

| cached run | heap per run vs bare loop | heap per run | RSS per run | heap before → after (MB) | RSS before → after (MB) |
| --- | --- | --- | --- | --- | --- |
${row('gongflow poller', poller, withApprovals, withPollers)}
${row('run waiting for an approval', approval, withLoops, withApprovals)}
${row('bare timer loop', loop, empty, withLoops)}

A worker without \`worker.maxCachedWorkflows\` caches as many runs as fit in its heap limit at ${CACHED_RUN_MIB} MiB each
(\`workers/workflow-cache.ts\`), ${((CACHED_RUN_MIB * 1.048576) / largest).toFixed(1)}× the largest heap figure here: room for the garbage of runs
starting and stepping between collections.`,
    );
  } finally {
    await each(started, (id) =>
      client.workflow
        .getHandle(id)
        .terminate('cached-run-memory bench done')
        .catch(() => undefined),
    );
    await engine.close();
  }
}

runBenchmark(main);
