/**
 * Server-side cost of deployed triggers (`npx tsx bench/trigger-scale.bench.ts [--pollers 1000]
 * [--schedules 1000] [--idle 10000] [--every 60000] [--settle ms] [--window 180000] [--jitter 0]
 * [--cron '* * * * *'] [--window-at ISO] [--quiet] [--catch-up 600000] [--cache N]`): N pollers and, apart, N schedules,
 * deployed the way users deploy them (`deployTriggers`, one connection each), next to the same number of
 * baselines started in the same run, interleaved: a bare timer-loop workflow per poller, a bare Temporal
 * Schedule (same cron, a run that returns at once) per schedule.
 *
 * Pollers run with a shortened interval (`--every`) so several cycles happen in minutes; the events of one
 * cycle are counted from real histories (a sample's full history, every workflow's history length before and
 * after the window), then scaled to the default interval per hour. Schedules fire every minute; the events of
 * a fire are those of its run (closed runs' history lengths; the scheduler workflow's own are not counted). `--idle`: that many pollers (and bare loops) deployed with a 1 h interval,
 * for deploy time and the dev server's memory with that many triggers waiting.
 */
import { isGrpcDeadlineError, ScheduleAlreadyRunning, type Client } from '@temporalio/client';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Plan } from '../definitions/plan';
import { deployTriggers } from '../triggers/deploy';
import { pollerWorkflowId, scheduleId } from '../triggers/ids';
import { PollerSettingsSchema } from '../triggers/kinds';
import type { PollerStatus } from '../workflows/triggers/poller';
import { recordingPlan } from '../test/triggers/support';
import { cpuSeconds, devServerPid, rssMb } from './processes';
import { reportBenchmark } from './sections';
import {
  argument,
  percentile,
  registerKeyConnections,
  runBenchmark,
  startBenchEngine,
  type BenchEngine,
  numberArgument,
} from './setup';
import { loadAverage } from './sections';

const POLLERS = numberArgument('pollers', 1_000);
const SCHEDULES = numberArgument('schedules', 1_000);
const IDLE = numberArgument('idle', 10_000);
const EVERY_MS = numberArgument('every', 60_000);
const WINDOW_MS = numberArgument('window', 180_000);
/** Schedule jitter (ms) for both sides: spreads the fires of one cron over many connections (0: none). */
const JITTER_MS = numberArgument('jitter', 0);
/**
 * Wait between the pollers' deploy and their window (ms). By default until one interval after the deploy
 * began (and 5 s): from then on the pollers' cycles are spread over the whole interval, as in steady state.
 */
const SETTLE_ARGUMENT = argument('settle');
/** How long after the settle wait the worker may take to catch up with the deploy's backlog (`--catch-up` ms). */
const CATCH_UP_MS = numberArgument('catch-up', 600_000);
/**
 * `--quiet`: the pollers' connections reach a company with no calls, so a poll finds nothing and starts no run
 * (the cost of the trigger alone); otherwise the emulator's seeded company, whose calls appear over hours and
 * start runs.
 */
const QUIET = process.argv.includes('--quiet');
/**
 * `--cache N`: the worker's workflow cache (`worker.maxCachedWorkflows`; default gongflow's). A cache far
 * smaller than the triggers deployed makes nearly every workflow task a replay from history, as 10,000
 * distinct pollers on one worker do, at a rate a short run can reach (1,000 pollers every 90 s).
 */
const CACHE = argument('cache');
const SAMPLE = 20;
/** The emulated company's limits, and the worker's Gong budget (see main). */
const BENCH_COMPANY_LIMITS = { requestsPerSecond: 1_000, requestsPerDay: 100_000_000 };
/** The same limits as the emulator takes them. */
const EMULATED_RATE_LIMITS = {
  perSecond: BENCH_COMPANY_LIMITS.requestsPerSecond,
  perDay: BENCH_COMPANY_LIMITS.requestsPerDay,
};
/** Triggers of each side whose history lengths are read around the window (all of them up to this many). */
const COUNTED = 1_000;
const CONCURRENCY = 16;
const DEFAULT_EVERY_MS = PollerSettingsSchema.parse({}).every;
const HOUR_MS = 3_600_000;
/** The schedules' cron (both sides); every minute by default, so a short window sees several fires. */
const CRON = argument('cron') ?? '* * * * *';
/**
 * `--window-at <ISO instant>`: the schedules' window starts then (if the deploy is done by then) rather than at
 * the minute after the deploy. With an hourly cron whose fires start after the deploy's expected end, the
 * window sees fires without any falling during the deploy (10,000 schedules take ~30 min to deploy here).
 */
