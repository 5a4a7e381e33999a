import path from 'node:path';
import { loadPlan } from '../definitions/load';
import { followRun, type StepEvent } from '../runs/follow';
import { startRun } from '../runs/start';
import { startTestEngine, type TestEngine } from './support/engine';

const EXAMPLE = path.resolve(__dirname, '../definitions/examples/list-users.yaml');

describe('a definition runs as a Temporal workflow calling Gong', () => {
  let engine: TestEngine;
  beforeAll(async () => {
    engine = await startTestEngine();
  });
  afterAll(async () => {
    await engine?.close();
  });

  it('lists every user across pages and records the Gong call as an activity', async () => {
    const plan = loadPlan(EXAMPLE);
    const handle = await startRun(engine.client, {
      plan,
      connectionId: 'emulator',
      taskQueue: engine.taskQueue,
      connections: engine.connections,
    });
    const events: StepEvent[] = [];
    const outcome = await followRun(handle, { onStep: (event) => events.push(event), pollIntervalMs: 50 });

    expect(outcome.status).toBe('completed');
    const output = (
      outcome as { output: { total: number; listed: number; active: number; first: { id: string } } }
    ).output;
    expect(output.total).toBeGreaterThan(100); // more than one page of 100
    expect(output.listed).toBe(output.total);
    expect(output.first.id).toMatch(/^\d{15,20}$/);
    expect(events.map((event) => `${event.type}:${event.step?.id ?? '?'}`)).toEqual([
      'started:listUsers',
      'completed:listUsers',
    ]);

    // The history shows the plan as the workflow input and the Gong call as an activity.
    const history = await handle.fetchHistory();
    const started = history.events?.find((event) => event.workflowExecutionStartedEventAttributes);
    expect(started?.workflowExecutionStartedEventAttributes?.workflowType?.name).toBe('orchestration');
    const scheduled = history.events?.filter((event) => event.activityTaskScheduledEventAttributes) ?? [];
    expect(scheduled.map((event) => event.activityTaskScheduledEventAttributes?.activityType?.name)).toEqual([
      'runGongAction',
    ]);
    expect(history.events?.some((event) => event.activityTaskCompletedEventAttributes)).toBe(true);

    // The emulator saw one request per page, each with the cursor of the page before.
    const userRequests = engine.emulator.admin.requestLog().filter((entry) => entry.path === '/v2/users');
    expect(userRequests.length).toBe(Math.ceil(output.total / 100));
  });

  it('refuses to start a run whose input does not match the declaration, before anything starts', async () => {
    const plan = loadPlan(EXAMPLE);
    await expect(
      startRun(engine.client, {
        plan,
        input: { includeAvatars: 'yes' },
        connectionId: 'emulator',
        taskQueue: engine.taskQueue,
      }),
    ).rejects.toMatchObject({ code: 'RUN_INVALID_INPUT' });
  });

  it('fails a run on an unknown connection with a typed, non-retried failure', async () => {
    const plan = loadPlan(EXAMPLE);
    const handle = await startRun(engine.client, {
      plan,
      connectionId: 'nobody',
      taskQueue: engine.taskQueue,
    });
    const outcome = await followRun(handle, { pollIntervalMs: 50 });
    expect(outcome).toMatchObject({ status: 'failed', failureType: 'ConnectionError' });
    expect((outcome as { message: string }).message).toContain('No Gong connection "nobody"');
  });
});
