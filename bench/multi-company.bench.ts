/**
 * Benchmark of many companies at once: Gong calls per second through the per-company budget, with 100 and
 * 1,000 emulated companies (one emulator process, each company at Gong's real limits: 3 calls/s, 10,000/day)
 * and 1 and 3 worker processes, against the same runs on workers whose Gong actions reserve no slot (the
 * ceiling this machine reaches with the same work). Runs are spread over the companies round robin, a fixed
 * number in flight; calls are counted where Gong sees them (the emulator's request log).
 *
 *   npx tsx bench/multi-company.bench.ts [--companies 100,1000] [--workers 1,3] [--in-flight 200]
 *     [--seconds 40] [--warmup 30] [--order bccb] [--leases on|off] [--lease-ms 5000] [--write]
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Client, WorkflowHandle } from '@temporalio/client';
import { loadConfig } from '../config/load';
import { compileDefinition } from '../definitions/compile';
import type { Plan } from '../definitions/plan';
import type { RequestLogEntry } from '../emulator';
import { LEASE_BOUNDS_MS, LEASE_MS } from '../gong/budget/lease';
import { BUDGET_SHARDS, shardWorkflowId } from '../gong/budget/shard';
import { createGongflowClient } from '../runs/client';
import { startRun } from '../runs/start';
import { resolveTemporal } from '../temporal/connection';
import { startEmulatorProcess, type EmulatorProcess } from '../test/support/processes';
import { BUNDLE_FILE_VARIABLE, writeWorkflowBundle } from '../workers/bundle';
import type { SlotWait } from './multi-company/measured-budget';
import { leaseCoverage, type WorkerWait } from './multi-company/lease-reuse';
import { summarizeWaits, type WaitSummary } from './multi-company/starvation';
import type { BenchConnection } from './multi-company/worker';
import { loadAverage, reportBenchmark } from './sections';
import {
  argument,
  numberArgument,
  numberListArgument,
  percentile,
  refuseOption,
  runBenchmark,
  startBenchServer,
} from './setup';

const TITLE = 'Many companies (Gong budget at scale)';
const LIMIT_PER_SECOND = 3;
const CALLS_PER_RUN = 3;
const WORKER_SCRIPT = path.join(__dirname, 'multi-company', 'worker.ts');

const DEFINITION = `
name: many-companies
version: 1
steps:
  - { id: first, action: gong.users.list }
  - { id: second, action: gong.users.list }
  - { id: third, action: gong.users.list }
output: \${{ size(steps.third.output.users) }}
`;

type Side = 'budget' | 'ceiling';

interface BenchOptions {
  inFlight: number;
  seconds: number;
  warmup: number;
  /** Budget side: whether workers take company leases, and how long they ask them for. */
  leases: boolean;
  leaseMs: number;
}

/** Lease lengths (ms) whose coverage of the asks is reported (see `leaseCoverage`). */
const LEASE_LENGTHS = [10_000, 30_000];
/** An ask answered this fast came from the worker's company lease: a shard's update takes milliseconds. */
const LEASED_ANSWER_MS = 1;

interface Round {
  side: Side;
  companies: number;
  workers: number;
  served: number;
  tooMany: number;
  seconds: number;
  /** Served calls per company in the window (every company, zeros included). */
  perCompany: number[];
  /** Calls served in each 5 s from the round's start, warm-up included (shows a stall or a slow start). */
  timeline: number[];
  /** Seconds from the round's start (runs starting, workers just ready) to the first call Gong served. */
  firstCallSeconds: number;
  /** Budget side: what its budget workflows did (a sample of companies). */
  cost?: BudgetCost;
  /** Budget side: each request's wait for its slot, asked in the counted window (every worker's). */
  waits: SlotWait[];
  /** Budget side, per LEASE_LENGTHS entry: asks in the counted window, and those a lease would have served. */
  leases: Array<{ asks: number; covered: number }>;
  /** Budget side: asks in the counted window a company lease answered (no update: answered within 1 ms). */
  leased: number;
  loadBefore: string;
  loadAfter: string;
}