const WINDOW_AT = argument('window-at');
const WINDOW_AT_MS = WINDOW_AT === undefined ? undefined : Date.parse(WINDOW_AT);
if (Number.isNaN(WINDOW_AT_MS)) throw new Error(`--window-at ${WINDOW_AT}: not an ISO instant`);

const log = (message: string) =>
  process.stderr.write(`[${new Date().toISOString().slice(11, 19)}] ${message}\n`);

/**
 * Runs `work` over `items` with at most CONCURRENCY at once; returns each item's latency in ms. `progress`: logs
 * every 200 done (a deploy stopped early still says how far, and how fast, it got).
 */
async function each<T>(
  items: readonly T[],
  work: (item: T) => Promise<unknown>,
  progress = false,
): Promise<number[]> {
  const latencies: number[] = new Array<number>(items.length);
  let next = 0;
  let done = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      for (let index = next++; index < items.length; index = next++) {
        const started = performance.now();
        await work(items[index]!);
        latencies[index] = performance.now() - started;
        done += 1;
        if (progress && done % 200 === 0) log(`${done} / ${items.length} done`);
      }
    }),
  );
  return latencies;
}

/** Schedule creations that timed out (gRPC DEADLINE_EXCEEDED) and were made again, per side. */
const timedOut = { deploys: 0, creates: 0 };
const DEADLINE_ATTEMPTS = 3;

/**
 * `work` again after a DEADLINE_EXCEEDED, as a user re-runs an idempotent deploy (up to 3 attempts, counted in
 * `timedOut`): with thousands of schedules a creation on the dev server sometimes outlasts its deadline, and
 * one such failure ended two 10,000-schedule runs half deployed.
 */
async function retriedOnDeadline(side: keyof typeof timedOut, work: () => Promise<unknown>): Promise<void> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      await work();
      return;
    } catch (error) {
      // The timed-out creation took effect after all: the bare schedule exists.
      if (attempt > 1 && error instanceof ScheduleAlreadyRunning) return;
      // The SDK's check follows the error's causes (the SDK wraps the gRPC error).
      if (!isGrpcDeadlineError(error) || attempt >= DEADLINE_ATTEMPTS) throw error;
      timedOut[side] += 1;
    }
  }
}

/** Deploys A and B items alternately (ABAB), so both see the same server and load. */
async function interleaved(
  count: number,
  a: (index: number) => Promise<unknown>,
  b: (index: number) => Promise<unknown>,
): Promise<{ a: number[]; b: number[]; seconds: number }> {
  const started = performance.now();
  const items = Array.from({ length: count * 2 }, (_, index) => index);
  const latencies = await each(items, (item) => (item % 2 === 0 ? a(item / 2) : b((item - 1) / 2)), true);
  return {
    a: latencies.filter((_, index) => index % 2 === 0),
    b: latencies.filter((_, index) => index % 2 === 1),
    seconds: (performance.now() - started) / 1000,
  };
}

/** Up to `count` of the items, evenly spread (all of them when there are fewer). */
function evenly<T>(items: readonly T[], count: number): T[] {
  if (items.length <= count) return [...items];
  return Array.from({ length: count }, (_, index) => items[Math.floor((index * items.length) / count)]!);
}

/** Sum of the history lengths of these workflows, read with describe (exact for running workflows). */
async function historyTotal(client: Client, ids: readonly string[]): Promise<number> {
  let total = 0;
  await each(ids, async (id) => {
    // Read first, then add: `total += await ...` reads `total` before the await, and the concurrent reads
    // would overwrite each other's sums (it counted ~0.7 events a workflow where each had 11 or more).
    const { historyLength } = await client.workflow.getHandle(id).describe();
    total += historyLength;
  });
  return total;
}

