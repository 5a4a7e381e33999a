/**
 * Benchmark of the per-company Gong budget: how close to Gong's 3 calls/s the workers of one company get,
 * with 1 and with 3 worker processes sharing the budget, and how many calls Gong (the emulator) answers 429.
 *
 *   npx tsx bench/gong-budget.bench.ts [--runs 120] [--write]
 *
 * A Temporal server (bench/setup.ts), the Gong emulator in a process of its own with Gong's default limits
 * (Gong is a system of its own: its arrivals are timed without this process's pauses), then worker
 * processes; every run of the probe definition makes three Gong calls, all runs start at once.
 */
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import type { Client } from '@temporalio/client';
import { compileDefinition } from '../definitions/compile';
import type { RequestLogEntry } from '../emulator';
import { findGongAction } from '../gong/catalog';
import { GongClient } from '../gong/client/client';
import { companyKeyOf, type BudgetState } from '../gong/budget/reservation';
import { readCompanyBudget } from '../gong/budget/temporal-budget';
import { startRun } from '../runs/start';
import {
  startEmulatorProcess,
  startWorkerProcess,
  workerProcessClient,
  type EmulatorProcess,
} from '../test/support/processes';
import { loadAverage, reportBenchmark } from './sections';
import { numberArgument, runBenchmark, startBenchServer } from './setup';
import { budgetProbeDefinition } from '../test/support/budget-probe';

const LIMIT_PER_SECOND = 3;
const CALLS_PER_RUN = 3;
const DEFINITION = budgetProbeDefinition('budget-bench');

export interface BudgetMeasurement {
  workers: number;
  runs: number;
  calls: number;
  served: number;
  tooMany: number;
  /** Send slots handed out by the budget workflow: more than `calls` when late requests took fresh slots. */
  slots: number;
  /** Served calls per second between the first and the last call, as a fraction of the limit. */
  fractionOfLimit: number;
  /** The same over the second half of the served calls: after the budget has measured the lateness. */
  sustainedFractionOfLimit: number;
  /** The budget's spacing at the end (slots are spacing / limit apart). */
  spacing: number;
  rate429: number;
  wallSeconds: number;
  loadBefore: string;
  loadAfter: string;
}

/** Served calls per second over `times` (sorted), as a fraction of the limit. */
function fractionOf(times: number[]): number {
  const spanSeconds = ((times.at(-1) ?? 0) - (times[0] ?? 0)) / 1000;
  return spanSeconds > 0 ? (times.length - 1) / spanSeconds / LIMIT_PER_SECOND : 0;
}

async function measure(
  client: Client,
  emulator: EmulatorProcess,
  workers: number,
  runs: number,
  userId: string,
): Promise<BudgetMeasurement> {
  const company = emulator.defaultCompany;
  // A task queue (so a budget workflow) per round: each round starts from the budget's initial spacing.
  const taskQueue = `bench-budget-${randomUUID()}`;
  const env = {
    GONGFLOW_TASK_QUEUE: taskQueue,
    GONG_BASE_URL: company.apiBaseUrl,
    GONG_ACCESS_KEY: company.accessKey,
    GONG_ACCESS_KEY_SECRET: company.accessKeySecret,
  };
  const processes = await Promise.all(Array.from({ length: workers }, () => startWorkerProcess(env)));
  try {
    const compiled = compileDefinition(DEFINITION, 'budget-bench.yaml');
    if (!compiled.ok) throw new Error(JSON.stringify(compiled.problems));
    const sinceSeq = Math.max(0, ...(await requestLog(emulator, '')).map((entry) => entry.seq));
    const loadBefore = loadAverage();
    const started = Date.now();
    const handles = await Promise.all(
      Array.from({ length: runs }, () =>
        startRun(client, { plan: compiled.plan, input: { userId }, connectionId: 'emulator', taskQueue }),
      ),
    );
    await Promise.all(handles.map((handle) => handle.result()));
    const wallSeconds = (Date.now() - started) / 1000;
    const budget = await budgetState(client, company.apiBaseUrl, taskQueue);
    const calls = await requestLog(
      emulator,
      `sinceSeq=${sinceSeq}&path=${encodeURIComponent(`/v2/users/${userId}`)}`,
    );
    const served = calls.filter((entry) => entry.status === 200);
    const tooMany = calls.filter((entry) => entry.status === 429).length;
    const times = served.map((entry) => Date.parse(entry.time)).sort((a, b) => a - b);
    return {
      workers,
      runs,
      calls: calls.length,
      served: served.length,
      tooMany,
      slots: budget.reservations,
      fractionOfLimit: fractionOf(times),
      sustainedFractionOfLimit: fractionOf(times.slice(Math.floor(times.length / 2))),
      spacing: budget.spacing,
      rate429: calls.length > 0 ? tooMany / calls.length : 0,
      wallSeconds,
      loadBefore,
      loadAfter: loadAverage(),
    };
  } finally {
    await Promise.all(processes.map((worker) => worker.stop()));
  }
}

