/**
 * A `gongflow worker` started alone serves its own Prometheus endpoint (`worker.metricsPort`): after it
 * ran a Gong step, /metrics counts the requests by action and status, the run by definition and status, and
 * the company's daily budget left; /healthz answers. Temporal's SDK serves the worker's task metrics on
 * `worker.sdkMetricsAddress`. Its logs are JSON lines when asked (GONGFLOW_LOG_FORMAT=json), each with the
 * run's context.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../config/load';
import { loadPlan } from '../../definitions/load';
import { startEmulator, type GongEmulator } from '../../emulator';
import { createGongflowClient } from '../../runs/client';
import { startRun } from '../../runs/start';
import { resolveTemporal } from '../../temporal/connection';
import { LIST_USERS } from '../api/support';
import { companyKeyOf, type BudgetState } from '../../gong/budget/reservation';
import { readCompanyBudget } from '../../gong/budget/temporal-budget';
import { GONGFLOW_BIN } from '../support/cli';
import { metricValue } from '../support/metrics';
import { freePort } from '../support/ports';
import { waitFor } from '../support/wait';

jest.setTimeout(240_000);

let emulator: GongEmulator;
let worker: ChildProcess | undefined;
let exited: Promise<void> | undefined;

beforeAll(async () => {
  emulator = await startEmulator({ port: 0 });
});

afterAll(async () => {
  if (worker && worker.exitCode === null) worker.kill('SIGINT');
  await exited;
  await emulator?.close();
});

it('a standalone worker serves /metrics with its Gong requests, /healthz, and JSON logs', async () => {
  const project = mkdtempSync(path.join(os.tmpdir(), 'gongflow-worker-metrics-'));
  mkdirSync(path.join(project, 'definitions'));
  const taskQueue = `worker-metrics-${randomUUID()}`;
  const company = emulator.defaultCompany;
  const sdkMetricsAddress = `127.0.0.1:${await freePort()}`;
  const dailyQuota = 500;
  writeFileSync(
    path.join(project, 'temporal.yaml'),
    `worker:
  taskQueue: ${taskQueue}
  metricsPort: 0
  metricsHost: 127.0.0.1
  sdkMetricsAddress: '${sdkMetricsAddress}'
gong:
  budget: { requestsPerDay: ${dailyQuota} }
connections:
  emulator: { type: key, baseUrl: '${company.apiBaseUrl}', accessKey: ${company.accessKey} }
`,
  );
  const env = {
    GONGFLOW_ENCRYPTION_KEYS: `metrics:${randomBytes(32).toString('base64')}`,
    GONGFLOW_CONNECTION_EMULATOR_ACCESS_KEY_SECRET: company.accessKeySecret,
    GONGFLOW_CONFIG: '',
    GONGFLOW_FROM_SOURCES: '1',
    GONGFLOW_DATA_DIR: mkdtempSync(path.join(os.tmpdir(), 'gongflow-worker-metrics-data-')),
    GONGFLOW_LOG_FORMAT: 'json',
  };
  const child = spawn(process.execPath, [GONGFLOW_BIN, 'worker'], {
    cwd: project,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  worker = child;
  exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let output = '';
  let logs = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
    logs += chunk.toString();
  });
  await waitFor(
    () => {
      if (child.exitCode !== null) throw new Error(`gongflow worker exited:\n${output}`);
      return Promise.resolve(output.includes('Worker polling'));
    },
    'gongflow worker to poll',
    180_000,
  );
  const metricsUrl = /Worker metrics on (http:\/\/127\.0\.0\.1:\d+\/metrics)/.exec(output)?.[1];
  expect(metricsUrl).toBeDefined();
  expect(output).toContain(`Temporal SDK metrics on http://${sdkMetricsAddress}/metrics`);

  process.env['GONGFLOW_ENCRYPTION_KEYS'] = env.GONGFLOW_ENCRYPTION_KEYS;
  const loaded = loadConfig({
    cwd: project,
    env: {
      TEMPORAL_ADDRESS: process.env['TEMPORAL_ADDRESS'],
      GONGFLOW_CONNECTION_EMULATOR_ACCESS_KEY_SECRET: company.accessKeySecret,
    },
  });
  const temporal = await createGongflowClient({
    endpoint: await resolveTemporal(loaded),
    config: loaded.config,
    dataDir: env.GONGFLOW_DATA_DIR,
  });
  let workflowId: string;
  let budget: BudgetState | undefined;
  try {
    const handle = await startRun(temporal.client, {
      plan: loadPlan(LIST_USERS),
      connectionId: 'emulator',
      taskQueue,
    });
    workflowId = handle.workflowId;
    await handle.result();
    // What the company's budget counted today (the slots it handed out), asked of its shard directly, once
    // the worker has given back its lease on the company (whose unused slots count until then).
    budget = await waitFor(async () => {
      const state = await readCompanyBudget(temporal.client, companyKeyOf(company.apiBaseUrl), taskQueue);
      return state && !state.lease ? state : undefined;
    }, "the worker's company lease to be given back");
  } finally {
    await temporal.close();
    delete process.env['GONGFLOW_ENCRYPTION_KEYS'];
  }

  const metrics = await (await fetch(metricsUrl!)).text();
  expect(metrics).toMatch(/^gongflow_gong_requests_total\{action="gong\.users\.list",status="200"\} [1-9]/m);
  expect(metrics).toMatch(/^gongflow_gong_budget_wait_seconds_count [1-9]/m);
  expect(
    metricValue(metrics, 'gongflow_runs_ended_total', { definition: 'list-users', status: 'completed' }),
  ).toBe(1);
  expect(metricValue(metrics, 'gongflow_runs_begun_total', { definition: 'list-users' })).toBe(1);
  // Every request the company's API host received took a slot of its day: the gauge shows what is left, as
  // the budget counts it (a slot a request woke too late for passes unused and still counts, so the budget
  // may have counted more slots than Gong received requests).
  const received = emulator.admin.requestLog({ host: company.id }).length;
  expect(received).toBeGreaterThan(0);
  if (!budget) throw new Error("the company's budget shard keeps nothing for it");
  expect(budget.usedToday).toBeGreaterThanOrEqual(received);
  const left = metricValue(metrics, 'gongflow_gong_budget_left', {
    company: companyKeyOf(company.apiBaseUrl),
  });
  expect(left).toBe(dailyQuota - budget.usedToday);

  // The SDK's own families: the run's workflow tasks and its activity, with samples.
  const sdk = await (await fetch(`http://${sdkMetricsAddress}/metrics`)).text();
  expect(sdk).toMatch(
    /^temporal_workflow_task_execution_latency_count\{[^}]*task_queue="[^"]+"[^}]*\} [1-9]/m,
  );
  expect(sdk).toMatch(
    /^temporal_activity_execution_latency_count\{[^}]*activity_type="runGongAction"[^}]*\} [1-9]/m,
  );
  expect(sdk).toMatch(/^temporal_workflow_completed\{[^}]*workflow_type="orchestration"[^}]*\} [1-9]/m);
  expect(sdk).toMatch(/^temporal_sticky_cache_size\{/m);
  const health = await fetch(metricsUrl!.replace(/\/metrics$/, '/healthz'));
  expect(health.status).toBe(200);

  // Every log line is one JSON object; the step's page log carries the run, the step and the connection.
  const lines = logs.split('\n').filter((line) => line.trim() !== '');
  const entries = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
  expect(entries.find((entry) => entry['message'] === 'Worker state changed')).toMatchObject({
    level: 'INFO',
    taskQueue,
  });
  expect(entries.find((entry) => entry['message'] === 'Gong page received')).toMatchObject({
    level: 'INFO',
    workflowId,
    activityType: 'runGongAction',
    definition: 'list-users',
    action: 'gong.users.list',
    connection: 'emulator',
    time: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) as unknown,
  });
});