interface BudgetCost {
  /** History events of the sampled companies' budget workflows. */
  events: number;
  /** Slots those budget workflows handed out. */
  slots: number;
}

/**
 * What the budget cost the server: history events of the budget workflows (every shard of the round's task
 * queue) per slot they handed out. An update is about five events (its workflow task scheduled, started,
 * completed; accepted; completed), fewer when several share a workflow task; ~5 per slot would be one update
 * per Gong call: no batching.
 */
async function budgetCost(bench: Bench, taskQueue: string): Promise<BudgetCost> {
  const cost: BudgetCost = { events: 0, slots: 0 };
  await Promise.all(
    Array.from({ length: BUDGET_SHARDS }, async (_, shard) => {
      const handle = bench.client.workflow.getHandle(shardWorkflowId(shard, taskQueue));
      try {
        const { raw } = await handle.describe();
        const size = await handle.query<{ reservations: number }>('gongflow.budget.shard');
        cost.events += Number(raw.workflowExecutionInfo?.historyLength ?? 0);
        cost.slots += size.reservations;
      } catch {
        // No such shard: none of its companies got a call in this round.
      }
    }),
  );
  return cost;
}

interface Bench {
  client: Client;
  emulator: EmulatorProcess;
  dataDir: string;
  bundleFile: string;
  plan: Plan;
  connections: BenchConnection[];
  /** Company id (the request log's host) of each connection, in order. */
  companyIds: string[];
}

function compilePlan(): Plan {
  const compiled = compileDefinition(DEFINITION, 'many-companies.yaml');
  if (!compiled.ok) throw new Error(`the definition does not compile: ${JSON.stringify(compiled.problems)}`);
  return compiled.plan;
}

/** Adds emulated companies (Gong's default limits, 5 users each) until there are `count`. */
async function ensureCompanies(bench: Bench, count: number): Promise<void> {
  while (bench.connections.length < count) {
    const index = bench.connections.length;
    const response = await fetch(`${bench.emulator.appUrl}/_emulator/companies`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: `Bench company ${index}`, userCount: 5, callCount: 0 }),
    });
    if (response.status !== 201)
      throw new Error(`company ${index}: ${response.status} ${await response.text()}`);
    const company = (await response.json()) as {
      id: string;
      apiBaseUrl: string;
      accessKey: string;
      accessKeySecret: string;
    };
    bench.connections.push({
      id: `company-${index}`,
      baseUrl: company.apiBaseUrl,
      accessKey: company.accessKey,
      accessKeySecret: company.accessKeySecret,
    });
    bench.companyIds.push(company.id);
  }
}

/** Starts a worker process of bench/multi-company/worker.ts; resolves once it polls. */
async function startWorker(bench: Bench, env: Record<string, string>): Promise<() => Promise<void>> {
  const child = spawn(process.execPath, ['--require', 'tsx/cjs', WORKER_SCRIPT], {
    cwd: path.resolve(__dirname, '..'),
    env: {
      ...process.env,
      GONGFLOW_DATA_DIR: bench.dataDir,
      [BUNDLE_FILE_VARIABLE]: bench.bundleFile,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`worker exited with ${code}: ${stderr.slice(-2000)}`)));
    child.stdout?.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('ready')) resolve();
    });
  });
  return async () => {
    if (child.exitCode === null) child.kill('SIGTERM');
    await exited;
  };
}

/** Gong's side of a round: every request the emulator logged after `sinceSeq`, read as they come. */
class RequestCounter {
  private seq: number;
  private readonly entries: Array<Pick<RequestLogEntry, 'host' | 'status' | 'time' | 'path'>> = [];

  constructor(
    private readonly emulator: EmulatorProcess,
    sinceSeq: number,
  ) {
    this.seq = sinceSeq;
  }

  /** The sequence number of the latest request the emulator logged. */
  static async latestSeq(emulator: EmulatorProcess): Promise<number> {
    const response = await fetch(`${emulator.appUrl}/_emulator/requests`);
    const { requests } = (await response.json()) as { requests: RequestLogEntry[] };
    return requests.at(-1)?.seq ?? 0;
  }

