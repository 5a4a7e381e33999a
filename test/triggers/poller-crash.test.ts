import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import { startEmulator, type GongEmulator } from '../../emulator';
import { deployTriggers } from '../../triggers/deploy';
import { eventRunWorkflowId, pollerWorkflowId } from '../../triggers/ids';
import type { PollerStatus } from '../../workflows/triggers/poller';
import { startWorkerProcess, workerProcessClient, type WorkerProcess } from '../support/processes';
import { recordingPlan, runsOf, waitFor } from './support';

let emulator: GongEmulator;
let temporal: Awaited<ReturnType<typeof workerProcessClient>>;
let client: Client;
const workers: WorkerProcess[] = [];

beforeAll(async () => {
  emulator = await startEmulator({ port: 0 });
  // Encrypting like the worker processes (same project data folder, same generated key).
  temporal = await workerProcessClient();
  client = temporal.client;
}, 60_000);
afterAll(async () => {
  for (const worker of workers) await worker.stop();
  await temporal?.close();
  await emulator?.close();
});

test('a poller whose worker is killed mid-poll loses and duplicates nothing', async () => {
  const company = await emulator.admin.createCompany({
    name: 'Crash Co',
    callCount: 10,
    userCount: 5,
    rateLimits: { perSecond: 200, perDay: 1_000_000 },
  });
  const taskQueue = `crash-${randomUUID()}`;
  const env = {
    GONGFLOW_TASK_QUEUE: taskQueue,
    GONG_BASE_URL: company.apiBaseUrl,
    GONG_ACCESS_KEY: company.accessKey,
    GONG_ACCESS_KEY_SECRET: company.accessKeySecret,
  };
  const first = await startWorkerProcess(env);
  workers.push(first);

  const definition = `crash-${randomUUID().slice(0, 8)}`;
  const since = new Date(Date.parse(emulator.admin.now()) - 86_400_000).toISOString();
  // At most 20 runs per poll: the poller works through the 200 calls in ten back-to-back polls.
  const plan = recordingPlan(definition, [
    {
      kind: 'gong.call.new',
      settings: { every: 500, lookback: 86_400_000, since, maxEventsPerPoll: 20 },
      filter: { expr: 'trigger.call.title.startsWith("Crash call ")' },
    },
  ]);
  const created: string[] = [];
  for (let n = 0; n < 200; n += 1) {
    const { callId } = emulator.admin.createCall(company.id, {
      title: `Crash call ${n}`,
      processingDelayMs: 0,
    }) as { callId: string };
    created.push(callId);
  }
  await deployTriggers(client, { plan, connectionId: 'emulator', taskQueue });
  const poller = client.workflow.getHandle(pollerWorkflowId(definition, 'gong.call.new', 'emulator'));

  // Kill the worker (SIGKILL: no graceful shutdown) while the poll activity is running, some runs started.
  await waitFor(async () => {
    const [status, description] = await Promise.all([
      poller.query<PollerStatus>('triggerStatus'),
      poller.describe(),
    ]);
    return status.stats.started >= 40 && (description.raw.pendingActivities?.length ?? 0) > 0;
  }, 'the poller mid-poll with runs started');
  first.child.kill('SIGKILL');
  const startedBeforeKill = (await poller.query<PollerStatus>('triggerStatus').catch(() => undefined))?.stats
    .started;

  workers.push(await startWorkerProcess(env));
  const expected = new Set(
    created.map((id) => eventRunWorkflowId(definition, 'emulator', 'gong.call.new', id)),
  );
  const runs = await waitFor(
    async () => {
      const found = await runsOf(client, definition);
      return found.size >= expected.size ? found : undefined;
    },
    '200 runs after the restart',
    120_000,
  );
  expect({
    runs: runs.size,
    missed: [...expected].filter((id) => !runs.has(id)),
    duplicated: [...runs.values()].filter((count) => count > 1),
  }).toEqual({ runs: 200, missed: [], duplicated: [] });
  const status = await poller.query<PollerStatus>('triggerStatus');
  // Starts the killed attempt made are found again by its retry as duplicates: counted, never re-run.
  expect(status.stats.started + status.stats.duplicates).toBeGreaterThanOrEqual(200);
  expect(status.stats.started).toBeLessThanOrEqual(200);
  expect(startedBeforeKill === undefined || startedBeforeKill < 200).toBe(true);
}, 240_000);
