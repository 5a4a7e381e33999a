/**
 * Benchmark of runs that wait (approvals, long sleeps): memory and CPU of each process (worker, Temporal dev
 * server, this client) as waiting runs accumulate, with the worker's workflow cache at gongflow's default
 * (the baseline, without `worker.maxCachedWorkflows`: a size derived from the heap, workers/workflow-cache.ts) and
 * bounded by `worker.maxCachedWorkflows`; then what waking a run costs when it was evicted (replayed from its
 * history) against one still cached, interleaved.
 *
 *   npx tsx bench/waiting-runs.bench.ts [--runs 5000] [--step 1000] [--cache 500] [--wakes 60] [--write]
 *
 * Each setting gets a fresh dev server (bench/setup.ts) and one worker process configured through a
 * temporal.yaml (GONGFLOW_CONFIG). No Gong calls: the runs only wait.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import v8 from 'node:v8';
import type { Client, WorkflowHandle } from '@temporalio/client';
import { compileDefinition } from '../definitions/compile';
import type { Plan } from '../definitions/plan';
import { startRun } from '../runs/start';
import { startWorkerProcess, workerProcessClient } from '../test/support/processes';
import { cpuDelta, cpuSeconds, devServerPid, rssMb } from './processes';
import { loadAverage, reportBenchmark } from './sections';
import { numberArgument, percentile, runBenchmark, startBenchServer } from './setup';
import { CACHED_RUN_MIB, defaultMaxCachedWorkflows } from '../workers/workflow-cache';

const TITLE = 'Waiting runs (worker memory)';

/** Half the runs wait for an approval (woken by the benchmark), half sleep for a week. */
const DEFINITION = `
name: waiting-bench
version: 1
input:
  n: { type: integer }
  approval: { type: boolean }
steps:
  - id: start
    set: { n: '\${{ input.n }}' }
  - id: nap
    sleep: 1s
  - id: kind
    if: \${{ input.approval }}
    then:
      - id: decision
        approval: '\${{ "Go on with run " + string(input.n) + "?" }}'
        timeout: 7d
        onTimeout: fail
    else:
      - id: week
        sleep: 7d
  - id: done
    set: { result: '\${{ "run " + string(vars.n) + " done" }}' }
output: \${{ vars.result }}
`;

/** How many runs are started at once (the server and worker take them as fast as they can). */
const START_CONCURRENCY = 20;

interface Sample {
  waiting: number;
  rss: Record<string, number>;
  /** CPU seconds per process spent starting this step's runs and taking them to their wait. */
  cpu: Record<string, number>;
  seconds: number;
}

interface SettingResult {
  label: string;
  /** undefined: gongflow's default (workers/workflow-cache.ts). */
  cache: number | undefined;
  samples: Sample[];
  /** CPU seconds per process over IDLE_SECONDS with every run waiting. */
  idleCpu: Record<string, number>;
  wakes: { evicted: number[]; cached: number[]; evictedCpu: number; cachedCpu: number };
  loadBefore: string;
  loadAfter: string;
}

const IDLE_SECONDS = 20;

function heapLimitMb(): number {
  return v8.getHeapStatistics().heap_size_limit / 1_048_576;
}

/** gongflow's default `worker.maxCachedWorkflows` for this Node's heap limit (and the default concurrency). */
function defaultCache(): number {
  return defaultMaxCachedWorkflows(40, heapLimitMb());
}

function compilePlan(): Plan {
  const compiled = compileDefinition(DEFINITION, 'waiting-bench.yaml');
  if (!compiled.ok) throw new Error(`the definition does not compile: ${JSON.stringify(compiled.problems)}`);
  return compiled.plan;
}

/** Runs `task` over `items`, `concurrency` at a time. */
async function eachLimited<T>(items: T[], concurrency: number, task: (item: T) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) await task(items[next++]!);
    }),
  );
}

/**
 * Waits until every run has reached its wait: its first two workflow tasks done (the 1 s nap fired) and no
 * workflow task pending. Read with describe, which the server answers without a worker.
 */
