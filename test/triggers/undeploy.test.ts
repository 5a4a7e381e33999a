import { randomUUID } from 'node:crypto';
import { ScheduleNotFoundError, WorkflowNotFoundError } from '@temporalio/client';
import type { TriggerPlan } from '../../definitions/plan';
import { deployTriggers } from '../../triggers/deploy';
import { controlTriggers, listTriggers } from '../../triggers/manage';
import { undeployTriggers } from '../../triggers/undeploy';
import { eventRunWorkflowId, pollerWorkflowId, scheduleId } from '../../triggers/ids';
import type { PollerStatus } from '../../workflows/triggers/poller';
import { startTestApi, type TestApi } from '../api/support';
import { registerEmulatedCompany, startTestEngine, type TestEngine } from '../support/engine';
import { listingsNotCaughtUp, recordingPlan, runsOf, waitFor } from './support';

let engine: TestEngine;
let api: TestApi;
let company: { id: string };
let credentials: { apiBaseUrl: string; accessKey: string; accessKeySecret: string };
const connectionId = `undeploy-${randomUUID().slice(0, 8)}`;
const urlKey = `undeploy-key-${randomUUID()}`;

beforeAll(async () => {
  engine = await startTestEngine();
  company = await engine.emulator.admin.createCompany({
    name: `Undeploy ${connectionId}`,
    callCount: 5,
    userCount: 3,
    rateLimits: { perSecond: 200, perDay: 1_000_000 },
  });
  credentials = company as unknown as typeof credentials;
  registerConnection(connectionId);
  api = await startTestApi(engine);
}, 120_000);
afterAll(async () => {
  await api?.app.close();
  await engine?.close();
});

function registerConnection(id: string): void {
  registerEmulatedCompany(engine.connections, id, credentials);
}

const ALL_THREE: TriggerPlan[] = [
  { kind: 'gong.call.processed', settings: {} },
  { kind: 'gong.call.new', settings: { every: 200, lookback: 3_600_000 } },
  { kind: 'schedule', settings: { cron: '0 8 * * MON' } },
];