/** Events of one steady-state cycle of a timer loop, by type, from a sample's full history. */
async function cycleEvents(
  client: Client,
  ids: readonly string[],
): Promise<{ perCycle: number; byType: Record<string, number>; cycles: number }> {
  let events = 0;
  let cycles = 0;
  const byType: Record<string, number> = {};
  for (const id of ids) {
    const history = await client.workflow.getHandle(id).fetchHistory();
    const types = (history.events ?? []).map((event) => eventTypeName(event.eventType));
    const first = types.indexOf('TIMER_STARTED');
    const last = types.lastIndexOf('TIMER_STARTED');
    if (first < 0 || last <= first) continue;
    const slice = types.slice(first + 1, last + 1);
    cycles += slice.filter((type) => type === 'TIMER_FIRED').length;
    events += slice.length;
    for (const type of slice) byType[type] = (byType[type] ?? 0) + 1;
  }
  return {
    perCycle: events / cycles,
    byType: Object.fromEntries(Object.entries(byType).map(([type, n]) => [type, n / cycles])),
    cycles,
  };
}

/** "EVENT_TYPE_TIMER_STARTED" (or its enum number) -> "TIMER_STARTED". */
function eventTypeName(type: unknown): string {
  const names = EVENT_TYPES;
  const name = typeof type === 'number' ? (names[type] ?? String(type)) : String(type);
  return name.replace(/^EVENT_TYPE_/, '');
}

// Numbers of temporal.api.enums.v1.EventType the bench meets (the proto enum, stable across versions).
const EVENT_TYPES: Record<number, string> = {
  1: 'WORKFLOW_EXECUTION_STARTED',
  2: 'WORKFLOW_EXECUTION_COMPLETED',
  5: 'WORKFLOW_TASK_SCHEDULED',
  6: 'WORKFLOW_TASK_STARTED',
  7: 'WORKFLOW_TASK_COMPLETED',
  8: 'WORKFLOW_TASK_TIMED_OUT',
  10: 'ACTIVITY_TASK_SCHEDULED',
  11: 'ACTIVITY_TASK_STARTED',
  12: 'ACTIVITY_TASK_COMPLETED',
  17: 'TIMER_STARTED',
  18: 'TIMER_FIRED',
  26: 'WORKFLOW_EXECUTION_SIGNALED',
  40: 'UPSERT_WORKFLOW_SEARCH_ATTRIBUTES',
  42: 'WORKFLOW_PROPERTIES_MODIFIED',
};

/** Workflow ids of every running workflow of a type (visibility). */
async function running(client: Client, type: string): Promise<string[]> {
  const ids: string[] = [];
  for await (const execution of client.workflow.list({
    query: `WorkflowType = '${type}' AND ExecutionStatus = 'Running'`,
  }))
    ids.push(execution.workflowId);
  return ids;
}

/** Closed runs of a type started at or after `since`: how many, and their events in total. */
async function closedRuns(
  client: Client,
  type: string,
  since: Date,
): Promise<{ runs: number; events: number }> {
  let runs = 0;
  let events = 0;
  for await (const execution of client.workflow.list({
    query: `WorkflowType = '${type}' AND ExecutionStatus != 'Running' AND StartTime >= '${since.toISOString()}'`,
  })) {
    runs += 1;
    events += execution.historyLength;
  }
  return { runs, events };
}

/** Checks every 2 s until `check` holds (true) or `timeoutMs` passed (false). */
async function holdsWithin(check: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 2_000));
  }
  return true;
}

async function waitUntil(check: () => Promise<boolean>, what: string, timeoutMs = 600_000): Promise<void> {
  if (!(await holdsWithin(check, timeoutMs))) throw new Error(`timed out waiting for ${what}`);
}

async function terminateAll(client: Client, ids: readonly string[]): Promise<void> {
  await each(ids, (id) =>
    client.workflow
      .getHandle(id)
      .terminate('trigger-scale bench done')
      .catch(() => undefined),
  );
}

interface Usage {
  devRss: number;
  devCpu: number;
  ownCpu: number;
  /** This process's resident memory in MB: the engine's one worker runs here. */
  workerRss: number;
}

function usage(devPid: number | undefined): Usage {
  return {
    devRss: devPid ? rssMb(devPid) : NaN,
    devCpu: devPid ? cpuSeconds(devPid) : NaN,
    ownCpu: process.cpuUsage().user / 1e6 + process.cpuUsage().system / 1e6,
    workerRss: process.memoryUsage().rss / 1_048_576,
  };
}

