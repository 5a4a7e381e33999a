import type { ScheduleSummary } from '@temporalio/client';
import { randomUUID } from 'node:crypto';
import { deployTriggers } from '../../triggers/deploy';
import { POLLER_WORKFLOW, pollerWorkflowId, scheduleId } from '../../triggers/ids';
import { controlTriggers, listTriggers } from '../../triggers/manage';
import type { PollerStatus } from '../../workflows/triggers/poller';
import { startTestEngine, type TestEngine } from '../support/engine';
import { listingsShowing, recordingPlan, runsOf, waitFor } from './support';
import { foreignClient } from '../support/foreign-client';

let engine: TestEngine;
let company: { id: string };
const connectionId = `manage-${randomUUID().slice(0, 8)}`;

beforeAll(async () => {
  engine = await startTestEngine();
  const created = await engine.emulator.admin.createCompany({
    name: `Manage ${connectionId}`,
    callCount: 30,
    userCount: 5,
    rateLimits: { perSecond: 200, perDay: 1_000_000 },
  });
  company = created;
  engine.connections.register({
    id: connectionId,
    type: 'key',
    baseUrl: created.apiBaseUrl,
    accessKey: created.accessKey,
    accessKeySecret: created.accessKeySecret,
  });
}, 120_000);
afterAll(async () => {
  await engine?.close();
});

test('schedule triggers become Temporal Schedules: cron, time zone, overlap, catch-up, pause', async () => {
  const definition = `sched-${randomUUID().slice(0, 8)}`;
  const plan = recordingPlan(definition, [
    {
      kind: 'schedule',
      settings: { cron: '0 8 * * MON', timezone: 'Europe/Paris', overlap: 'bufferOne', catchup: 600_000 },
    },
  ]);
  await deployTriggers(engine.client, { plan, connectionId, taskQueue: engine.taskQueue });
  const handle = engine.client.schedule.getHandle(scheduleId(definition, 'schedule', connectionId));
  const description = await handle.describe();
  expect(description.spec.timezone).toBe('Europe/Paris');
  expect(description.policies.overlap).toBe('BUFFER_ONE');
  expect(description.policies.catchupWindow).toBe(600_000);
  expect(description.state.paused).toBe(false);

  await controlTriggers(
    engine.client,
    { taskQueue: engine.taskQueue, definition, connection: connectionId },
    { type: 'pause' },
  );
  expect((await handle.describe()).state.paused).toBe(true);
  await controlTriggers(
    engine.client,
    { taskQueue: engine.taskQueue, definition, connection: connectionId },
    { type: 'resume' },
  );
  expect((await handle.describe()).state.paused).toBe(false);

  await handle.trigger();
  const runs = await waitFor(async () => {
    const found = await runsOf(engine.client, definition);
    return found.size > 0 ? found : undefined;
  }, 'the scheduled run');
  expect([...runs.keys()][0]).toMatch(new RegExp(`^gongflow-scheduled/${definition}/${connectionId}`));
}, 120_000);

test('a user poller: baseline at deploy, new users start runs, pause holds them, resume catches up', async () => {
  const definition = `users-${randomUUID().slice(0, 8)}`;
  const plan = recordingPlan(definition, [
    { kind: 'gong.user.new', settings: { every: 200, lookback: 3_600_000 } },
  ]);
  await deployTriggers(engine.client, { plan, connectionId, taskQueue: engine.taskQueue });
  const poller = engine.client.workflow.getHandle(
    pollerWorkflowId(definition, 'gong.user.new', connectionId),
  );
  const status = () => poller.query<PollerStatus>('triggerStatus');
  await waitFor(async () => (await status()).stats.polls >= 2, 'the baseline poll');
  expect((await status()).stats.started).toBe(0);

  const first = engine.emulator.admin.createUser(company.id, {
    firstName: 'Ada',
    lastName: `One${Date.now()}`,
  });
  await waitFor(async () => (await status()).lastEvent?.id === first['id'], 'the first user');
  expect((await status()).stats.started).toBe(1);

  await waitFor(
    async () =>
      (await listTriggers(engine.client, { taskQueue: engine.taskQueue })).some(
        (row) => row.id === poller.workflowId,
      ),
    'listing',
  );
  await controlTriggers(
    engine.client,
    { taskQueue: engine.taskQueue, definition, connection: connectionId },
    { type: 'pause' },
  );
  await waitFor(async () => (await status()).status === 'paused', 'paused');
  const polls = (await status()).stats.polls;
  const second = engine.emulator.admin.createUser(company.id, {
    firstName: 'Bob',
    lastName: `Two${Date.now()}`,
  });
  await poller.signal('pollNow');
  expect((await status()).stats.polls).toBe(polls);
  await controlTriggers(
    engine.client,
    { taskQueue: engine.taskQueue, definition, connection: connectionId },
    { type: 'resume' },
  );
  await waitFor(async () => (await status()).lastEvent?.id === second['id'], 'the second user after resume');
  const rows = await listTriggers(engine.client, { taskQueue: engine.taskQueue });
  const row = rows.find((candidate) => candidate.id === poller.workflowId);
  expect(row).toMatchObject({ type: 'poller', status: 'running', connection: connectionId });
  expect(row?.lastEvent).toContain(String(second['id']));
  expect(row?.cursor).not.toBeNull();
}, 120_000);

