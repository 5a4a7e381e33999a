import type { StepPlan } from '../../definitions/plan';
import { followRun } from '../../runs/follow';
import { startTestEngine, type TestEngine } from '../support/engine';
import {
  expr,
  fail,
  lit,
  progressOf,
  runPlan,
  saveHistory,
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

describe('interpreter: timers, signals, timeouts, sub-orchestrations', () => {
  let engine: TestEngine;
  beforeAll(async () => {
    engine = await startTestEngine();
  });
  afterAll(async () => {
    await engine?.close();
  });

  it('sleep and waitUntil are durable timers (a past instant continues at once)', async () => {
    const plan = testPlan(
      [
        sleepStep('nap', 30),
        { id: 'until', kind: 'waitUntil', time: expr('input.at') },
        { id: 'past', kind: 'waitUntil', time: expr('"2001-01-01T00:00:00Z"') },
      ],
      { input: { at: { type: 'string', required: true } }, output: tx('steps.until.output') },
    );
    const at = new Date(Date.now() + 300).toISOString();
    const outcome = await runPlan(engine, plan, { input: { at } }, 'sleep-wait-until');
    expect(outcome).toMatchObject({ status: 'completed', output: { until: at } });
    // Workflow time when the wait ended is never before the instant, however slow the machine.
    const progress = await progressOf(outcome.handle);
    const until = progress.steps.find((step) => step.id === 'until') as { endedAt?: string };
    expect(Date.parse(until.endedAt ?? '')).toBeGreaterThanOrEqual(Date.parse(at));
    expect(progress.steps.find((step) => step.id === 'past')).toMatchObject({ status: 'completed' });
  });

  it('waitUntil with something that is not a date fails with ExpressionError', async () => {
    const plan = testPlan([{ id: 'until', kind: 'waitUntil', time: expr('"tomorrow-ish"') }]);
    expect(await runPlan(engine, plan)).toMatchObject({ status: 'failed', failureType: 'ExpressionError' });
  });

  it('waitForSignal: an invalid payload is rejected, the next valid one is the output (also sent early)', async () => {
    const plan = testPlan(
      [
        waitSignal('order', 'order', {
          payloadSchema: {
            type: 'object',
            required: ['qty'],
            properties: { qty: { type: 'integer', minimum: 1 } },
          },
        }),
      ],
      { output: tx('steps.order.output') },
    );
    const handle = await startPlan(engine, plan);
    await signal(handle, 'order', { qty: 'many' });
    await signal(handle, 'unrelated', { qty: 1 });
    await signal(handle, 'order', { qty: 3 });
    expect(await followRun(handle)).toMatchObject({ status: 'completed', output: { qty: 3 } });
  });

  it('approval: only a listed approver decides a waiting step; the decision is the output', async () => {
    const approve: StepPlan = {
      ...waitSignal('approve', 'approve', { approval: true }),
      approvers: ['Ann@acme.com'],
      prompt: tx('"Export " + string(input.n) + " calls?"'),
    } as StepPlan;
    const plan = testPlan(
      [
        approve,
        {
          id: 'decide',
          kind: 'if',
          condition: expr('steps.approve.output.approved'),
          then: [set('go', { result: tx('"approved by " + steps.approve.output.by') })],
          else: [fail('rejected', 'ApprovalRejected', 'rejected')],
        },
      ],
      { input: { n: { type: 'integer', required: true } }, output: tx('vars.result') },
    );
    const handle = await startPlan(engine, plan, { input: { n: 3 } });
    const refused = (decision: Record<string, unknown>) =>
      handle.executeUpdate('gongflow.approve', { args: [decision] }).then(
        () => 'accepted',
        (error: { cause?: { type?: string } }) => error.cause?.type,
      );
    // Too early, by the wrong person, for a step that is no approval, or no step at all: refused, not queued.
    expect(await refused({ step: 'decide', approved: true, by: 'ann@acme.com' })).toBe(
      'RUN_STEP_NOT_APPROVAL',
    );
    expect(await refused({ step: 'nosuch', approved: true, by: 'ann@acme.com' })).toBe('RUN_STEP_NOT_FOUND');
    const waiting = await waitForProgress(handle, (p) => p.steps.some((s) => s.waiting !== undefined));
    expect(waiting.steps.find((s) => s.id === 'approve')).toMatchObject({
      waiting: { for: 'approval', prompt: 'Export 3 calls?', approvers: ['Ann@acme.com'] },
    });
    expect(await refused({ step: 'approve', approved: true, by: 'mallory@acme.com' })).toBe(
      'RUN_APPROVER_NOT_ALLOWED',
    );
    // A bare signal named after the step no longer decides it (approvers would not hold).
    await signal(handle, 'approve', { approved: true, by: 'mallory@acme.com' });
    expect((await progressOf(handle)).status).toBe('running');
    expect(await refused({ step: 'approve', approved: true, by: 'ann@acme.com' })).toBe('accepted');
    expect(await followRun(handle)).toMatchObject({
      status: 'completed',
      output: 'approved by ann@acme.com',
    });
    expect(await refused({ step: 'approve', approved: true, by: 'ann@acme.com' })).not.toBe('accepted');
    if (process.env['GONGFLOW_RECORD_HISTORIES'] === '1') await saveHistory(handle, 'approval-update');
  });

  it('signals by update: a name no step waits for is refused; early signals are queued', async () => {
    const plan = testPlan(
      [
        sleepStep('first', 200),
        waitSignal('got', 'go', {
          payloadSchema: { type: 'object', required: ['n'], properties: { n: { type: 'integer' } } },
        }),
      ],
      { output: tx('steps.got.output.n') },
    );
    const handle = await startPlan(engine, plan);
    const send = (name: string, payload: unknown) =>
      handle.executeUpdate('gongflow.sendSignal', { args: [{ name, payload }] }).then(
        (answer) => answer as { delivered: string },
        (error: { cause?: { type?: string } }) => error.cause?.type,
      );
    expect(await send('nope', {})).toBe('RUN_SIGNAL_NOT_FOUND');
    expect(await send('go', { n: 'x' })).toBe('RUN_SIGNAL_INVALID_PAYLOAD');
    expect(await send('go', { n: 7 })).toMatchObject({ delivered: 'queued' });
    expect(await followRun(handle)).toMatchObject({ status: 'completed', output: 7 });
  });

  it('waitForSignal timeout: continue gives null, fail gives StepTimeoutError', async () => {
    const continuing = testPlan([waitSignal('maybe', 'x', { timeoutMs: 20, onTimeout: 'continue' })], {
      output: tx('{"got": steps.maybe.output}'),
    });
    expect(await runPlan(engine, continuing, {}, 'signal-timeout')).toMatchObject({
      status: 'completed',
      output: { got: null },
    });
    const failing = testPlan([waitSignal('must', 'x', { timeoutMs: 20 })]);
    expect(await runPlan(engine, failing)).toMatchObject({
      status: 'failed',
      failureType: 'StepTimeoutError',
    });
  });

  it('a step timeout cancels the step and fails it with StepTimeoutError, which catch can match', async () => {
    const slow: StepPlan = { ...waitSignal('slow', 'never'), timeoutMs: 50 };
    const plan = testPlan(
      [
        {
          id: 'guard',
          kind: 'try',
          steps: [slow],
          catch: {
            errorTypes: ['StepTimeoutError'],
            as: 'err',
            steps: [set('late', { late: tx('err.type') })],
          },
        },
      ],
      { output: tx('vars.late') },
    );
    const outcome = await runPlan(engine, plan, {}, 'step-timeout');
    expect(outcome).toMatchObject({ status: 'completed', output: 'StepTimeoutError' });
    const progress = await progressOf(outcome.handle);
    expect(progress.steps.find((step) => step.id === 'slow')).toMatchObject({
      errorType: 'StepTimeoutError',
    });
  });

  it('the run timeout fails the run with StepTimeoutError and runs onFailure', async () => {
    const plan = testPlan([waitSignal('slow', 'never')], {
      timeoutMs: 50,
      onFailure: [set('report', { reason: tx('error.type') })],
    });
    const outcome = await runPlan(engine, plan, {}, 'run-timeout');
    expect(outcome).toMatchObject({ status: 'failed', failureType: 'StepTimeoutError' });
    const progress = await progressOf(outcome.handle);
    expect(progress.steps.find((step) => step.id === 'report')).toMatchObject({ status: 'completed' });
  });

  it('run: a sub-orchestration is a child workflow; its output and failure types reach the parent', async () => {
    const child = testPlan([set('double', { v: tx('input.n * 2') })], {
      name: 'child',
      input: { n: { type: 'integer', required: true } },
      output: tx('vars.v'),
    });
    const failingChild = testPlan([fail('boom', 'ChildError', 'child failed')], { name: 'bad-child' });
    const plan = testPlan(
      [
        { id: 'sub', kind: 'run', plan: child, input: tx('{"n": input.n}') },
        {
          id: 'guard',
          kind: 'try',
          steps: [{ id: 'badSub', kind: 'run', plan: failingChild, input: lit({}) }],
          catch: {
            errorTypes: ['ChildError'],
            as: 'err',
            steps: [set('caught', { caught: tx('err.message') })],
          },
        },
      ],
      {
        input: { n: { type: 'integer', required: true } },
        output: tx('{"sub": steps.sub.output, "caught": vars.caught}'),
      },
    );
    const outcome = await runPlan(engine, plan, { input: { n: 21 } }, 'sub-orchestration');
    expect(outcome).toMatchObject({ status: 'completed', output: { sub: 42, caught: 'child failed' } });
    const history = await outcome.handle.fetchHistory();
    const children =
      history.events?.filter((event) => event.startChildWorkflowExecutionInitiatedEventAttributes) ?? [];
    expect(
      children.map((event) => event.startChildWorkflowExecutionInitiatedEventAttributes?.workflowType?.name),
    ).toEqual(['orchestration', 'orchestration']);
  });
});