  /** Reads what came since the last read (the log keeps 5,000: read at least that often). */
  async read(): Promise<void> {
    const response = await fetch(`${this.emulator.appUrl}/_emulator/requests?sinceSeq=${this.seq}`);
    const { requests } = (await response.json()) as { requests: RequestLogEntry[] };
    for (const entry of requests) {
      this.seq = Math.max(this.seq, entry.seq);
      if (entry.path === '/v2/users') this.entries.push(entry);
    }
  }

  /** Requests that arrived in [fromMs, toMs). */
  between(fromMs: number, toMs: number) {
    return this.entries.filter((entry) => {
      const at = Date.parse(entry.time);
      return at >= fromMs && at < toMs;
    });
  }
}

async function round(
  bench: Bench,
  side: Side,
  companies: number,
  workers: number,
  options: BenchOptions,
): Promise<Round> {
  // A task queue per round: its budget workflows start afresh, and nothing is left over from another round.
  const taskQueue = `bench-many-${side}-${companies}-${workers}-${Date.now()}`;
  const connectionsFile = path.join(bench.dataDir, `connections-${companies}.json`);
  writeFileSync(connectionsFile, JSON.stringify(bench.connections.slice(0, companies)));
  const waitFiles = Array.from({ length: workers }, (_, index) =>
    path.join(bench.dataDir, `waits-${taskQueue}-${index}.json`),
  );
  const stops = await Promise.all(
    waitFiles.map((waitsFile) =>
      startWorker(bench, {
        GONGFLOW_TASK_QUEUE: taskQueue,
        GONGFLOW_BENCH_CONNECTIONS: connectionsFile,
        GONGFLOW_BENCH_BUDGET: side === 'budget' ? 'on' : 'off',
        GONGFLOW_BENCH_LEASES: options.leases ? 'on' : 'off',
        GONGFLOW_BENCH_LEASE_MS: String(options.leaseMs),
        GONGFLOW_BENCH_WAITS: waitsFile,
      }),
    ),
  );
  let measured: Omit<Round, 'waits' | 'leases' | 'leased'>;
  let window: { fromMs: number; toMs: number };
  try {
    const counter = new RequestCounter(bench.emulator, await RequestCounter.latestSeq(bench.emulator));
    const loadBefore = loadAverage();
    const startedAt = Date.now();
    const measureFrom = startedAt + options.warmup * 1000;
    const measureTo = measureFrom + options.seconds * 1000;
    let next = 0;
    let failures = 0;
    const reader = setInterval(() => void counter.read().catch(() => undefined), 1_000);
    // The window's end: runs still in flight then are not waited for (their drain would only add time).
    const windowEnd = new Promise<'end'>((resolve) =>
      setTimeout(() => resolve('end'), measureTo - Date.now()),
    );
    const unfinished: WorkflowHandle[] = [];
    // Each lane keeps one run in flight, starting the next on the next company as soon as one ends.
    await Promise.all(
      Array.from({ length: options.inFlight }, async () => {
        while (Date.now() < measureTo) {
          const index = next++ % companies;
          try {
            const handle = await startRun(bench.client, {
              plan: bench.plan,
              connectionId: bench.connections[index]!.id,
              taskQueue,
            });
            const result = handle.result().then(() => 'done' as const);
            if ((await Promise.race([result, windowEnd])) === 'end') {
              result.catch(() => undefined);
              unfinished.push(handle);
            }
          } catch {
            failures += 1;
          }
        }
      }),
    );
    clearInterval(reader);
    await counter.read();
    const cost = side === 'budget' ? await budgetCost(bench, taskQueue) : undefined;
    await Promise.all(
      unfinished.map((handle) => handle.terminate('benchmark round over').catch(() => undefined)),
    );
    if (failures > 0) process.stderr.write(`${side}: ${failures} run(s) failed\n`);
    const counted = counter.between(measureFrom, measureTo);
    const timeline = Array.from(
      { length: Math.ceil((measureTo - startedAt) / 5_000) },
      (_, index) =>
        counter
          .between(startedAt + index * 5_000, startedAt + (index + 1) * 5_000)
          .filter((entry) => entry.status === 200).length,
    );
    const hosts = new Map(bench.companyIds.slice(0, companies).map((id) => [id, 0]));
    let served = 0;
    let tooMany = 0;
    for (const entry of counted) {
      if (entry.status === 429) tooMany += 1;
      if (entry.status !== 200) continue;
      served += 1;
      hosts.set(entry.host, (hosts.get(entry.host) ?? 0) + 1);
    }
    window = { fromMs: measureFrom, toMs: measureTo };
    measured = {
      side,
      companies,
      workers,
      served,
      tooMany,
      seconds: options.seconds,
      perCompany: [...hosts.values()],
      timeline,
      firstCallSeconds: firstServed(counter, startedAt, measureTo),
      ...(cost ? { cost } : {}),
      loadBefore,
      loadAfter: loadAverage(),
    };
  } finally {
    await Promise.all(stops.map((stop) => stop()));
  }
  // Written by each budget worker as it stops.
  const allWaits: WorkerWait[] = waitFiles.flatMap((file, worker) =>
    existsSync(file)
      ? (JSON.parse(readFileSync(file, 'utf8')) as SlotWait[]).map((wait) => ({ ...wait, worker }))
      : [],
  );
  const waits = allWaits.filter((wait) => wait.askedAtMs >= window.fromMs && wait.askedAtMs < window.toMs);
  const leases = LEASE_LENGTHS.map((leaseMs) => leaseCoverage(allWaits, leaseMs, window));
  const leased = waits.filter((wait) => wait.answered && wait.roundTripMs <= LEASED_ANSWER_MS).length;
  // Every slot a worker got, from a shard or a lease (the shards count only their own).
  const cost = measured.cost && {
    ...measured.cost,
    slots: allWaits.filter((wait) => wait.answered).length,
  };
  return { ...measured, ...(cost ? { cost } : {}), waits, leases, leased };
}

