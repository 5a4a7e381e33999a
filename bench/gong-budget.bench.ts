/**
 * Benchmark of the per-company Gong budget: how close to Gong's 3 calls/s the workers of one company get,
 * with 1 and with 3 worker processes sharing the budget, and how many calls Gong (the emulator) answers 429.
 *
 *   npx tsx bench/gong-budget.bench.ts [--runs 60] [--write]
 *
 * Starts its own Temporal dev server on a free port (or uses TEMPORAL_ADDRESS), the Gong emulator with Gong's
 * default limits, then worker processes; every run of the probe definition makes three Gong calls. `--write`
 * replaces the "Gong budget" section of BENCHMARKS.md with the results.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { compileDefinition } from '../definitions/compile';
import { startEmulator, type GongEmulator } from '../emulator';
import { findGongAction } from '../gong/catalog';
import { GongClient } from '../gong/client/client';
import { budgetWorkflowId, companyKeyOf, type BudgetState } from '../gong/budget/reservation';
import { startRun } from '../runs/start';
import { startDevServer, type DevServer } from '../temporal/dev-server';
import { freePort } from '../test/support/ports';
import { startWorkerProcess, type WorkerProcess } from '../test/support/processes';

const LIMIT_PER_SECOND = 3;
const CALLS_PER_RUN = 3;
const DEFINITION = `
name: budget-bench
version: 1
input:
  userId: { type: string }
steps:
  - { id: first, action: gong.users.get, with: { id: "\${{ input.userId }}" } }
  - { id: second, action: gong.users.get, with: { id: "\${{ input.userId }}" } }
  - { id: third, action: gong.users.get, with: { id: "\${{ input.userId }}" } }
output: \${{ steps.third.output.user.id }}
`;

export interface BudgetMeasurement {
  workers: number;
  runs: number;
  calls: number;
  served: number;
  tooMany: number;
  /** Send slots handed out by the budget workflow: more than `calls` when late requests took fresh slots. */
  slots: number;
  /** Served calls per second between the first and the last call. */
  callsPerSecond: number;
  fractionOfLimit: number;
  rate429: number;
  wallSeconds: number;
}

