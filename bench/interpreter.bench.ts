/**
 * Benchmark of the interpreter against hand-written Temporal code: the 20-step plan of
 * bench/interpreter/twenty-steps.yaml run by gongflow's generic `orchestration` workflow, against
 * bench/interpreter/baseline-workflow.ts (the same steps written by hand), both on one worker (one bundle with
 * both workflow types), calling the same activity with the same options, against one emulated Gong company
 * whose rate limits (and gongflow's budget) are raised so Gong's 3 calls/s do not set the pace.
 *
 *   npx tsx bench/interpreter.bench.ts [--sequential 16] [--concurrent 100] [--concurrency 50] [--write]
 *
 * Measures wall time per run (sequential, interleaved), runs per second with `--concurrency` runs in flight,
 * and history events per run (by type). `--write` replaces the "Interpreter overhead" section of BENCHMARKS.md.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { WorkflowHandle } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { compileDefinition } from '../definitions/compile';
import type { ActionStepPlan, Plan, StepPlan } from '../definitions/plan';
import { startRun } from '../runs/start';
import { workflowBundle } from '../workers/bundle';
import { workerSinks } from '../workers/sinks';
import { activityOptions } from '../workflows/interpreter/activity-options';
import { BASELINE_ACTIVITY_OPTIONS } from './interpreter/baseline-options';
import type { BaselineArgs } from './interpreter/baseline-workflow';
import { reportBenchmark } from './sections';
import { numberArgument, percentile, runBenchmark, startBenchEngine, type BenchEngine } from './setup';

const TITLE = 'Interpreter overhead';
const DEFINITION_FILE = path.join(__dirname, 'interpreter', 'twenty-steps.yaml');
const WORKFLOWS_FILE = path.join(__dirname, 'interpreter', 'workflows.ts');
/** High enough that neither Gong (the emulator) nor gongflow's budget ever makes a request wait. */
const RATE_LIMITS = { perSecond: 100_000, perDay: 100_000_000 };

type Side = 'interpreter' | 'baseline';
const SIDES: Side[] = ['interpreter', 'baseline'];
const LABEL: Record<Side, string> = {
  interpreter: 'gongflow `orchestration` (20-step plan)',
  baseline: 'hand-written workflow',
};

interface Bench {
  engine: BenchEngine;
  plan: Plan;
  /** One emulated company per run in flight (see `companies`). */
  connectionIds: string[];
}

function compilePlan(): Plan {
  const compiled = compileDefinition(readFileSync(DEFINITION_FILE, 'utf8'), DEFINITION_FILE);
  if (!compiled.ok)
    throw new Error(`twenty-steps.yaml does not compile: ${JSON.stringify(compiled.problems)}`);
  return compiled.plan;
}

function actionSteps(steps: StepPlan[]): ActionStepPlan[] {
  return steps.flatMap((step) => {
    if (step.kind === 'action') return [step];
    if (step.kind === 'if') return [...actionSteps(step.then), ...actionSteps(step.else)];
    return [];
  });
}

/** JSON with sorted keys, to compare option objects. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) =>
    item && typeof item === 'object' && !Array.isArray(item)
      ? Object.fromEntries(Object.entries(item).sort(([a], [b]) => a.localeCompare(b)))
      : item,
  );
}

/** The comparison is only honest if the baseline passes exactly the options the interpreter derives. */
function checkSameActivityOptions(plan: Plan): void {
  for (const step of actionSteps(plan.steps)) {
    const { summary: _summary, ...options } = activityOptions(step, step.activity);
    const baseline = BASELINE_ACTIVITY_OPTIONS[step.action as keyof typeof BASELINE_ACTIVITY_OPTIONS];
    if (canonical(options) !== canonical(baseline))
      throw new Error(
        `Step ${step.id}: the plan's activity options ${canonical(options)} differ from the baseline's ${canonical(baseline)}.`,
      );
  }
}