const fmt = (value: number, digits = 1) =>
  Number.isFinite(value) ? value.toLocaleString('en-US', { maximumFractionDigits: digits }) : 'n/a';
const ratio = (a: number, b: number) => `**${(a / b).toFixed(2)}×**`;

async function pollers(engine: BenchEngine, devPid: number | undefined) {
  const client = engine.client;
  const plan: Plan = recordingPlan('scale-poll', [{ kind: 'gong.call.new', settings: { every: EVERY_MS } }]);
  const company = QUIET
    ? await engine.emulator.admin.createCompany({
        name: 'Quiet',
        callCount: 0,
        userCount: 1,
        rateLimits: EMULATED_RATE_LIMITS,
      })
    : undefined;
  const ids = registerKeyConnections(engine, 'scale-poll', POLLERS, company);
  const pollerIds = ids.map((id) => pollerWorkflowId(plan.name, 'gong.call.new', id));
  const bareIds = ids.map((_, index) => `bare-loop-${index}`);
  log(`deploying ${POLLERS} pollers (every ${EVERY_MS} ms) and ${POLLERS} bare timer loops`);
  const deploy = await interleaved(
    POLLERS,
    (index) => deployTriggers(client, { plan, connectionId: ids[index]!, taskQueue: engine.taskQueue }),
    (index) =>
      client.workflow.start('bareTimerLoop', {
        workflowId: bareIds[index]!,
        taskQueue: engine.taskQueue,
        args: [EVERY_MS],
      }),
  );
  const settleMs =
    SETTLE_ARGUMENT !== undefined
      ? Number(SETTLE_ARGUMENT)
      : Math.max(0, EVERY_MS - deploy.seconds * 1000) + 5_000;
  const deployEnded = performance.now();
  log(`deployed in ${deploy.seconds.toFixed(0)} s; waiting ${settleMs / 1000} s for steady state`);
  await new Promise((resolve) => setTimeout(resolve, settleMs));
  // The worker works through the deploy's backlog (each trigger's first workflow task, each poller's baseline
  // poll) before the window: events it catches up on are not a steady state's.
  // A worker that never catches up is a result too: the window is then measured anyway (and says so), rather
  // than the run ending with nothing after a half-hour deploy.
  const caughtUp = await holdsWithin(async () => {
    const [poller, bare] = await Promise.all([
      client.workflow.getHandle(pollerIds.at(-1)!).describe(),
      client.workflow.getHandle(bareIds.at(-1)!).describe(),
    ]);
    return poller.historyLength >= 11 && bare.historyLength >= 5;
  }, CATCH_UP_MS);
  const caughtUpAfter = caughtUp ? (performance.now() - deployEnded) / 1000 : NaN;
  if (!caughtUp)
    log(`the worker had not caught up with the deploy after ${CATCH_UP_MS / 1000} s: measuring anyway`);
  // History lengths of up to COUNTED triggers of each side, spread over the deploy order, read before and
  // after the window and scaled to all; CPU is read at the window's edges, so the reads are not in it.
  const countedPollers = evenly(pollerIds, COUNTED);
  const countedBare = evenly(bareIds, COUNTED);
  const histories = async () => {
    const started = performance.now();
    const poller = (await historyTotal(client, countedPollers)) * (POLLERS / countedPollers.length);
    const bare = (await historyTotal(client, countedBare)) * (POLLERS / countedBare.length);
    return { poller, bare, at: (started + performance.now()) / 2 };
  };
  const beforeHistories = await histories();
  const before = { ...beforeHistories, usage: usage(devPid), at: performance.now(), load: loadAverage() };
  log(`window of ${WINDOW_MS / 1000} s`);
  await new Promise((resolve) => setTimeout(resolve, WINDOW_MS));
  const afterUsage = { usage: usage(devPid), at: performance.now(), load: loadAverage() };
  const afterHistories = await histories();
  const after = { ...afterHistories, ...afterUsage };
  /** Seconds between the two history reads (their midpoints): the span the event counts cover. */
  const historySeconds = (afterHistories.at - beforeHistories.at) / 1000;
  const others = (await running(client, 'gongBudgetShard')).length;
  const sampleStep = Math.max(1, Math.floor(POLLERS / SAMPLE));
  const sample = pollerIds.filter((_, index) => index % sampleStep === 0).slice(0, SAMPLE);
  const pollerCycle = await cycleEvents(client, sample);
  const bareCycle = await cycleEvents(
    client,
    bareIds.filter((_, index) => index % sampleStep === 0).slice(0, SAMPLE),
  );
  logged('pollers window', { before, after, pollerCycle, bareCycle });
  let polls = 0;
  let requests = 0;
  let unanswered = 0;
  for (const id of sample) {
    try {
      const status = await client.workflow.getHandle(id).query<PollerStatus>('triggerStatus');
      polls += status.stats.polls;
      requests += status.stats.gongRequests;
    } catch {
      // A query needs a workflow task: a worker far behind lets it time out (1,000 pollers on one worker).
      unanswered += 1;
    }
  }
  log(`terminating ${POLLERS * 2} workflows`);
  await terminateAll(client, [...pollerIds, ...bareIds]);
  const seconds = (after.at - before.at) / 1000;
  return {
    deploy,
    caughtUpAfter,
    before,
    after,
    seconds,
    historySeconds,
    pollerCycle,
    bareCycle,
    polls,
    requests,
    unanswered,
    others,
  };
}