test('a poller no worker answers for is listed as unknown, not waited on', async () => {
  const definition = `orphan-${randomUUID().slice(0, 8)}`;
  const workflowId = pollerWorkflowId(definition, 'gong.user.new', connectionId);
  const taskQueue = `nobody-polls-${randomUUID()}`;
  await engine.client.workflow.start(POLLER_WORKFLOW, { workflowId, taskQueue, args: [] });
  try {
    // Visibility is eventually consistent: wait until the listing sees the new poller at all.
    const rows = await waitFor(async () => {
      const listed = await listTriggers(engine.client, { taskQueue, definition });
      return listed.length > 0 ? listed : undefined;
    }, 'the orphan poller in visibility');
    expect(rows).toEqual([
      expect.objectContaining({ id: workflowId, status: 'unknown', connection: connectionId }),
    ]);
    expect(rows[0]?.detail).toMatch(/no worker answered/);
    // Pausing still reaches it: the signal waits in its history for a worker.
    const paused = await controlTriggers(
      engine.client,
      { taskQueue, definition, connection: connectionId },
      { type: 'pause' },
    );
    expect(paused.map((row) => row.id)).toEqual([workflowId]);
  } finally {
    await engine.client.workflow.getHandle(workflowId).terminate('test over');
  }
}, 60_000);

test("another deployment's triggers, encrypted with keys this process lacks, are neither listed nor in the way", async () => {
  const definition = `foreign-${randomUUID().slice(0, 8)}`;
  const foreignQueue = `foreign-${randomUUID()}`;
  const foreign = foreignClient(engine.client);
  const plan = recordingPlan(definition, [{ kind: 'schedule', settings: { cron: '0 8 * * MON' } }]);
  await deployTriggers(foreign, { plan, connectionId, taskQueue: foreignQueue });
  const foreignId = scheduleId(definition, 'schedule', connectionId);
  try {
    // The foreign deployment sees its schedule; this one lists around it without touching its payloads.
    await waitFor(
      async () =>
        (await listTriggers(foreign, { taskQueue: foreignQueue, definition })).some(
          (row) => row.id === foreignId && row.status === 'running',
        ),
      'the foreign schedule in its own listing',
    );
    const ours = await listTriggers(engine.client, { taskQueue: engine.taskQueue });
    expect(ours.map((row) => row.id)).not.toContain(foreignId);
    await expect(
      controlTriggers(
        engine.client,
        { taskQueue: engine.taskQueue, definition, connection: connectionId },
        { type: 'pause' },
      ),
    ).rejects.toMatchObject({ code: 'TRIGGER_NOT_FOUND' });
    expect((await foreign.schedule.getHandle(foreignId).describe()).state.paused).toBe(false);
  } finally {
    await foreign.schedule.getHandle(foreignId).delete();
  }
}, 60_000);

test("a definition's schedules are listed around one undeployed since the listing was read", async () => {
  const definition = `stale-${randomUUID().slice(0, 8)}`;
  const plan = recordingPlan(definition, [{ kind: 'schedule', settings: { cron: '0 8 * * MON' } }]);
  const other = `${connectionId}-other`;
  for (const connection of [connectionId, other])
    await deployTriggers(engine.client, { plan, connectionId: connection, taskQueue: engine.taskQueue });
  const kept = scheduleId(definition, 'schedule', connectionId);
  const removed = scheduleId(definition, 'schedule', other);
  try {
    const listing = await waitFor(async () => {
      const summaries: ScheduleSummary[] = [];
      for await (const summary of engine.client.schedule.list()) summaries.push(summary);
      const ours = summaries.filter((summary) => [kept, removed].includes(summary.scheduleId));
      return ours.length === 2 ? ours : undefined;
    }, 'both schedules listed');
    await engine.client.schedule.getHandle(removed).delete();
    // Listings are eventually consistent: a moment after an undeploy they still name the deleted schedule.
    const rows = await listTriggers(listingsShowing(engine.client, { schedules: listing }), {
      taskQueue: engine.taskQueue,
      definition,
    });
    expect(rows.map((row) => `${row.type} ${row.id} ${row.status}`)).toEqual([`schedule ${kept} running`]);
  } finally {
    await engine.client.schedule.getHandle(kept).delete();
  }
}, 60_000);

test('backfill from a date runs the calls the deploy-time baseline skipped, once', async () => {
  const definition = `backfill-${randomUUID().slice(0, 8)}`;
  const plan = recordingPlan(definition, [
    { kind: 'gong.call.new', settings: { every: 200, lookback: 3_600_000 } },
  ]);
  await deployTriggers(engine.client, { plan, connectionId, taskQueue: engine.taskQueue });
  const poller = engine.client.workflow.getHandle(
    pollerWorkflowId(definition, 'gong.call.new', connectionId),
  );
  const status = () => poller.query<PollerStatus>('triggerStatus');
  await waitFor(async () => (await status()).stats.polls >= 2, 'the baseline poll');
  expect((await status()).stats.started).toBe(0);

  const from = new Date(Date.parse(engine.emulator.admin.now()) - 60 * 86_400_000).toISOString();
  await controlTriggers(
    engine.client,
    { taskQueue: engine.taskQueue, definition, connection: connectionId, key: 'gong.call.new' },
    { type: 'backfill', from },
  );
  await waitFor(
    async () => {
      const current = await status();
      return current.backfillNext === null && current.stats.started > 0 ? current : undefined;
    },
    'the backfill',
    120_000,
  );
  const started = (await status()).stats.started;
  const runs = await waitFor(async () => {
    const found = await runsOf(engine.client, definition);
    return found.size >= started ? found : undefined;
  }, 'runs in visibility');
  expect(runs.size).toBe(started);
  expect([...runs.values()].every((count) => count === 1)).toBe(true);

  // A second backfill over the same range starts nothing new.
  await controlTriggers(
    engine.client,
    { taskQueue: engine.taskQueue, definition, connection: connectionId },
    { type: 'backfill', from },
  );
  await waitFor(async () => {
    const current = await status();
    return current.backfillNext === null && current.stats.duplicates >= started;
  }, 'the second backfill');
  expect((await status()).stats.started).toBe(started);
}, 180_000);