function firstServed(counter: RequestCounter, fromMs: number, toMs: number): number {
  const first = counter.between(fromMs, toMs).find((entry) => entry.status === 200);
  return first ? (Date.parse(first.time) - fromMs) / 1000 : (toMs - fromMs) / 1000;
}

function summarize(rounds: Round[]) {
  const served = rounds.reduce((sum, entry) => sum + entry.served, 0);
  const seconds = rounds.reduce((sum, entry) => sum + entry.seconds, 0);
  const tooMany = rounds.reduce((sum, entry) => sum + entry.tooMany, 0);
  // A side with no round (`--order b`, a quick look at one side) summarizes to zeros, not a crash.
  const perCompany = (rounds[0]?.perCompany ?? [0]).map((_, index) =>
    rounds.reduce((sum, entry) => sum + (entry.perCompany[index] ?? 0), 0),
  );
  const median = percentile(perCompany, 50);
  const perSecond = served / seconds;
  return {
    perSecond,
    tooManyRate: tooMany / Math.max(1, served + tooMany),
    tooMany,
    /** Calls per second of a company over its limit, median and busiest. */
    limitUsedMedian: median / seconds / LIMIT_PER_SECOND,
    limitUsedMax: Math.max(...perCompany) / seconds / LIMIT_PER_SECOND,
    minOverMedian: median > 0 ? Math.min(...perCompany) / median : 0,
    firstCallSeconds: rounds.reduce((sum, entry) => sum + entry.firstCallSeconds, 0) / rounds.length,
    runsPerSecond: perSecond / CALLS_PER_RUN,
    waits: summarizeWaits(rounds.flatMap((entry) => entry.waits)),
    /** Per lease length, the share of asks a lease per worker and company would have served. */
    leaseShares: LEASE_LENGTHS.map((_, index) => {
      const leases = rounds.map((entry) => entry.leases[index] ?? { asks: 0, covered: 0 });
      const asks = leases.reduce((sum, lease) => sum + lease.asks, 0);
      return leases.reduce((sum, lease) => sum + lease.covered, 0) / Math.max(1, asks);
    }),
    leasedShare:
      rounds.reduce((sum, entry) => sum + entry.leased, 0) /
      Math.max(
        1,
        rounds.reduce((sum, entry) => sum + entry.waits.filter((wait) => wait.answered).length, 0),
      ),
    eventsPerSlot:
      rounds.reduce((sum, entry) => sum + (entry.cost?.events ?? 0), 0) /
      Math.max(
        1,
        rounds.reduce((sum, entry) => sum + (entry.cost?.slots ?? 0), 0),
      ),
  };
}