async function schedules(engine: BenchEngine, devPid: number | undefined) {
  const client = engine.client;
  const plan: Plan = recordingPlan('scale-sched', [
    { kind: 'schedule', settings: { cron: CRON, ...(JITTER_MS > 0 ? { jitter: JITTER_MS } : {}) } },
  ]);
  const ids = registerKeyConnections(engine, 'scale-sched', SCHEDULES);
  const scheduleIds = ids.map((id) => scheduleId(plan.name, 'schedule', id));
  const bareIds = ids.map((_, index) => `bare-schedule-${index}`);
  log(`deploying ${SCHEDULES} schedules and ${SCHEDULES} bare schedules (${CRON})`);
  const deploy = await interleaved(
    SCHEDULES,
    (index) =>
      retriedOnDeadline('deploys', () =>
        deployTriggers(client, { plan, connectionId: ids[index]!, taskQueue: engine.taskQueue }),
      ),
    (index) =>
      retriedOnDeadline('creates', () =>
        client.schedule.create({
          scheduleId: bareIds[index]!,
          spec: { cronExpressions: [CRON], ...(JITTER_MS > 0 ? { jitter: JITTER_MS } : {}) },
          action: {
            type: 'startWorkflow',
            workflowType: 'bareScheduled',
            taskQueue: engine.taskQueue,
            workflowId: `bare-scheduled-${index}`,
          },
        }),
      ),
  );
  const waitMs =
    WINDOW_AT_MS === undefined
      ? 60_000 - (Date.now() % 60_000) + 2_000 // the next minute's first fires
      : Math.max(0, WINDOW_AT_MS - Date.now());
  log(`deployed in ${deploy.seconds.toFixed(0)} s; window in ${(waitMs / 1000).toFixed(0)} s`);
  await new Promise((resolve) => setTimeout(resolve, waitMs));
  // Fires are counted from the runs they start (visibility), not by describing each schedule: describes go
  // through each schedule's scheduler workflow, and 2,000 of them outlasted the dev server's deadline.
  const since = new Date();
  const before = {
    usage: usage(devPid),
    at: performance.now(),
    load: loadAverage(),
  };
  log(`window of ${WINDOW_MS / 1000} s`);
  await new Promise((resolve) => setTimeout(resolve, WINDOW_MS));
  // Runs started in the window have had time to finish by the end of the next minute's first seconds.
  const after = {
    usage: usage(devPid),
    at: performance.now(),
    load: loadAverage(),
  };
  log('deleting schedules');
  await each([...scheduleIds, ...bareIds], (id) =>
    client.schedule
      .getHandle(id)
      .delete()
      .catch(() => undefined),
  );
  await waitUntil(
    async () => (await running(client, 'orchestration')).length === 0,
    'the last scheduled runs to finish',
  );
  const gongflowRuns = await closedRuns(client, 'orchestration', since);
  const bareRuns = await closedRuns(client, 'bareScheduled', since);
  const seconds = (after.at - before.at) / 1000;
  return { deploy, before, after, seconds, gongflowRuns, bareRuns };
}

