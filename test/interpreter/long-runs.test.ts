import { followRun } from '../../runs/follow';
import { startTestEngine, type TestEngine } from '../support/engine';
import {
  lit,
  progressOf,
  set,
  signal,
  sleepStep,
  startPlan,
  testPlan,
  tx,
  waitForProgress,
  waitSignal,
} from './support';

jest.setTimeout(180_000); // the worker bundles workflows first; shared CI machines are slow

describe('interpreter: long runs', () => {
  let engine: TestEngine;
  beforeAll(async () => {
    engine = await startTestEngine();
  });
  afterAll(async () => {
    await engine?.close();
  });

  it('continues as new between top-level steps, carrying outputs, vars, progress and unread signals', async () => {
    const plan = testPlan(
      [
        set('first', { a: lit('from the first run') }),
        sleepStep('s1', 1),
        sleepStep('s2', 1),
        sleepStep('s3', 1),
        sleepStep('s4', 1),
        sleepStep('s5', 1),
        waitSignal('late', 'late'),
        set('last', { b: tx('steps.first.output.a + " / " + steps.late.output.note') }),
      ],
      { output: tx('{"a": vars.a, "b": vars.b}') },
    );
    const handle = await startPlan(engine, plan, { limits: { continueAsNewAfterEvents: 12 } });
    await signal(handle, 'late', { note: 'signal sent to the first run' });
    const outcome = await followRun(handle);
    expect(outcome).toMatchObject({
      status: 'completed',
      output: { a: 'from the first run', b: 'from the first run / signal sent to the first run' },
    });
    const progress = await progressOf(handle);
    expect(progress.continuedAsNew).toBeGreaterThanOrEqual(1);
    expect(progress.steps.map((step) => step.id)).toEqual([
      'first',
      's1',
      's2',
      's3',
      's4',
      's5',
      'late',
      'last',
    ]);
    const firstRun = engine.client.workflow.getHandle(handle.workflowId, handle.firstExecutionRunId);
    const history = await firstRun.fetchHistory();
    expect(history.events?.some((event) => event.workflowExecutionContinuedAsNewEventAttributes)).toBe(true);
  });

  it('the progress query reports current steps, timings and outputs so far', async () => {
    const plan = testPlan([set('first', { a: lit(1) }), waitSignal('gate', 'go')]);
    const handle = await startPlan(engine, plan);
    const running = await waitForProgress(handle, (progress) => progress.current?.includes('gate') === true);
    expect(running.outputs).toEqual({ first: { output: { a: 1 } } });
    expect(running.steps[0]).toMatchObject({ id: 'first', status: 'completed', durationMs: 0 });
    await signal(handle, 'go');
    expect(await followRun(handle)).toMatchObject({ status: 'completed' });
    const done = await progressOf(handle);
    expect(done.current).toEqual([]);
    expect(done.status).toBe('completed');
  });
});
