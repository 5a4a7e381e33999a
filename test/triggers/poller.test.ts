import { randomUUID } from 'node:crypto';
import { startTestEngine, type TestEngine } from '../support/engine';
import { deployTriggers } from '../../triggers/deploy';
import { eventRunWorkflowId, pollerWorkflowId } from '../../triggers/ids';
import { POLLER_RUN_MAX_EVENTS, type PollerStatus } from '../../workflows/triggers/poller';
import { saveHistory } from '../interpreter/support';
import { recordingPlan, runsOf, waitFor } from './support';

const HOUR = 3_600_000;

let engine: TestEngine;
beforeAll(async () => {
  engine = await startTestEngine();
}, 120_000);
afterAll(async () => {
  await engine?.close();
});

/** A company of our own: no seeded calls, a budget the test does not trip over. */
async function newCompany(connectionId: string) {
  const company = await engine.emulator.admin.createCompany({
    name: `Poll ${connectionId}`,
    callCount: 10, // fewer trips the emulator's seeding (no visible call to log); the filter leaves them out
    userCount: 5,
    rateLimits: { perSecond: 200, perDay: 1_000_000 },
  });
  engine.connections.register({
    id: connectionId,
    type: 'key',
    baseUrl: company.apiBaseUrl,
    accessKey: company.accessKey,
    accessKeySecret: company.accessKeySecret,
  });
  return company;
}

test('a call poller catches every call, including calls visible hours after they started: 200 calls, 0 missed, 0 duplicated', async () => {
  const connectionId = `poll-${randomUUID().slice(0, 8)}`;
  const company = await newCompany(connectionId);
  const admin = engine.emulator.admin;
  const definition = `poll-calls-${randomUUID().slice(0, 8)}`;
  const since = new Date(Date.parse(admin.now()) - 24 * HOUR).toISOString();
  const plan = recordingPlan(definition, [
    {
      kind: 'gong.call.new',
      settings: { every: 200, lookback: 12 * HOUR, since },
      filter: { expr: 'trigger.call.title.startsWith("Poll call ")' },
    },
  ]);
  await deployTriggers(engine.client, { plan, connectionId, taskQueue: engine.taskQueue });
  const poller = engine.client.workflow.getHandle(
    pollerWorkflowId(definition, 'gong.call.new', connectionId),
  );
  const status = () => poller.query<PollerStatus>('triggerStatus');

  // Ten emulated hours: each hour 20 calls that started up to 2 h ago and take 0-8 h to process.
  const created: string[] = [];
  for (let hour = 0; hour < 10; hour += 1) {
    for (let index = 0; index < 20; index += 1) {
      const n = hour * 20 + index;
      const { callId } = admin.createCall(company.id, {
        title: `Poll call ${n}`,
        started: new Date(Date.parse(admin.now()) - ((n * 7) % 120) * 60_000 - 1_800_000).toISOString(),
        durationSeconds: 1_800,
        processingDelayMs: ((n * 37) % 480) * 60_000,
      }) as { callId: string };
      created.push(callId);
    }
    const polls = (await status()).stats.polls;
    admin.advanceClock(HOUR);
    await waitFor(async () => (await status()).stats.polls >= polls + 2, 'two polls after the clock moved');
  }
  admin.advanceClock(10 * HOUR);

  const expected = new Set(
    created.map((id) => eventRunWorkflowId(definition, connectionId, 'gong.call.new', id)),
  );
  const runs = await waitFor(
    async () => {
      const found = await runsOf(engine.client, definition);
      return found.size >= expected.size ? found : undefined;
    },
    '200 runs',
    120_000,
  );
  const missed = [...expected].filter((id) => !runs.has(id));
  const unexpected = [...runs.keys()].filter((id) => !expected.has(id));
  const duplicated = [...runs.values()].filter((count) => count > 1);
  expect({ runs: runs.size, missed, unexpected, duplicated }).toEqual({
    runs: 200,
    missed: [],
    unexpected: [],
    duplicated: [],
  });
  const final = await status();
  expect(final.stats.started).toBe(200);
  expect(final.lastError).toBeNull();
}, 300_000);