async function idle(engine: BenchEngine, devPid: number | undefined) {
  const client = engine.client;
  const plan: Plan = recordingPlan('scale-idle', [{ kind: 'gong.call.new', settings: { every: HOUR_MS } }]);
  const ids = registerKeyConnections(engine, 'scale-idle', IDLE);
  const pollerIds = ids.map((id) => pollerWorkflowId(plan.name, 'gong.call.new', id));
  const bareIds = ids.map((_, index) => `bare-idle-${index}`);
  const empty = usage(devPid);
  log(`deploying ${IDLE} pollers and ${IDLE} bare loops with a 1 h interval`);
  // In steps of 1,000, reading the dev server's memory after each: the curve, and a partial result if the
  // machine cannot go all the way.
  const curve: Array<{
    deployed: number;
    seconds: number;
    devRss: number;
    pollerP50: number;
    bareP50: number;
  }> = [];
  const deploy = { seconds: 0 };
  for (let from = 0; from < IDLE; from += 1_000) {
    const count = Math.min(1_000, IDLE - from);
    const step = await interleaved(
      count,
      (index) =>
        deployTriggers(client, { plan, connectionId: ids[from + index]!, taskQueue: engine.taskQueue }),
      (index) =>
        client.workflow.start('bareTimerLoop', {
          workflowId: bareIds[from + index]!,
          taskQueue: engine.taskQueue,
          args: [HOUR_MS],
        }),
    );
    deploy.seconds += step.seconds;
    curve.push({
      deployed: from + count,
      seconds: step.seconds,
      devRss: usage(devPid).devRss,
      pollerP50: percentile(step.a, 50),
      bareP50: percentile(step.b, 50),
    });
    log(`idle: ${JSON.stringify(curve.at(-1))}`);
  }
  log(`deployed in ${deploy.seconds.toFixed(0)} s; waiting for every baseline poll`);
  const start = performance.now();
  await waitUntil(async () => {
    const last = await client.workflow.getHandle(pollerIds.at(-1)!).describe();
    return last.historyLength >= 11;
  }, 'the last poller to finish its baseline poll');
  const settled = usage(devPid);
  const sampled = Math.min(200, IDLE);
  const events = (await historyTotal(client, pollerIds.slice(0, sampled))) / sampled;
  const bareEvents = (await historyTotal(client, bareIds.slice(0, sampled))) / sampled;
  const settle = (performance.now() - start) / 1000;
  const load = loadAverage();
  log(`terminating ${IDLE * 2} workflows`);
  await terminateAll(client, [...pollerIds, ...bareIds]);
  return { deploy, curve, empty, settled, settle, events, bareEvents, load };
}

function logged<T>(phase: string, result: T): T {
  log(
    `${phase}: ${JSON.stringify(result, (_, value: unknown) => (Array.isArray(value) && value.length > 50 ? percentile(value as number[], 50) : value))}`,
  );
  return result;
}

async function main(): Promise<void> {
  const saved = argument('render');
  if (saved) {
    // Writes the section from results saved by an earlier run (its JSON, with the same arguments).
    const { p, s, i, startLoad } = JSON.parse(readFileSync(saved, 'utf8')) as Results;
    reportBenchmark('Trigger scale', body(p, s, i, startLoad));
    return;
  }
  const workflowsPath = path.join(__dirname, 'trigger-scale', 'workflows.ts');
  const engine = await startBenchEngine({
    workflowsPath,
    emulator: { rateLimits: EMULATED_RATE_LIMITS },
    // Every poller's connection reaches one emulated company: with the budget at Gong's 3 requests a second
    // (the default), polls would wait for that company's slots, and the benchmark would measure the budget of
    // one company instead of N pollers' cost (10,000 pollers every 15 min poll 11 times a second). Each
    // customer's company has a budget of its own; here the one company's budget is set to its emulated limits.
    configure: (config) => ({
      ...config,
      gong: { ...config.gong, budget: { ...config.gong.budget, ...BENCH_COMPANY_LIMITS } },
      ...(CACHE ? { worker: { ...config.worker, maxCachedWorkflows: Number(CACHE) } } : {}),
    }),
  });
  const devPid = devServerPid(engine.server.address);
  const startLoad = loadAverage();
  try {
    // Each phase's results are printed as soon as it ends: a long run stopped later still leaves them.
    const p = POLLERS > 0 ? logged('pollers', await pollers(engine, devPid)) : undefined;
    const s = SCHEDULES > 0 ? logged('schedules', await schedules(engine, devPid)) : undefined;
    const i = IDLE > 0 ? logged('idle', await idle(engine, devPid)) : undefined;
    process.stderr.write(`results: ${JSON.stringify({ p, s, i, startLoad })}\n`);
    reportBenchmark('Trigger scale', body(p, s, i, startLoad));
  } catch (error) {
    // Logged before the engine closes: a close that fails too would hide it.
    log(`failed: ${String(error)}; cause: ${String((error as { cause?: unknown }).cause)}`);
    throw error;
  } finally {
    await engine.close();
  }
}

