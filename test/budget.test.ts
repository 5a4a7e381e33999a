import { randomUUID } from 'node:crypto';
import { compileDefinition } from '../definitions/compile';
import type { Plan } from '../definitions/plan';
import type { RequestLogEntry } from '../emulator';
import { findGongAction } from '../gong/catalog';
import { GongClient } from '../gong/client/client';
import { startRun } from '../runs/start';
import {
  startEmulatorProcess,
  startWorkerProcess,
  workerProcessClient,
  type EmulatorProcess,
  type WorkerProcess,
} from './support/processes';
import { budgetProbeDefinition } from './support/budget-probe';

/**
 * Gong's budget is per company and shared by every worker: three worker processes running 100 runs of
 * three Gong calls each against the emulator's 3 calls/s limit must (almost) never be answered 429.
 */
const RUNS = Number(process.env['BUDGET_RUNS'] ?? 100);
const DEFINITION = budgetProbeDefinition('budget-probe');

describe('the per-company Gong budget across worker processes', () => {
  let emulator: EmulatorProcess;
  let workers: WorkerProcess[] = [];
  let temporal: Awaited<ReturnType<typeof workerProcessClient>>;

  beforeAll(async () => {
    emulator = await startEmulatorProcess();
    temporal = await workerProcessClient();
  });
  afterAll(async () => {
    await Promise.all(workers.map((worker) => worker.stop()));
    await temporal?.close();
    await emulator?.stop();
  });

  it('runs 300 Gong calls from three workers with at most 0.5% answered 429', async () => {
    const company = emulator.defaultCompany;
    const credentials = {
      connectionId: 'emulator',
      baseUrl: company.apiBaseUrl,
      authorization: () =>
        Promise.resolve(
          `Basic ${Buffer.from(`${company.accessKey}:${company.accessKeySecret}`).toString('base64')}`,
        ),
    };
    const listed = (await new GongClient(credentials, { timeoutMs: 10_000 }).callAction(
      findGongAction('gong.users.list')!,
      { maxItems: 1 },
    )) as {
      users: Array<{ id: string }>;
    };
    const userId = listed.users[0]!.id;

    const taskQueue = `budget-${randomUUID()}`;
    const env = {
      GONGFLOW_TASK_QUEUE: taskQueue,
      GONG_BASE_URL: company.apiBaseUrl,
      GONG_ACCESS_KEY: company.accessKey,
      GONG_ACCESS_KEY_SECRET: company.accessKeySecret,
    };
    workers = await Promise.all([startWorkerProcess(env), startWorkerProcess(env), startWorkerProcess(env)]);

    const compiled = compileDefinition(DEFINITION, 'budget-probe.yaml');
    if (!compiled.ok) throw new Error(JSON.stringify(compiled.problems));
    const plan: Plan = compiled.plan;
    const { client } = temporal;
    const requestLog = async (query: string): Promise<RequestLogEntry[]> => {
      const response = await fetch(`${emulator.appUrl}/_emulator/requests?${query}`);
      return ((await response.json()) as { requests: RequestLogEntry[] }).requests;
    };
    const sinceSeq = Math.max(0, ...(await requestLog('')).map((entry) => entry.seq));

    const handles = await Promise.all(
      Array.from({ length: RUNS }, () =>
        startRun(client, { plan, input: { userId }, connectionId: 'emulator', taskQueue }),
      ),
    );
    const results = await Promise.all(handles.map((handle) => handle.result()));
    expect(results).toEqual(Array.from({ length: RUNS }, () => userId));

    const calls = await requestLog(`sinceSeq=${sinceSeq}&path=${encodeURIComponent(`/v2/users/${userId}`)}`);
    const tooMany = calls.filter((entry) => entry.status === 429).length;
    if (process.env['BUDGET_DEBUG'])
      process.stderr.write(calls.map((entry) => `${entry.time} ${entry.status}`).join('\n') + '\n');
    const served = calls.filter((entry) => entry.status === 200);
    expect(served.length).toBe(RUNS * 3);
    expect(tooMany / calls.length).toBeLessThanOrEqual(0.005);
  }, 300_000);
});