function waitCells(waits: WaitSummary): string {
  const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  return `${seconds(waits.p50Ms)} / ${seconds(waits.p99Ms)} | **${(waits.worstCompanyMeanMs / waits.worstByChanceMs).toFixed(2)}×** (${seconds(waits.worstCompanyMeanMs)} / ${seconds(waits.worstByChanceMs)}) | ${waits.unansweredOver10s}`;
}

function section(results: Round[], options: BenchOptions): string {
  const groups = new Map<string, Round[]>();
  for (const result of results) {
    const key = `${result.companies}/${result.workers}`;
    groups.set(key, [...(groups.get(key) ?? []), result]);
  }
  const percent = (value: number) => `${(value * 100).toFixed(1)}%`;
  const rows = [...groups.values()].map((group) => {
    const budget = summarize(group.filter((entry) => entry.side === 'budget'));
    const ceiling = summarize(group.filter((entry) => entry.side === 'ceiling'));
    const first = group[0]!;
    const load = `${group[0]!.loadBefore} → ${group.at(-1)!.loadAfter}`;
    return `| ${first.companies.toLocaleString('en-US')} | ${first.workers} | **${(budget.perSecond / ceiling.perSecond).toFixed(2)}×** | ${budget.perSecond.toFixed(1)} | ${ceiling.perSecond.toFixed(1)} | ${budget.tooMany} (${percent(budget.tooManyRate)}) | ${ceiling.tooMany} (${percent(ceiling.tooManyRate)}) | ${budget.minOverMedian.toFixed(2)} / ${ceiling.minOverMedian.toFixed(2)} | ${budget.firstCallSeconds.toFixed(1)} s / ${ceiling.firstCallSeconds.toFixed(1)} s | ${percent(budget.limitUsedMedian)} / ${percent(budget.limitUsedMax)} | ${budget.eventsPerSlot.toFixed(1)} | ${waitCells(budget.waits)} | ${percent(budget.leasedShare)} | ${budget.leaseShares.map(percent).join(' / ')} | ${load} |`;
  });
  const order = results.map((entry) => `${entry.side[0]}`).join('');
  return `
\`npx tsx bench/multi-company.bench.ts --write\`: one Gong emulator process serving every company, each at Gong's
limits (${LIMIT_PER_SECOND} calls/s sliding, 10,000/day); runs of ${CALLS_PER_RUN} sequential \`gong.users.list\` calls, ${options.inFlight} in
flight, each new run on the next company (round robin); ${options.warmup} s of warm-up, then ${options.seconds} s counted per round,
from the emulator's request log. Budget: gongflow's workers (every call reserves its slot from the budget
shard keeping its company, ${BUDGET_SHARDS} shards per task queue, one update per shard carrying a worker's waiting calls${options.leases ? `, or from the worker's lease on the company, ${options.leaseMs / 1000} s long` : '; company leases off'}). Ceiling: the same runs on workers whose Gong actions reserve nothing (every request sent at
once), what this machine does with the same work. Rounds per row ordered budget, ceiling, ceiling, budget
(\`${order}\` overall), each on a fresh task queue (fresh budget workflows); the figures add both rounds of a side.
Runs still in flight when a round's window ends are terminated, not waited for. Budget workflow history
events per slot (every shard; every slot the workers got, from a shard or a lease; warm-up included): an update
costs about five events, so about five per slot would be one update per Gong call.
"First call served after": from the round's start (workers polling, ${options.inFlight} runs starting at once) to
the first call Gong answered, mean of the side's rounds.
Starvation (budget side): each request's wait for its slot, from asking the budget to its slot's instant, for
the requests that asked in the counted window (every worker notes them); the worst company is the one whose
requests waited longest on average, set against the same statistic with the waits dealt to the companies at
random (counts kept, mean of 50 shuffles): near 1× no company is treated worse than chance makes one look;
"unanswered" counts asks still waiting after 10 s when their worker stopped. Min/median served calls per
company is the issue's measure too, but in a 40 s window it mostly counts where each company's runs stood
(the ceiling, with no budget, shows the same spread).
Leases (budget side): "served by a lease", the share of the window's answered asks a company lease answered
(within ${LEASED_ANSWER_MS} ms, no update); "a lease of 10 s / 30 s would serve", the share a lease per worker and
company, taken by an ask no lease covers, would have served without an update, computed from the asks: an
upper bound (it ignores that another worker's lease on the company makes an ask wait).
Targets: ≥ 0.7× the ceiling, ≤ 0.5% answered 429, min/median ≥ 0.8, no company starved.

| companies | worker processes | budget / ceiling | budget calls/s | ceiling calls/s | 429s (budget) | 429s (ceiling) | min / median calls per company (budget / ceiling) | first call served after (budget / ceiling) | limit used per company, median / busiest (budget) | budget workflow history events per slot | slot wait p50 / p99 (budget) | worst company's mean slot wait vs chance (measured / by chance) | asks unanswered after 10 s | asks served by a lease | asks a lease of 10 s / 30 s would serve | load average (1, 5, 15 min) |
|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|
${rows.join('\n')}
`;
}