type Pollers = Awaited<ReturnType<typeof pollers>>;
type Schedules = Awaited<ReturnType<typeof schedules>>;
type Idle = Awaited<ReturnType<typeof idle>>;

interface Results {
  p?: Pollers;
  s?: Schedules;
  i?: Idle;
  startLoad: string;
}

const POLLS_PER_HOUR = HOUR_MS / DEFAULT_EVERY_MS;

function body(
  p: Pollers | undefined,
  s: Schedules | undefined,
  i: Idle | undefined,
  startLoad: string,
): string {
  const parts = [`Load average at the start ${startLoad}.`];
  if (p) parts.push(pollerTable(p));
  if (s) parts.push(scheduleTable(s));
  if (i) parts.push(idleTable(i));
  return parts.join('\n\n');
}

function pollerTable(p: Pollers): string {
  const poller = p.pollerCycle;
  const bare = p.bareCycle;
  const actions = (cycle: Pollers['pollerCycle']) =>
    (cycle.byType['TIMER_STARTED'] ?? 0) + (cycle.byType['ACTIVITY_TASK_SCHEDULED'] ?? 0);
  const cyclesInWindow = (POLLERS * p.historySeconds * 1000) / EVERY_MS;
  const row = (name: string, cycle: Pollers['pollerCycle'], windowEvents: number) =>
    `| ${name} | ${ratio(cycle.perCycle, bare.perCycle)} | ${fmt(cycle.perCycle, 2)} | ${fmt(actions(cycle), 2)} | ${fmt(windowEvents / p.historySeconds, 1)} (${fmt(windowEvents / cyclesInWindow, 2)}) | ${fmt(cycle.perCycle * POLLS_PER_HOUR)} | ${fmt(cycle.perCycle * POLLS_PER_HOUR * 1_000, 0)} | ${fmt(cycle.perCycle * POLLS_PER_HOUR * 10_000, 0)} | ${fmt(actions(cycle) * POLLS_PER_HOUR * 10_000, 0)} |`;
  const requestsPerPoll = p.requests / p.polls;
  return [
    `Pollers: ${POLLERS} \`gong.call.new\` pollers deployed with \`deployTriggers\` (one connection each, every ${EVERY_MS / 1000} s) and ${POLLERS} bare timer loops (\`sleep(every)\` forever), deployed interleaved, run together; deployed in ${fmt(p.deploy.seconds, 0)} s, the worker caught up ${fmt(p.caughtUpAfter, 0)} s later (${fmt((POLLERS * 60) / p.deploy.seconds, 0)} pollers a minute, with as many bare starts; poller deploy p50 ${fmt(percentile(p.deploy.a, 50), 0)} ms, bare start p50 ${fmt(percentile(p.deploy.b, 50), 0)} ms); window ${fmt(p.seconds, 0)} s, load ${p.before.load} → ${p.after.load}. Events per cycle by type from ${poller.cycles} / ${bare.cycles} sampled cycles: poller ${JSON.stringify(poller.byType)}, bare ${JSON.stringify(bare.byType)} (WORKFLOW_TASK_TIMED_OUT: the worker behind).`,
    '',
    '| trigger | events per cycle vs bare | events per cycle (sampled histories) | actions per cycle (timers + activities) | events/s in the window, all ' +
      POLLERS +
      ' (per cycle due) | events/h per trigger at 15 m | events/h, 1,000 (extrapolated) | events/h, 10,000 (extrapolated) | actions/h, 10,000 (extrapolated) |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    row('gongflow poller', poller, p.after.poller - p.before.poller),
    row('bare timer loop', bare, p.after.bare - p.before.bare),
    '',
    `Dev server during the window (both kinds at once, ${fmt((POLLERS * 2 * 3_600_000) / EVERY_MS, 0)} cycles/h): ${fmt((p.after.usage.devCpu - p.before.usage.devCpu) / p.seconds, 2)} CPU s/s, RSS ${fmt(p.after.usage.devRss, 0)} MB; the bench process (its one worker) RSS ${fmt(p.after.usage.workerRss, 0)} MB. Gong requests: ${p.requests} in ${p.polls} polls of ${SAMPLE - (p.unanswered ?? 0)} sampled pollers that answered the status query (of ${SAMPLE}) (${fmt(requestsPerPoll, 2)} a poll with no new calls), so ${fmt(requestsPerPoll * 96, 0)} a day at the default 15 m.`,
  ].join('\n');
}