async function untilWaiting(handles: WorkflowHandle[]): Promise<void> {
  let pending = handles;
  while (pending.length > 0) {
    const still: WorkflowHandle[] = [];
    await eachLimited(pending, START_CONCURRENCY, async (handle) => {
      const { raw } = await handle.describe();
      const events = Number(raw.workflowExecutionInfo?.historyLength ?? 0);
      // started, task x3, timer started + fired, task x3, timer started (the wait's timeout or the week).
      if (events < 11 || raw.pendingWorkflowTask) still.push(handle);
    });
    pending = still;
    if (pending.length > 0) await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
}

async function measureSetting(
  label: string,
  cache: number | undefined,
  runs: number,
  step: number,
  wakes: number,
): Promise<SettingResult> {
  const server = await startBenchServer();
  const temporal = await workerProcessClient();
  const configDir = mkdtempSync(path.join(os.tmpdir(), 'gongflow-bench-waiting-'));
  const configFile = path.join(configDir, 'temporal.yaml');
  writeFileSync(configFile, cache === undefined ? '{}\n' : `worker:\n  maxCachedWorkflows: ${cache}\n`);
  const taskQueue = `bench-waiting-${cache ?? 'default'}`;
  const worker = await startWorkerProcess({
    GONGFLOW_CONFIG: configFile,
    GONGFLOW_TASK_QUEUE: taskQueue,
    // No run calls Gong; the worker process wants a connection all the same.
    GONG_BASE_URL: 'http://127.0.0.1:9',
    GONG_ACCESS_KEY: 'unused',
    GONG_ACCESS_KEY_SECRET: 'unused',
  });
  const loadBefore = loadAverage();
  try {
    const pids = {
      worker: worker.child.pid!,
      'dev server': devServerPid(server.address) ?? NaN,
      'benchmark (client)': process.pid,
    };
    const rss = () => Object.fromEntries(Object.entries(pids).map(([name, pid]) => [name, rssMb(pid)]));
    const cpu = () => Object.fromEntries(Object.entries(pids).map(([name, pid]) => [name, cpuSeconds(pid)]));
    const plan = compilePlan();
    const approvals: WorkflowHandle[] = [];
    const samples: Sample[] = [{ waiting: 0, rss: rss(), cpu: {}, seconds: 0 }];
    for (let from = 0; from < runs; from += step) {
      const cpuBefore = cpu();
      const started = Date.now();
      const numbers = Array.from({ length: Math.min(step, runs - from) }, (_, index) => from + index);
      const handles: WorkflowHandle[] = [];
      await eachLimited(numbers, START_CONCURRENCY, async (n) => {
        const handle = await startRun(temporal.client, {
          plan,
          input: { n, approval: n % 2 === 0 },
          taskQueue,
          workflowId: `${taskQueue}-${n}`,
        });
        handles.push(handle);
        if (n % 2 === 0) approvals[n / 2] = handle;
      });
      await untilWaiting(handles);
      const seconds = (Date.now() - started) / 1000;
      samples.push({ waiting: from + numbers.length, rss: rss(), cpu: cpuDelta(cpuBefore, cpu()), seconds });
      process.stderr.write(`${label}: ${JSON.stringify(samples.at(-1))}\n`);
    }
    const idleBefore = cpu();
    await new Promise((resolve) => setTimeout(resolve, IDLE_SECONDS * 1000));
    const idleCpu = cpuDelta(idleBefore, cpu());
    const woken = await wake(temporal.client, approvals, cache, wakes, () => cpuSeconds(pids.worker));
    return { label, cache, samples, idleCpu, wakes: woken, loadBefore, loadAfter: loadAverage() };
  } finally {
    await worker.stop();
    await temporal.close();
    await server.stop();
  }
}

/**
 * Approves runs one at a time, alternating the oldest approval runs (long evicted when the cache is smaller
 * than the runs waiting) and the newest ones (still cached: they were the last the worker touched), and
 * times each from the approval to the run's result.
 */
async function wake(
  client: Client,
  approvals: WorkflowHandle[],
  cache: number | undefined,
  wakes: number,
  workerCpu: () => number,
): Promise<SettingResult['wakes']> {
  const result = { evicted: [] as number[], cached: [] as number[], evictedCpu: 0, cachedCpu: 0 };
  // The newest approval runs, newest first: fewer than half the cache, so waking the oldest cannot push them out.
  const recent = approvals.slice(-Math.min(wakes / 2, Math.floor((cache ?? defaultCache()) / 4))).reverse();
  const oldest = approvals.slice(0, recent.length);
  const approve = async (handle: WorkflowHandle) => {
    const cpuBefore = workerCpu();
    const started = performance.now();
    await handle.executeUpdate('gongflow.approve', {
      args: [{ step: 'decision', approved: true, by: 'bench' }],
    });
    await handle.result();
    return { ms: performance.now() - started, cpu: workerCpu() - cpuBefore };
  };
  for (let index = 0; index < oldest.length; index += 1) {
    // ABBA: neither side always goes first.
    const order = index % 2 === 0 ? (['evicted', 'cached'] as const) : (['cached', 'evicted'] as const);
    for (const side of order) {
      const { ms, cpu } = await approve(side === 'evicted' ? oldest[index]! : recent[index]!);
      result[side].push(ms);
      if (side === 'evicted') result.evictedCpu += cpu;
      else result.cachedCpu += cpu;
    }
  }
  return result;
}

function section(results: SettingResult[], runs: number): string {
  const names = Object.keys(results[0]?.samples[0]?.rss ?? {});
  const mb = (value: number | undefined) => (value === undefined ? '-' : `${Math.round(value)}`);
  const curve = [
    `| runs waiting | ${results.flatMap((result) => names.map((name) => `${name} MB (${result.label})`)).join(' | ')} |`,
    `|---|${results.flatMap(() => names.map(() => '---')).join('|')}|`,
    ...(results[0]?.samples ?? []).map(
      (sample, index) =>
        `| ${sample.waiting.toLocaleString('en-US')} | ${results
          .flatMap((result) => names.map((name) => mb(result.samples[index]?.rss[name])))
          .join(' | ')} |`,
    ),
  ];
  const perRun = (result: SettingResult, name: string) => {
    const first = result.samples[0]?.rss[name] ?? 0;
    const last = result.samples.at(-1)?.rss[name] ?? 0;
    return ((last - first) / runs) * 1024;
  };
  const slopes = results.map(
    (result) =>
      `| ${result.label} | ${names.map((name) => `${perRun(result, name).toFixed(0)} KB`).join(' | ')} | ${result.loadBefore} → ${result.loadAfter} |`,
  );
  const startCpu = results.map((result) => {
    const totals = Object.fromEntries(
      names.map((name) => [name, result.samples.reduce((sum, sample) => sum + (sample.cpu[name] ?? 0), 0)]),
    );
    return `| ${result.label} | ${names.map((name) => `${(((totals[name] ?? 0) / runs) * 1000).toFixed(1)} ms`).join(' | ')} | ${names.map((name) => `${(((result.idleCpu[name] ?? 0) / IDLE_SECONDS) * 100).toFixed(1)}%`).join(' | ')} |`;
  });
  const wakeRows = results.map((result) => {
    const { evicted, cached, evictedCpu, cachedCpu } = result.wakes;
    const ms = (values: number[], p: number) => `${percentile(values, p).toFixed(0)} ms`;
    return `| ${result.label} | **${(percentile(evicted, 50) / percentile(cached, 50)).toFixed(2)}×** | ${ms(evicted, 50)} / ${ms(evicted, 95)} | ${ms(cached, 50)} / ${ms(cached, 95)} | ${((evictedCpu / Math.max(1, evicted.length)) * 1000).toFixed(0)} ms | ${((cachedCpu / Math.max(1, cached.length)) * 1000).toFixed(0)} ms |`;
  });
  const bounded = results.find((result) => result.cache !== undefined && result.cache < runs);
  const fallback = results.find((result) => result.cache === undefined);
  return `
\`npx tsx bench/waiting-runs.bench.ts --write\`: ${runs.toLocaleString('en-US')} runs of one definition started into one worker
process, ${results[0]?.samples[1]?.waiting.toLocaleString('en-US')} at a time (${START_CONCURRENCY} starts in flight); each sets a variable, sleeps 1 s, then half wait for an
approval (7 d timeout) and half sleep 7 days. Each setting on a fresh dev server. Resident memory (RSS) of each
process once every run of a step waits; the benchmark process is the client that starts them.
${fallback ? `"${fallback.label}": no \`worker.maxCachedWorkflows\` (gongflow's default): \`(heap limit - 200 MB) / ${CACHED_RUN_MIB} MB\`, ${defaultCache().toLocaleString('en-US')} runs with this Node's ${Math.round(heapLimitMb()).toLocaleString('en-US')} MB heap limit` : ''}${bounded ? `; "${bounded.label}": \`worker.maxCachedWorkflows: ${bounded.cache}\`` : ''}.

Memory per waiting run (RSS growth from none to ${runs.toLocaleString('en-US')} waiting, divided by the runs):

| setting | ${names.join(' | ')} | load average (1, 5, 15 min) |
|---|${names.map(() => '---').join('|')}|---|
${slopes.join('\n')}

The curve (MB):

${curve.join('\n')}

CPU per run to start it and take it to its wait (every process's user + system time while a step's runs
started, divided by them), and CPU while ${runs.toLocaleString('en-US')} runs wait (${IDLE_SECONDS} s, share of one core):

| setting | ${names.map((name) => `${name} per run`).join(' | ')} | ${names.map((name) => `${name} idle`).join(' | ')} |
|---|${names.map(() => '---').join('|')}|${names.map(() => '---').join('|')}|
${startCpu.join('\n')}

Waking a run: approval (the \`gongflow.approve\` update) to the run's result, one at a time, alternating the
oldest approval runs and the newest (ABBA). The oldest were evicted long before whenever more runs wait than the
cache holds, so their approval first replays their history; the newest are still cached. Worker CPU per
wake-up alongside.

| setting | evicted / cached (p50) | evicted p50 / p95 | cached p50 / p95 | worker CPU per evicted wake | per cached wake |
|---|---|---|---|---|---|
${wakeRows.join('\n')}
`;
}

async function main(): Promise<void> {
  const runs = numberArgument('runs', 5_000);
  const step = numberArgument('step', 1_000);
  const cache = numberArgument('cache', 500);
  const wakes = numberArgument('wakes', 60);
  const results: SettingResult[] = [];
  // Today's behaviour (Temporal's heap-based default), then bounded by the configuration.
  const settings: Array<[string, number | undefined]> = [
    ['gongflow default', undefined],
    [`maxCachedWorkflows ${cache}`, cache],
  ];
  for (const [label, size] of settings) results.push(await measureSetting(label, size, runs, step, wakes));
  reportBenchmark(TITLE, section(results, runs));
}

runBenchmark(main);