/** `--leases on|off` (default on): whether the budget side's workers take company leases. */
function leasesArgument(): boolean {
  const value = argument('leases') ?? 'on';
  if (value !== 'on' && value !== 'off') refuseOption(`--leases ${value}: on or off`);
  return value === 'on';
}

async function main(): Promise<void> {
  const companyCounts = numberListArgument('companies', '100,1000');
  const workerCounts = numberListArgument('workers', '1,3');
  const options = {
    inFlight: numberArgument('in-flight', 200, 1),
    seconds: numberArgument('seconds', 40, 1),
    // Long enough for the budget shards' first workflow tasks, queued behind the runs' first ones.
    warmup: numberArgument('warmup', 30),
    leases: leasesArgument(),
    leaseMs: numberArgument('lease-ms', LEASE_MS, LEASE_BOUNDS_MS.min),
  };
  // Rounds of a row, b(udget) and c(eiling): alternated so both sides see the same load.
  const order = argument('order') ?? 'bccb';
  if (!/^[bc]+$/.test(order)) refuseOption(`--order ${order}: letters b (budget) and c (ceiling) only`);
  const sides = [...order].map((letter): Side => (letter === 'b' ? 'budget' : 'ceiling'));
  const server = await startBenchServer();
  const emulator = await startEmulatorProcess();
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'gongflow-bench-many-'));
  const loaded = loadConfig({
    cwd: '/nonexistent-gongflow-bench-cwd',
    env: { TEMPORAL_ADDRESS: server.address },
  });
  const temporal = await createGongflowClient({
    endpoint: await resolveTemporal(loaded),
    config: loaded.config,
    dataDir,
  });
  const bundleFile = path.join(dataDir, 'workflows.js');
  await writeWorkflowBundle(bundleFile);
  const bench: Bench = {
    client: temporal.client,
    emulator,
    dataDir,
    bundleFile,
    plan: compilePlan(),
    connections: [],
    companyIds: [],
  };
  const results: Round[] = [];
  try {
    for (const companies of companyCounts) {
      await ensureCompanies(bench, companies);
      for (const workers of workerCounts)
        for (const side of sides) {
          const result = await round(bench, side, companies, workers, options);
          const { perCompany, waits, ...shown } = result;
          process.stderr.write(
            `${JSON.stringify({ ...shown, minPerCompany: Math.min(...perCompany), medianPerCompany: percentile(perCompany, 50), slotWaits: summarizeWaits(waits) })}\n`,
          );
          results.push(result);
        }
    }
    reportBenchmark(TITLE, section(results, options));
  } finally {
    await temporal.close();
    await emulator.stop();
    await server.stop();
  }
}

runBenchmark(main);