/** A Gong delivery of a processed call to the API's webhook route, with a key in the URL. */
async function deliver(callId: string, key = urlKey): Promise<{ status: number; code?: string }> {
  const response = await fetch(`${api.baseUrl}/webhooks/gong/${connectionId}?key=${key}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ isTest: false, callData: { metaData: { id: callId, title: 'Undeploy call' } } }),
  });
  const body = (await response.json()) as { error?: { code: string } };
  return { status: response.status, ...(body.error ? { code: body.error.code } : {}) };
}

/** A webhook, a poller and a schedule of the definition on the connection, deliveries keyed by `urlKey`. */
async function deployAllThree(definition: string): Promise<void> {
  await deployTriggers(engine.client, {
    plan: recordingPlan(definition, ALL_THREE),
    connectionId,
    taskQueue: engine.taskQueue,
    urlKey,
    publicUrl: api.baseUrl,
  });
}

/** Whether what `describe` reads exists (read by id: consistent, unlike a listing). */
async function exists(describe: () => Promise<unknown>): Promise<boolean> {
  try {
    await describe();
    return true;
  } catch (error) {
    if (error instanceof WorkflowNotFoundError || error instanceof ScheduleNotFoundError) return false;
    throw error;
  }
}

const runExists = (workflowId: string) =>
  exists(() => engine.client.workflow.getHandle(workflowId).describe());
const scheduleGone = async (id: string) =>
  !(await exists(() => engine.client.schedule.getHandle(id).describe()));

test('undeploy through the API: the webhook refuses, the poller is closed, the schedule is gone', async () => {
  const definition = `undeploy-${randomUUID().slice(0, 8)}`;
  await deployAllThree(definition);
  const poller = engine.client.workflow.getHandle(
    pollerWorkflowId(definition, 'gong.call.new', connectionId),
  );
  const schedule = scheduleId(definition, 'schedule', connectionId);

  // All three are live: a delivery starts a run, the poller polls, the schedule exists.
  expect(await deliver('3000000000000000001')).toEqual({ status: 200 });
  await waitFor(async () => (await poller.query<PollerStatus>('triggerStatus')).stats.polls >= 1, 'a poll');
  expect(await scheduleGone(schedule)).toBe(false);
  await waitFor(
    async () =>
      (await api.client.listTriggers()).filter((row) => row.definition.startsWith(definition)).length === 3,
    'the three triggers listed',
  );

  const removed = await api.client.undeployTriggers({ definition, connection: connectionId });
  expect(removed.map((row) => `${row.type} ${row.key}`).sort()).toEqual([
    'poller gong.call.new',
    'schedule schedule',
    'webhook gong.call.processed',
  ]);
  expect(removed.find((row) => row.type === 'webhook')?.detail).toMatch(/endpoint closed/);

  // None of them starts a run any more (receivers reread the endpoint at most every 2 s).
  let attempt = 0;
  await waitFor(
    async () => (await deliver(`30000000000000001${attempt++}`)).code === 'WEBHOOK_NOT_CONFIGURED',
    'refusal',
    10_000,
  );
  expect(await deliver('3000000000000000002')).toEqual({ status: 404, code: 'WEBHOOK_NOT_CONFIGURED' });
  expect((await poller.describe()).status.name).toBe('TERMINATED');
  expect(await scheduleGone(schedule)).toBe(true);
  const runs = await runsOf(engine.client, definition);
  expect(
    runs.has(eventRunWorkflowId(definition, connectionId, 'gong.call.processed', '3000000000000000001')),
  ).toBe(true);
  expect(
    runs.has(eventRunWorkflowId(definition, connectionId, 'gong.call.processed', '3000000000000000002')),
  ).toBe(false);
  expect((await api.client.listTriggers()).filter((row) => row.definition.startsWith(definition))).toEqual(
    [],
  );
  await expect(api.client.undeployTriggers({ definition, connection: connectionId })).rejects.toMatchObject({
    status: 404,
    code: 'TRIGGER_NOT_FOUND',
  });
}, 120_000);

test('a new version that drops a trigger removes it, says so, and keeps the others', async () => {
  const definition = `dropping-${randomUUID().slice(0, 8)}`;
  const first = recordingPlan(definition, ALL_THREE.slice(1));
  await deployTriggers(engine.client, { plan: first, connectionId, taskQueue: engine.taskQueue });
  const poller = engine.client.workflow.getHandle(
    pollerWorkflowId(definition, 'gong.call.new', connectionId),
  );
  await waitFor(async () => (await poller.describe()).status.name === 'RUNNING', 'the poller');

  const second = { ...recordingPlan(definition, ALL_THREE.slice(2)), version: '2' };
  const result = await deployTriggers(engine.client, {
    plan: second,
    connectionId,
    taskQueue: engine.taskQueue,
  });
  expect(result.deployed.map((trigger) => trigger.key)).toEqual(['schedule']);
  expect(result.removed).toEqual([expect.objectContaining({ type: 'poller', key: 'gong.call.new' })]);
  expect((await poller.describe()).status.name).toBe('TERMINATED');
  expect(await scheduleGone(scheduleId(definition, 'schedule', connectionId))).toBe(false);
  await api.client.undeployTriggers({ definition, connection: connectionId });
}, 60_000);

test('triggers deployed a moment ago, not listed yet, are removed by an undeploy and by the next version', async () => {
  const definition = `just-deployed-${randomUUID().slice(0, 8)}`;
  const lagging = listingsNotCaughtUp(engine.client);
  const twoOfEach: TriggerPlan[] = [ALL_THREE[1]!, ALL_THREE[1]!, ALL_THREE[2]!, ALL_THREE[2]!];
  const poller = (key: string) =>
    engine.client.workflow.getHandle(pollerWorkflowId(definition, key, connectionId));
  const schedule = (key: string) => scheduleId(definition, key, connectionId);

  await deployTriggers(engine.client, {
    plan: recordingPlan(definition, twoOfEach),
    connectionId,
    taskQueue: engine.taskQueue,
  });
  // The next version keeps one of each: the second poller and schedule go, though no listing shows them.
  const second = { ...recordingPlan(definition, [ALL_THREE[1]!, ALL_THREE[2]!]), version: '2' };
  const dropped = await deployTriggers(lagging, { plan: second, connectionId, taskQueue: engine.taskQueue });
  expect(dropped.removed.map((row) => `${row.type} ${row.key}`).sort()).toEqual([
    'poller gong.call.new#2',
    'schedule schedule#2',
  ]);
  expect((await poller('gong.call.new#2').describe()).status.name).toBe('TERMINATED');
  expect(await scheduleGone(schedule('schedule#2'))).toBe(true);

  // One trigger by its key, then the rest.
  const one = await undeployTriggers(lagging, {
    taskQueue: engine.taskQueue,
    definition,
    connection: connectionId,
    key: 'schedule',
  });
  expect(one.map((row) => `${row.type} ${row.key}`)).toEqual(['schedule schedule']);
  expect(await scheduleGone(schedule('schedule'))).toBe(true);
  const rest = await undeployTriggers(lagging, {
    taskQueue: engine.taskQueue,
    definition,
    connection: connectionId,
  });
  expect(rest.map((row) => `${row.type} ${row.key}`)).toEqual(['poller gong.call.new']);
  expect((await poller('gong.call.new').describe()).status.name).toBe('TERMINATED');

  // Another deployment's trigger (another task queue) with the same ids is not this undeploy's to remove.
  await deployTriggers(engine.client, {
    plan: recordingPlan(definition, ALL_THREE.slice(1)),
    connectionId,
    taskQueue: `${engine.taskQueue}-elsewhere`,
  });
  expect(
    await undeployTriggers(lagging, { taskQueue: engine.taskQueue, definition, connection: connectionId }),
  ).toEqual([]);
  expect((await poller('gong.call.new').describe()).status.name).toBe('RUNNING');
  expect(await scheduleGone(schedule('schedule'))).toBe(false);
  await undeployTriggers(engine.client, {
    taskQueue: `${engine.taskQueue}-elsewhere`,
    definition,
    connection: connectionId,
  });
}, 60_000);

test('triggers deployed a moment ago, not listed yet, are listed, paused and resumed on their connection', async () => {
  const definition = `just-paused-${randomUUID().slice(0, 8)}`;
  const lagging = listingsNotCaughtUp(engine.client);
  const target = { taskQueue: engine.taskQueue, definition, connection: connectionId };
  await deployAllThree(definition);
  const poller = engine.client.workflow.getHandle(
    pollerWorkflowId(definition, 'gong.call.new', connectionId),
  );
  const schedule = engine.client.schedule.getHandle(scheduleId(definition, 'schedule', connectionId));
  const states = async () =>
    (await listTriggers(lagging, target)).map((row) => `${row.type} ${row.key} ${row.status}`).sort();
  expect(await states()).toEqual([
    'poller gong.call.new running',
    'schedule schedule running',
    'webhook gong.call.processed running',
  ]);

  const paused = await controlTriggers(lagging, target, { type: 'pause' });
  expect(paused.map((row) => `${row.type} ${row.key}`).sort()).toEqual([
    'poller gong.call.new',
    'schedule schedule',
    'webhook gong.call.processed',
  ]);
  // What the user sees next: the schedule will not fire, the poller says paused, a delivery starts no run.
  expect((await schedule.describe()).state.paused).toBe(true);
  await waitFor(
    async () => (await poller.query<PollerStatus>('triggerStatus')).status === 'paused',
    'the poller paused',
  );
  let attempt = 0;
  await waitFor(async () => {
    const callId = `40000000000000001${attempt++}`;
    expect(await deliver(callId)).toEqual({ status: 200 });
    const run = eventRunWorkflowId(definition, connectionId, 'gong.call.processed', callId);
    return !(await runExists(run));
  }, 'deliveries to start no run (receivers reread the endpoint at most every 2 s)');

  // One trigger by its key.
  const resumed = await controlTriggers(lagging, { ...target, key: 'schedule' }, { type: 'resume' });
  expect(resumed.map((row) => `${row.type} ${row.key}`)).toEqual(['schedule schedule']);
  expect((await schedule.describe()).state.paused).toBe(false);
  expect(await states()).toEqual([
    'poller gong.call.new paused',
    'schedule schedule running',
    'webhook gong.call.processed paused',
  ]);
  await undeployTriggers(engine.client, target);
}, 60_000);

test('a new version deployed on one connection leaves the same definition on another connection running', async () => {
  // A fleet deploys one definition on many connections; each deploy lists only its own connection's pollers.
  const definition = `fleet-${randomUUID().slice(0, 8)}`;
  const otherConnection = `${connectionId}-other`;
  registerConnection(otherConnection);
  const first = recordingPlan(definition, [ALL_THREE[1]!]);
  for (const connection of [connectionId, otherConnection])
    await deployTriggers(engine.client, {
      plan: first,
      connectionId: connection,
      taskQueue: engine.taskQueue,
    });
  const poller = (connection: string) =>
    engine.client.workflow.getHandle(pollerWorkflowId(definition, 'gong.call.new', connection));
  await waitFor(
    async () =>
      (await poller(connectionId).describe()).status.name === 'RUNNING' &&
      (await poller(otherConnection).describe()).status.name === 'RUNNING',
    'both pollers',
  );

  const second = { ...recordingPlan(definition, [ALL_THREE[2]!]), version: '2' };
  const result = await deployTriggers(engine.client, {
    plan: second,
    connectionId,
    taskQueue: engine.taskQueue,
  });
  expect(result.removed).toEqual([
    expect.objectContaining({ type: 'poller', key: 'gong.call.new', connection: connectionId }),
  ]);
  expect((await poller(connectionId).describe()).status.name).toBe('TERMINATED');
  expect((await poller(otherConnection).describe()).status.name).toBe('RUNNING');
  await api.client.undeployTriggers({ definition, connection: connectionId });
  await api.client.undeployTriggers({ definition, connection: otherConnection });
}, 60_000);

test('schedules on many connections: jittered apart, and each deploy removes only its own, old ones too', async () => {
  const definition = `fleet-sched-${randomUUID().slice(0, 8)}`;
  const connections = [connectionId, `${connectionId}-b`];
  for (const connection of connections) registerConnection(connection);
  const jittered: TriggerPlan = {
    kind: 'schedule',
    settings: { cron: '0 8 * * MON', timezone: 'UTC', jitter: 50 * 60_000 },
  };
  const first = recordingPlan(definition, [jittered]);
  for (const connection of connections) {
    const result = await deployTriggers(engine.client, {
      plan: first,
      connectionId: connection,
      taskQueue: engine.taskQueue,
    });
    expect(result.deployed[0]?.note).toBe('0 8 * * MON (UTC, starts up to 3000s late)');
  }

  // Each connection's Monday 08:00 fire comes at its own instant within the 50 minutes after it.
  const offsets = async (connection: string) => {
    const description = await engine.client.schedule
      .getHandle(scheduleId(definition, 'schedule', connection))
      .describe();
    return description.info.nextActionTimes.map((time) => {
      const nominal = new Date(time);
      nominal.setUTCHours(8, 0, 0, 0);
      expect(nominal.getUTCDay()).toBe(1);
      return time.getTime() - nominal.getTime();
    });
  };
  const [a, b] = [await offsets(connections[0]!), await offsets(connections[1]!)];
  expect(a.length).toBeGreaterThan(2);
  for (const offset of [...a, ...b]) {
    expect(offset).toBeGreaterThanOrEqual(0);
    expect(offset).toBeLessThanOrEqual(50 * 60_000);
  }
  expect(a).not.toEqual(b);

  // A schedule as a release before schedule search attributes created it: found and removed all the same.
  const legacyConnection = `${connectionId}-legacy`;
  const legacy = await engine.client.schedule.create({
    scheduleId: scheduleId(definition, 'schedule', legacyConnection),
    spec: { cronExpressions: ['0 8 * * MON'] },
    action: {
      type: 'startWorkflow',
      workflowType: 'orchestration',
      taskQueue: engine.taskQueue,
      workflowId: `gongflow-scheduled/${definition}/${legacyConnection}`,
      args: [{ plan: first, connectionId: legacyConnection }],
    },
  });
  // Schedule listings are eventually consistent: an old schedule has long been listed when a deploy looks.
  await waitFor(async () => {
    const query = `ScheduleId STARTS_WITH '${legacy.scheduleId}'`;
    for await (const summary of engine.client.schedule.list({ query }))
      if (summary.scheduleId === legacy.scheduleId) return true;
    return false;
  }, 'the legacy schedule in the schedule listing');
  const removedLegacy = await undeployTriggers(engine.client, {
    taskQueue: engine.taskQueue,
    definition,
    connection: legacyConnection,
  });
  expect(removedLegacy).toEqual([
    expect.objectContaining({ type: 'schedule', connection: legacyConnection }),
  ]);
  expect(await scheduleGone(legacy.scheduleId)).toBe(true);

  // A version without the schedule, deployed on the first connection: the second keeps its schedule.
  const second = { ...recordingPlan(definition, [ALL_THREE[1]!]), version: '2' };
  const result = await deployTriggers(engine.client, {
    plan: second,
    connectionId: connections[0]!,
    taskQueue: engine.taskQueue,
  });
  expect(result.removed).toEqual([
    expect.objectContaining({ type: 'schedule', key: 'schedule', connection: connections[0] }),
  ]);
  expect(await scheduleGone(scheduleId(definition, 'schedule', connections[0]!))).toBe(true);
  expect(await scheduleGone(scheduleId(definition, 'schedule', connections[1]!))).toBe(false);
  for (const connection of connections) await api.client.undeployTriggers({ definition, connection });
}, 60_000);

test('webhook keys through the API: add a URL key, revoke the old one, only the new one verifies', async () => {
  const definition = `keys-${randomUUID().slice(0, 8)}`;
  const keysConnection = connectionId;
  await deployTriggers(engine.client, {
    plan: recordingPlan(definition, ALL_THREE.slice(0, 1)),
    connectionId: keysConnection,
    taskQueue: engine.taskQueue,
    urlKey,
    publicUrl: api.baseUrl,
  });
  const added = await api.client.addWebhookKeys({ connection: keysConnection, urlKey: true });
  expect(added.added).toHaveLength(1);
  expect(added.added[0]).toMatchObject({ type: 'url-key' });
  expect(added.added[0]?.id).toMatch(/^uk_[0-9a-f]{12}$/);
  const fresh = added.urlKey ?? '';
  expect(fresh.length).toBeGreaterThan(20);
  const listed = await api.client.listWebhookKeys(keysConnection);
  expect(listed.map((key) => key.id)).toContain(added.added[0]?.id);
  expect(JSON.stringify(listed)).not.toContain(fresh);

  const revoked = await api.client.revokeWebhookKey(keysConnection, urlKey);
  expect(revoked.remaining.map((key) => key.id)).toEqual([added.added[0]?.id]);
  await waitFor(
    async () => (await deliver('3000000000000000101')).code === 'WEBHOOK_BAD_KEY',
    'refusal',
    10_000,
  );
  expect(await deliver('3000000000000000102', fresh)).toEqual({ status: 200 });
  await expect(api.client.revokeWebhookKey(keysConnection, urlKey)).rejects.toMatchObject({
    code: 'WEBHOOK_KEY_NOT_FOUND',
  });
  await api.client.undeployTriggers({ definition, connection: keysConnection });
}, 60_000);

test('a deploy refused for one trigger deploys none of the others', async () => {
  const definition = `refused-${randomUUID().slice(0, 8)}`;
  // The poller comes first; the webhook after it has no public URL to give Gong.
  const plan = recordingPlan(definition, [ALL_THREE[1]!, ALL_THREE[0]!]);
  await expect(
    deployTriggers(engine.client, { plan, connectionId, taskQueue: engine.taskQueue }),
  ).rejects.toMatchObject({ code: 'TRIGGER_PUBLIC_URL_REQUIRED' });
  await expect(
    engine.client.workflow.getHandle(pollerWorkflowId(definition, 'gong.call.new', connectionId)).describe(),
  ).rejects.toBeInstanceOf(WorkflowNotFoundError);
});