async function start(
  bench: Bench,
  side: Side,
  connectionId = bench.connectionIds[0]!,
): Promise<WorkflowHandle> {
  const { engine, plan } = bench;
  if (side === 'interpreter') {
    // As every gongflow run starts: typed search attributes and a summary, set at start (no extra events).
    return startRun(engine.client, {
      plan,
      input: {},
      connectionId,
      taskQueue: engine.taskQueue,
      workflowId: `bench-interpreter-${randomUUID()}`,
    });
  }
  const args: BaselineArgs = { connectionId };
  return engine.client.workflow.start('handWrittenTwentySteps', {
    taskQueue: engine.taskQueue,
    workflowId: `bench-baseline-${randomUUID()}`,
    args: [args],
  });
}

/** Starts a run and waits for its result: the wall time a caller sees. */
async function timedRun(
  bench: Bench,
  side: Side,
): Promise<{ ms: number; handle: WorkflowHandle; output: unknown }> {
  const started = performance.now();
  const handle = await start(bench, side);
  const output: unknown = await handle.result();
  return { ms: performance.now() - started, handle, output };
}

interface HistoryStats {
  workflowId: string;
  history: temporal.api.history.v1.IHistory;
  events: number;
  bytes: number;
  byType: Map<string, number>;
}

async function historyOf(handle: WorkflowHandle): Promise<HistoryStats> {
  const history = await handle.fetchHistory();
  const events = history.events ?? [];
  const byType = new Map<string, number>();
  for (const event of events) {
    const name = temporal.api.enums.v1.EventType[event.eventType ?? 0] ?? String(event.eventType);
    const short = name.replace(/^EVENT_TYPE_/, '');
    byType.set(short, (byType.get(short) ?? 0) + 1);
  }
  const bytes = temporal.api.history.v1.History.encode(history).finish().length;
  return { workflowId: handle.workflowId, history, events: events.length, bytes, byType };
}

/**
 * CPU time of the workflow code alone: replaying recorded histories runs every workflow task of the run in
 * the worker's sandbox with no server, activity or network involved. Milliseconds per run.
 */
async function replayMs(bench: Bench, histories: HistoryStats[], rounds: number): Promise<number> {
  const bundle = await workflowBundle(WORKFLOWS_FILE);
  // The payloads are decoded as the worker decodes them (encrypted when gongflow's default codec is on).
  const { payloadCodecs } = bench.engine.client.options.dataConverter;
  const inputs = Array.from({ length: rounds }, (_, index) => histories[index % histories.length]!).map(
    ({ workflowId, history }) => ({ workflowId, history }),
  );
  const started = performance.now();
  for await (const result of Worker.runReplayHistories(
    { workflowBundle: bundle, dataConverter: { payloadCodecs }, sinks: workerSinks() },
    inputs,
  ))
    if (result.error) throw result.error;
  return (performance.now() - started) / rounds;
}

/** `runs` runs of one side with at most `concurrency` in flight; runs per second over the whole batch. */
async function throughput(bench: Bench, side: Side, runs: number, concurrency: number): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async (_, slot) => {
      while (next < runs) {
        next += 1;
        const handle = await start(bench, side, bench.connectionIds[slot % bench.connectionIds.length]);
        await handle.result();
      }
    }),
  );
  return runs / ((performance.now() - started) / 1000);
}

/**
 * Emulated Gong companies, each a connection. Every Gong call reserves a slot from its company's budget
 * workflow (one update each); with all runs on one company that single workflow, not the runs, would set the
 * pace at concurrency 50. One company per run in flight keeps each budget workflow as busy as in the
 * sequential runs: a fleet serving many companies.
 */