function scheduleTable(s: Schedules): string {
  // Fires are counted as the runs they started: a Schedule's numActionsTaken, read with describe, lagged
  // far behind on the dev server (9 of ~150 fires), and its scheduler workflow's history is not readable
  // consistently from a client, so the scheduler's own events are not in these numbers.
  const runPerFire = s.gongflowRuns.events / s.gongflowRuns.runs;
  const bareRunPerFire = s.bareRuns.events / s.bareRuns.runs;
  const row = (name: string, runs: number, run: number) =>
    `| ${name} | ${ratio(run, bareRunPerFire)} | ${runs} | ${fmt(run, 2)} | 1 | ${fmt(run * 1_000, 0)} | ${fmt(run * 10_000, 0)} |`;
  return [
    `Schedules: ${SCHEDULES} schedule triggers deployed with \`deployTriggers\` (\`${CRON}\`, a recording plan: one \`set\` step) and ${SCHEDULES} bare Temporal Schedules (same cron, a workflow that returns at once), interleaved, run together; deployed in ${fmt(s.deploy.seconds, 0)} s (${fmt((SCHEDULES * 60) / s.deploy.seconds, 0)} schedules a minute, with as many bare ones; deploy p50 ${fmt(percentile(s.deploy.a, 50), 0)} ms, bare create p50 ${fmt(percentile(s.deploy.b, 50), 0)} ms; timed out and made again: ${timedOut.deploys} deploys, ${timedOut.creates} bare creates); window ${fmt(s.seconds, 0)} s, load ${s.before.load} → ${s.after.load}. Runs started from the window's start until the schedules were deleted.`,
    '',
    '| trigger | events per fire vs bare | runs (fires) | events per run | actions per fire (schedule action) | events/h, 1,000 hourly (extrapolated) | events/h, 10,000 hourly (extrapolated) |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    row('gongflow schedule', s.gongflowRuns.runs, runPerFire),
    row('bare Temporal Schedule', s.bareRuns.runs, bareRunPerFire),
    '',
    `Dev server during the window (both kinds at once): ${fmt((s.after.usage.devCpu - s.before.usage.devCpu) / s.seconds, 2)} CPU s/s, RSS ${fmt(s.after.usage.devRss, 0)} MB; the bench process (its one worker) RSS ${fmt(s.after.usage.workerRss, 0)} MB.`,
  ].join('\n');
}

function idleTable(i: Idle): string {
  return [
    `Idle: ${IDLE} pollers (1 h interval, one connection each, each doing its deploy-time baseline poll) and ${IDLE} bare timer loops, deployed interleaved by 1,000s; load at the end ${i.load}. Dev server RSS ${fmt(i.empty.devRss, 0)} MB before; once every baseline poll was done (${fmt(i.settle, 0)} s after the last deploy) ${fmt(i.settled.devRss, 0)} MB; events per poller ${fmt(i.events, 1)}, per bare loop ${fmt(i.bareEvents, 1)}.`,
    '',
    '| deployed (each kind) | poller deploy p50 vs bare start p50 | poller deploy p50 | bare start p50 | seconds for this 1,000 (both kinds) | dev server RSS |',
    '| --- | --- | --- | --- | --- | --- |',
    ...i.curve.map(
      (step) =>
        `| ${fmt(step.deployed, 0)} | ${ratio(step.pollerP50, step.bareP50)} | ${fmt(step.pollerP50, 0)} ms | ${fmt(step.bareP50, 0)} ms | ${fmt(step.seconds, 0)} | ${fmt(step.devRss, 0)} MB |`,
    ),
  ].join('\n');
}

runBenchmark(main);