test('a poller continues as new on a bounded history, polling Gong once for each poll due across it', async () => {
  const connectionId = `poll-${randomUUID().slice(0, 8)}`;
  await newCompany(connectionId);
  const definition = `poll-bounded-${randomUUID().slice(0, 8)}`;
  const plan = recordingPlan(definition, [{ kind: 'gong.call.new', settings: { every: HOUR } }]);
  await deployTriggers(engine.client, { plan, connectionId, taskQueue: engine.taskQueue });
  const workflowId = pollerWorkflowId(definition, 'gong.call.new', connectionId);
  const poller = engine.client.workflow.getHandle(workflowId);
  const status = () => poller.query<PollerStatus>('triggerStatus');
  // Gong's answer counted: a poll is over (`stats.polls` counts a poll when it begins).
  const answered = async (after: number) => {
    const requests = (await status()).stats.gongRequests;
    return requests > after ? requests : undefined;
  };
  let requests = await waitFor(() => answered(0), 'the deploy-time baseline poll');
  const { runId: firstRunId } = await poller.describe();

  // A poll on demand each time (the interval is an hour), sent while the poller waits, until the run has
  // continued as new, then two more.
  let signals = 0;
  let continuedAfter: number | undefined;
  while (continuedAfter === undefined || signals < continuedAfter + 2) {
    if (signals > 60) throw new Error(`no continue-as-new after ${signals} polls`);
    await poller.signal('pollNow');
    signals += 1;
    requests = await waitFor(() => answered(requests), `poll ${signals}`);
    if (continuedAfter === undefined && (await poller.describe()).runId !== firstRunId)
      continuedAfter = signals;
  }

  const firstRun = engine.client.workflow.getHandle(workflowId, firstRunId);
  // The replay suite keeps a bounded run (test/histories/poller-bounded.json) and one recorded before the
  // bound (poller-unbounded.json, 254 events): both must replay on today's poller.
  if (process.env['GONGFLOW_RECORD_HISTORIES'] === '1') await saveHistory(firstRun, 'poller-bounded');
  const events = (await firstRun.fetchHistory()).events ?? [];
  const count = (has: (event: (typeof events)[number]) => unknown) =>
    events.filter((event) => has(event)).length;
  // The first run ended by continuing, within one poll's events of the bound.
  expect(events.at(-1)?.workflowExecutionContinuedAsNewEventAttributes).toBeTruthy();
  expect(events.length).toBeLessThanOrEqual(POLLER_RUN_MAX_EVENTS + 15);
  // It polled for the baseline and for every signal but the last, whose poll opened the next run: a poll
  // before continuing would have been asked of Gong again by the next run.
  expect(count((event) => event.activityTaskScheduledEventAttributes)).toBe(
    count((event) => event.workflowExecutionSignaledEventAttributes?.signalName === 'pollNow'),
  );
  // Counters carry across: the next run's status counts the first run's polls too.
  expect((await status()).stats.polls).toBe(signals + 1);
  expect((await status()).lastError).toBeNull();
}, 120_000);

test("a poll names the plan by hash: the poller's history holds no copy of the definition, runs still start", async () => {
  const connectionId = `poll-${randomUUID().slice(0, 8)}`;
  const company = await newCompany(connectionId);
  const definition = `poll-byhash-${randomUUID().slice(0, 8)}`;
  const plan = {
    ...recordingPlan(definition, [{ kind: 'gong.call.new', settings: { every: HOUR } }]),
    description: 'A definition long enough to notice in a history. '.repeat(400),
  };
  const planBytes = JSON.stringify(plan).length;
  await deployTriggers(engine.client, { plan, connectionId, taskQueue: engine.taskQueue });
  const poller = engine.client.workflow.getHandle(
    pollerWorkflowId(definition, 'gong.call.new', connectionId),
  );
  const status = () => poller.query<PollerStatus>('triggerStatus');
  await waitFor(async () => (await status()).stats.gongRequests > 0, 'the deploy-time baseline poll');

  const admin = engine.emulator.admin;
  const calls: string[] = [];
  for (let index = 0; index < 3; index += 1) {
    const { callId } = admin.createCall(company.id, {
      title: `By hash ${index}`,
      started: new Date(Date.parse(admin.now()) - 1_800_000).toISOString(),
      durationSeconds: 600,
      processingDelayMs: 0,
    }) as { callId: string };
    calls.push(callId);
    await poller.signal('pollNow');
    await waitFor(async () => (await status()).stats.started >= index + 1, `the run of call ${index}`);
  }
  const runs = await runsOf(engine.client, definition);
  expect([...runs.keys()].sort()).toEqual(
    calls.map((id) => eventRunWorkflowId(definition, connectionId, 'gong.call.new', id)).sort(),
  );
  const inputs = ((await poller.fetchHistory()).events ?? []).flatMap((event) => {
    const input = event.activityTaskScheduledEventAttributes?.input?.payloads?.[0]?.data;
    return input ? [input.length] : [];
  });
  expect(inputs.length).toBeGreaterThanOrEqual(4);
  // Each poll's input: the window, its handled ids and the plan's hash, not the plan (~20 KB here).
  expect(Math.max(...inputs)).toBeLessThan(planBytes / 5);
}, 120_000);