async function companies(engine: BenchEngine, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let index = 0; index < count; index += 1) {
    const company = await engine.emulator.admin.createCompany({
      name: `Interpreter bench ${index}`,
      userCount: 10,
      callCount: 10,
      rateLimits: RATE_LIMITS,
    });
    const id = `bench-${index}`;
    engine.connections.register({
      id,
      type: 'key',
      baseUrl: company.apiBaseUrl,
      accessKey: company.accessKey,
      accessKeySecret: company.accessKeySecret,
    });
    ids.push(id);
  }
  return ids;
}

const ms = (value: number) => `${value.toFixed(0)} ms`;
const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}×`;

async function main(): Promise<void> {
  const sequentialRuns = numberArgument('sequential', 16);
  const concurrentRuns = numberArgument('concurrent', 100);
  const concurrency = numberArgument('concurrency', 50);
  const plan = compilePlan();
  checkSameActivityOptions(plan);
  const engine = await startBenchEngine({
    workflowsPath: WORKFLOWS_FILE,
    configure: (config) => ({
      ...config,
      gong: {
        ...config.gong,
        budget: {
          ...config.gong.budget,
          requestsPerSecond: RATE_LIMITS.perSecond,
          requestsPerDay: RATE_LIMITS.perDay,
        },
      },
    }),
  });
  try {
    const bench: Bench = { engine, plan, connectionIds: await companies(engine, concurrency) };

    // Both sides compute the same thing (and warm up: bundle caches, connections, the budget workflow).
    const outputs: Partial<Record<Side, unknown>> = {};
    for (let round = 0; round < 5; round += 1)
      for (const side of SIDES) outputs[side] = (await timedRun(bench, side)).output;
    if (canonical(outputs.interpreter) !== canonical(outputs.baseline))
      throw new Error(`Outputs differ: ${canonical(outputs.interpreter)} vs ${canonical(outputs.baseline)}`);
    process.stderr.write(`outputs agree: ${canonical(outputs.interpreter)}\n`);

    // Sequential, interleaved so both sides see the same machine load.
    const times: Record<Side, number[]> = { interpreter: [], baseline: [] };
    const histories: Record<Side, HistoryStats[]> = { interpreter: [], baseline: [] };
    for (let index = 0; index < sequentialRuns; index += 1) {
      const order = index % 2 === 0 ? SIDES : [...SIDES].reverse();
      for (const side of order) {
        const run = await timedRun(bench, side);
        times[side].push(run.ms);
        histories[side].push(await historyOf(run.handle));
      }
    }
    process.stderr.write(`sequential: ${JSON.stringify(times)}\n`);

    // Workflow code alone, A B B A, after a warm-up of each (the sandbox's first contexts are slower).
    for (const side of SIDES) await replayMs(bench, histories[side], 3);
    const replays: Record<Side, number[]> = { interpreter: [], baseline: [] };
    for (const side of ['interpreter', 'baseline', 'baseline', 'interpreter'] as Side[])
      replays[side].push(await replayMs(bench, histories[side], 20));
    process.stderr.write(`replay: ${JSON.stringify(replays)}\n`);

    // Throughput: A B B A, so a drift in machine load during the batches falls on both sides alike.
    const rates: Record<Side, number[]> = { interpreter: [], baseline: [] };
    for (const side of ['interpreter', 'baseline', 'baseline', 'interpreter'] as Side[]) {
      const rate = await throughput(bench, side, concurrentRuns / 2, concurrency);
      rates[side].push(rate);
      process.stderr.write(`throughput ${side}: ${rate.toFixed(2)} runs/s\n`);
    }

    reportBenchmark(
      TITLE,
      section({
        plan,
        times,
        histories,
        rates,
        replays,
        sequentialRuns,
        concurrentRuns,
        concurrency,
        encrypted: (engine.client.options.dataConverter.payloadCodecs?.length ?? 0) > 0,
      }),
    );
  } finally {
    await engine.close();
  }
}

interface Results {
  plan: Plan;
  times: Record<Side, number[]>;
  histories: Record<Side, HistoryStats[]>;
  rates: Record<Side, number[]>;
  replays: Record<Side, number[]>;
  /** Whether payloads were encrypted (gongflow's payload codec), on both sides alike. */
  encrypted: boolean;
  sequentialRuns: number;
  concurrentRuns: number;
  concurrency: number;
}

function pairedRatio(times: Record<Side, number[]>): number {
  return percentile(
    times.interpreter.map((value, index) => value / (times.baseline[index] ?? NaN)),
    50,
  );
}

function mean(values: number[]): number {
  return values.reduce((sum, value) => sum + value, 0) / Math.max(1, values.length);
}

function section(results: Results): string {
  const { times, histories, rates } = results;
  const batchOrder: Side[] = ['interpreter', 'baseline', 'baseline', 'interpreter'];
  const median = (side: Side) => percentile(times[side], 50);
  const p95 = (side: Side) => percentile(times[side], 95);
  const rate = (side: Side) => mean(rates[side]);
  const events = (side: Side) => mean(histories[side].map((history) => history.events));
  const bytes = (side: Side) => mean(histories[side].map((history) => history.bytes));
  const types = new Set(
    SIDES.flatMap((side) => histories[side].flatMap((history) => [...history.byType.keys()])),
  );
  const perType = (side: Side, type: string) =>
    mean(histories[side].map((history) => history.byType.get(type) ?? 0));
  const typeRows = [...types]
    .sort()
    .map((type) => {
      const difference = perType('interpreter', type) - perType('baseline', type);
      return `| ${type} | ${perType('interpreter', type)} | ${perType('baseline', type)} | ${difference > 0 ? '+' : ''}${difference} |`;
    })
    .join('\n');
  const steps = actionSteps(results.plan.steps).length;
  const planBytes = Buffer.byteLength(JSON.stringify(results.plan));
  return `