async function requestLog(emulator: EmulatorProcess, query: string): Promise<RequestLogEntry[]> {
  const response = await fetch(`${emulator.appUrl}/_emulator/requests?${query}`);
  return ((await response.json()) as { requests: RequestLogEntry[] }).requests;
}

async function budgetState(client: Client, baseUrl: string, taskQueue: string): Promise<BudgetState> {
  const state = await readCompanyBudget(client, companyKeyOf(baseUrl), taskQueue);
  if (!state) throw new Error(`no budget for ${baseUrl} on ${taskQueue}`);
  return state;
}

function percent(value: number): string {
  return `${(value * 100).toFixed(1)}%`;
}

function section(results: BudgetMeasurement[]): string {
  const rows = results.map(
    (result) =>
      `| ${result.workers} | ${result.runs} | ${result.served} | ${percent(result.fractionOfLimit)} | ${percent(result.sustainedFractionOfLimit)} | ${result.spacing.toFixed(3)} | ${result.tooMany} (${(result.rate429 * 100).toFixed(2)}%) | ${result.slots - result.calls} | ${result.wallSeconds.toFixed(1)} s | ${result.loadBefore} → ${result.loadAfter} |`,
  );
  return [
    `\`npx tsx bench/gong-budget.bench.ts --write\`, ${os.cpus().length} cores shared with other jobs: one company on the`,
    `Gong emulator (its own process) with Gong's default limits (${LIMIT_PER_SECOND} calls/s, 10,000/day); every run makes`,
    `${CALLS_PER_RUN} sequential \`gong.users.get\` calls, all runs start at once; each round starts a fresh budget. "Of the`,
    'limit" counts the calls Gong served between the first and the last one; "sustained" the same over the second',
    'half of them, once the budget has measured the lateness of its requests. Target: at least 95% of the limit,',
    'at most 0.5% answered 429.',
    '',
    '| worker processes | runs | calls served | of the limit | sustained | spacing at the end | answered 429 | slots wasted | wall time | load average (1, 5, 15 min) |',
    '| ---------------- | ---- | ------------ | ------------ | --------- | ------------------ | ------------ | ------------ | --------- | --------------------------- |',
    ...rows,
    '',
    'Slots are `spacing / limit` apart. The spacing starts at 1.10 and follows the measured lateness of the',
    "requests (99.5th percentile + 10 ms): Gong's sliding second refuses a call only when calls three apart",
    'arrive less than a second apart, so (spacing - 1) x 1000 ms must cover the arrival jitter; a 429 widens it',
    'at once (`gong/budget/README.md`). A request that wakes more than 25 ms after its slot takes a fresh one',
    '("slots wasted"). Each worker asks for the slots of all its waiting requests in one update (at most one in',
    'flight per company), and a request cancelled while it waits gives its slot back for the next reservation.',
    'The first slots of a round (one per run, all reserved at once) are spaced at 1.10, before any lateness is',
    'measured: "sustained" still contains part of them, so it is a lower bound of the steady rate.',
  ].join('\n');
}

async function main(): Promise<void> {
  const runs = numberArgument('runs', 120);
  const server = await startBenchServer();
  const emulator = await startEmulatorProcess();
  // Encrypting like the worker processes (their project data folder, the same generated key).
  const temporal = await workerProcessClient();
  try {
    const company = emulator.defaultCompany;
    const authorization = `Basic ${Buffer.from(`${company.accessKey}:${company.accessKeySecret}`).toString('base64')}`;
    const gong = new GongClient(
      {
        connectionId: 'bench',
        baseUrl: company.apiBaseUrl,
        authorization: () => Promise.resolve(authorization),
      },
      { timeoutMs: 10_000 },
    );
    const listed = (await gong.callAction(findGongAction('gong.users.list')!, { maxItems: 1 })) as {
      users: { id: string }[];
    };
    const userId = listed.users[0]!.id;
    const results: BudgetMeasurement[] = [];
    for (const workers of [1, 3]) {
      const result = await measure(temporal.client, emulator, workers, runs, userId);
      process.stderr.write(`${JSON.stringify(result)}\n`);
      results.push(result);
    }
    reportBenchmark('Gong budget (per company)', section(results));
  } finally {
    await temporal.close();
    await emulator.stop();
    await server.stop();
  }
}

runBenchmark(main);