function argument(name: string): string | undefined {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

async function measure(
  client: Client,
  emulator: GongEmulator,
  workers: number,
  runs: number,
  userId: string,
  taskQueue: string,
): Promise<BudgetMeasurement> {
  const company = emulator.defaultCompany;
  const env = {
    GONGFLOW_TASK_QUEUE: taskQueue,
    GONG_BASE_URL: company.apiBaseUrl,
    GONG_ACCESS_KEY: company.accessKey,
    GONG_ACCESS_KEY_SECRET: company.accessKeySecret,
  };
  const processes: WorkerProcess[] = await Promise.all(
    Array.from({ length: workers }, () => startWorkerProcess(env)),
  );
  try {
    const compiled = compileDefinition(DEFINITION, 'budget-bench.yaml');
    if (!compiled.ok) throw new Error(JSON.stringify(compiled.problems));
    const sinceSeq = Math.max(0, ...emulator.admin.requestLog().map((entry) => entry.seq));
    const slotsBefore = await reservations(client, company.apiBaseUrl, taskQueue);
    const started = Date.now();
    const handles = await Promise.all(
      Array.from({ length: runs }, () =>
        startRun(client, { plan: compiled.plan, input: { userId }, connectionId: 'emulator', taskQueue }),
      ),
    );
    await Promise.all(handles.map((handle) => handle.result()));
    const wallSeconds = (Date.now() - started) / 1000;
    const slots = (await reservations(client, company.apiBaseUrl, taskQueue)) - slotsBefore;
    const calls = emulator.admin
      .requestLog({ sinceSeq })
      .filter((entry) => entry.path === `/v2/users/${userId}`);
    const served = calls.filter((entry) => entry.status === 200);
    const tooMany = calls.filter((entry) => entry.status === 429).length;
    const times = served.map((entry) => Date.parse(entry.time)).sort((a, b) => a - b);
    const spanSeconds = ((times.at(-1) ?? 0) - (times[0] ?? 0)) / 1000;
    const callsPerSecond = spanSeconds > 0 ? (served.length - 1) / spanSeconds : 0;
    return {
      workers,
      runs,
      calls: calls.length,
      served: served.length,
      tooMany,
      slots,
      callsPerSecond,
      fractionOfLimit: callsPerSecond / LIMIT_PER_SECOND,
      rate429: calls.length > 0 ? tooMany / calls.length : 0,
      wallSeconds,
    };
  } finally {
    await Promise.all(processes.map((worker) => worker.stop()));
  }
}

/** Reservations the company's budget workflow has handed out so far (0 before it first ran). */
async function reservations(client: Client, baseUrl: string, taskQueue: string): Promise<number> {
  try {
    const handle = client.workflow.getHandle(budgetWorkflowId(companyKeyOf(baseUrl), taskQueue));
    return (await handle.query<BudgetState>('gongflow.budget.state')).reservations;
  } catch {
    return 0;
  }
}

function section(results: BudgetMeasurement[], date: string): string {
  const rows = results.map(
    (result) =>
      `| ${result.workers} | ${result.runs} | ${result.served} | ${result.callsPerSecond.toFixed(3)} | ${(result.fractionOfLimit * 100).toFixed(1)}% | ${result.tooMany} (${(result.rate429 * 100).toFixed(2)}%) | ${result.slots - result.calls} | ${result.wallSeconds.toFixed(1)} s |`,
  );
  return [
    '## Gong budget (per company)',
    '',
    `Measured ${date} on ${os.cpus().length} cores (shared machine, load average ${os.loadavg()[0]!.toFixed(1)} at the end) with \`npm run bench\` (\`npx tsx bench/gong-budget.bench.ts --write\`):`,
    `one company on the Gong emulator with Gong's default limits (${LIMIT_PER_SECOND} calls/s, 10,000/day); every`,
    `run makes ${CALLS_PER_RUN} sequential \`gong.users.get\` calls, all runs start at once. Calls/s counts the calls Gong`,
    'served between the first and the last one. Target: at least 95% of the limit, at most 0.5% answered 429.',
    '',
    '| worker processes | runs | calls served | calls/s | of the limit | answered 429 | slots wasted | wall time |',
    '| ---------------- | ---- | ------------ | ------- | ------------ | ------------ | ------------ | --------- |',
    ...rows,
    '',
    'The budget workflow spaces send slots 1.04 / limit apart (Gong counts a sliding second, so slots exactly',
    '1/limit apart can put four calls in one second when one is delayed): the ceiling is 96.2% of the limit.',
    'A request that wakes more than 25 ms after its slot takes a fresh one ("slots wasted"): on a busy machine',
    'late wake-ups are what keeps the rate below that ceiling.',
    '',
  ].join('\n');
}

function writeSection(text: string): void {
  const file = path.join(__dirname, '..', 'BENCHMARKS.md');
  const heading = '## Gong budget (per company)';
  const current = existsSync(file) ? readFileSync(file, 'utf8') : '# Benchmarks\n\n';
  const start = current.indexOf(heading);
  let next: string;
  if (start < 0) next = `${current.trimEnd()}\n\n${text}`;
  else {
    const end = current.indexOf('\n## ', start + heading.length);
    next = current.slice(0, start) + text + (end < 0 ? '' : current.slice(end + 1));
  }
  writeFileSync(file, next.endsWith('\n') ? next : `${next}\n`);
}

async function main(): Promise<void> {
  const runs = Number(argument('runs') ?? 60);
  let devServer: DevServer | undefined;
  if (!process.env['TEMPORAL_ADDRESS']) {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'gongflow-bench-temporal-'));
    devServer = await startDevServer({
      ip: '127.0.0.1',
      port: await freePort(),
      uiPort: await freePort(),
      dbFile: path.join(dataDir, 'temporal.sqlite'),
      namespace: 'default',
      cliVersion: '1.9.1',
      log: (message) => process.stderr.write(`${message}\n`),
    });
    process.env['TEMPORAL_ADDRESS'] = devServer.address;
  }
  const emulator = await startEmulator({ port: 0 });
  const connection = await Connection.connect({ address: process.env['TEMPORAL_ADDRESS'] });
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
    const client = new Client({ connection });
    const results: BudgetMeasurement[] = [];
    // One task queue for both rounds: the company's budget workflow lives on the queue that first started it.
    const taskQueue = `bench-budget-${randomUUID()}`;
    for (const workers of [1, 3]) {
      const result = await measure(client, emulator, workers, runs, userId, taskQueue);
      process.stderr.write(`${JSON.stringify(result)}\n`);
      results.push(result);
    }
    const text = section(results, new Date().toISOString().slice(0, 10));
    process.stdout.write(`${text}\n`);
    if (process.argv.includes('--write')) writeSection(text);
  } finally {
    await connection.close();
    await emulator.close();
    await devServer?.stop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