\`npx tsx bench/interpreter.bench.ts\`: the 20-step plan of \`bench/interpreter/twenty-steps.yaml\` (${steps} Gong
action steps of which 19 run, reading users and calls with inputs taken from earlier outputs, one \`set\`, one
\`if\`) run by gongflow's generic \`orchestration\` workflow, against the same steps written by hand as an ordinary
Temporal workflow (\`bench/interpreter/baseline-workflow.ts\`). Same server, same worker (one bundle with both
workflow types, \`bench/interpreter/workflows.ts\`), same activity (\`runGongAction\`) with the same options
(checked equal before measuring), same outputs (checked), emulated Gong companies whose rate limits and
gongflow's budget are raised to ${RATE_LIMITS.perSecond.toLocaleString('en-US')}/s so no request waits (each
Gong call still reserves its slot from its company's budget workflow, on both sides). gongflow runs start as
\`gongflow run\` starts them (\`runs/start.ts\`: typed search attributes and a summary at start). Payloads
${results.encrypted ? "encrypted (AES-256-GCM payload codec, gongflow's default) on both sides" : 'not encrypted, on either side'}.

Wall time per run, start to result, ${results.sequentialRuns} sequential runs of each side, interleaved:

| | median | p95 |
|---|---|---|
| ${LABEL.interpreter} | ${ms(median('interpreter'))} | ${ms(p95('interpreter'))} |
| ${LABEL.baseline} | ${ms(median('baseline'))} | ${ms(p95('baseline'))} |
| ratio (target ≤ 1.10×) | **${ratio(median('interpreter'), median('baseline'))}** | ${ratio(p95('interpreter'), p95('baseline'))} |

Median of the ${results.sequentialRuns} paired ratios (each interpreter run over the baseline run next to it, which saw
the same load): **${pairedRatio(times).toFixed(2)}×**.

Runs per second with ${results.concurrency} runs in flight (${results.concurrentRuns} runs of each side, in two
batches ordered A B B A; the figure is the mean of the two). Each run in flight uses its own emulated company: every
Gong call reserves its slot from its company's budget workflow (one Temporal update), and with all runs on one
company that one workflow would set the pace for both sides alike instead of the runs.

| | runs/s |
|---|---|
| ${LABEL.interpreter} | ${mean(rates.interpreter).toFixed(2)} |
| ${LABEL.baseline} | ${mean(rates.baseline).toFixed(2)} |
| ratio (interpreter / hand-written) | **${ratio(rate('interpreter'), rate('baseline'))}** |

Batches in the order run: ${batchOrder.map((side, index) => `${side === 'interpreter' ? 'interpreter' : 'hand-written'} ${(rates[side][index < 2 ? 0 : 1] ?? NaN).toFixed(2)}`).join(', ')} runs/s. The two
middle batches run the same code back to back: their spread is the machine's, and a ratio is only as good as it.

Workflow code alone: CPU time to replay a run's recorded history (\`Worker.runReplayHistories\`, 20 replays per
batch, batches A B B A): every workflow task of the run in the worker's sandbox, with no server, activity or network.
Each replay also pays the sandbox's per-run setup, the same on both sides.

| | ms per run |
|---|---|
| ${LABEL.interpreter} | ${mean(results.replays.interpreter).toFixed(1)} |
| ${LABEL.baseline} | ${mean(results.replays.baseline).toFixed(1)} |
| ratio | ${ratio(mean(results.replays.interpreter), mean(results.replays.baseline))} |

History per run (\`fetchHistory\`, mean over the sequential runs):

| | events | bytes |
|---|---|---|
| ${LABEL.interpreter} | ${events('interpreter')} | ${Math.round(bytes('interpreter')).toLocaleString('en-US')} |
| ${LABEL.baseline} | ${events('baseline')} | ${Math.round(bytes('baseline')).toLocaleString('en-US')} |
| ratio (target ≤ 1.05×) | **${ratio(events('interpreter'), events('baseline'))}** | ${ratio(bytes('interpreter'), bytes('baseline'))} |

Events by type (per run):

| event type | interpreter | hand-written | difference |
|---|---|---|---|
${typeRows}

What the interpreter adds, and what it does not:

- **History events: none on this plan.** Both sides write one workflow task (scheduled, started, completed) and one
  activity (scheduled, started, completed) per Gong call, plus start and completion. Search attributes are set when
  the run starts, never upserted; \`patched()\` markers appear only on the construct they guard (a \`forEach\` over
  a list in the blob store); \`set\`, \`if\` and expressions are evaluated inside the workflow task of the step they
  belong to (no side effects, local activities or timers); progress lives in workflow memory, read by a query, so
  it costs no events; the Gong budget is reserved by the activity, on both sides alike.
- **History bytes:** the plan travels in the start event's input (${planBytes.toLocaleString('en-US')} bytes of JSON for this
  plan), which pins the run to it; the activity inputs and results are the same on both sides.
- **Workflow-task CPU:** evaluating the steps' CEL inputs, the progress entries of each step, and a deeper chain of
  async calls per step (run step -> action -> evaluate): the SDK's promise hook captures a stack trace for every
  promise a workflow creates, so each extra async level costs on every step. The replay table above is that cost
  alone (${(mean(results.replays.interpreter) - mean(results.replays.baseline)).toFixed(0)} ms more per run here): next to the activity, the server and the budget it is a small
  part of a sequential run's wall time, and the part that shows when runs compete for CPU (runs per second).
  Parsed CEL programs are cached per source (this halved the difference: 1.82x before, on a loaded machine). Not
  done yet: evaluate literal and blob-free inputs without the extra async levels (this changes when commands are
  issued inside \`parallel\` branches, so it needs a \`patched()\` guard and the replay corpus).

Absolute times come from a 2-core machine shared with other jobs (see the load average above): runs take seconds
because everything, the server included, waits for CPU. The ratios, measured interleaved, are what to compare.
`;
}

runBenchmark(main);
