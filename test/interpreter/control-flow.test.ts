import { startTestEngine, type TestEngine } from '../support/engine';
import { expr, fail, lit, runPlan, set, testPlan, tx } from './support';

jest.setTimeout(180_000); // the worker bundles workflows first; shared CI machines are slow

describe('interpreter: sequence, set, if/switch, try/catch/finally, fail/succeed', () => {
  let engine: TestEngine;
  beforeAll(async () => {
    engine = await startTestEngine();
  });
  afterAll(async () => {
    await engine?.close();
  });

  it('runs steps in order; set assigns vars a later step reads; when skips', async () => {
    const plan = testPlan(
      [
        set('first', { n: tx('input.start + 1') }),
        set('second', { n: tx('vars.n * 10'), from: tx('steps.first.output.n') }),
        { ...set('skipped', { n: lit(-1) }), when: expr('vars.n > 1000') },
      ],
      {
        input: { start: { type: 'integer', required: true } },
        output: tx('{"n": vars.n, "from": steps.second.output.from, "skipped": steps.skipped.output}'),
      },
    );
    const outcome = await runPlan(engine, plan, { input: { start: 4 } }, 'sequence-set');
    expect(outcome).toMatchObject({ status: 'completed', output: { n: 50, from: 5, skipped: null } });
  });

  it('if takes then or else; switch takes the first matching case, else default', async () => {
    const plan = testPlan(
      [
        {
          id: 'check',
          kind: 'if',
          condition: expr('input.n > 10'),
          then: [set('big', { size: lit('big') })],
          else: [set('small', { size: lit('small') })],
        },
        {
          id: 'route',
          kind: 'switch',
          cases: [
            { when: expr('input.n == 1'), steps: [set('one', { route: lit('one') })] },
            { when: expr('input.n < 10'), steps: [set('few', { route: lit('few') })] },
          ],
          default: [set('many', { route: lit('many') })],
        },
      ],
      {
        input: { n: { type: 'integer', required: true } },
        output: tx('{"size": vars.size, "route": vars.route, "check": steps.check.output}'),
      },
    );
    const small = await runPlan(engine, plan, { input: { n: 1 } }, 'if-switch');
    expect(small).toMatchObject({
      status: 'completed',
      output: { size: 'small', route: 'one', check: { size: 'small' } },
    });
    const middle = await runPlan(engine, plan, { input: { n: 5 } });
    expect(middle).toMatchObject({ output: { size: 'small', route: 'few' } });
    const large = await runPlan(engine, plan, { input: { n: 50 } });
    expect(large).toMatchObject({ output: { size: 'big', route: 'many' } });
  });

  it('an if condition that is not a boolean fails the run with ExpressionError', async () => {
    const plan = testPlan([{ id: 'check', kind: 'if', condition: expr('"yes"'), then: [], else: [] }]);
    const outcome = await runPlan(engine, plan);
    expect(outcome).toMatchObject({ status: 'failed', failureType: 'ExpressionError' });
  });

  it('fail ends the run with the author type and message', async () => {
    const outcome = await runPlan(engine, testPlan([fail('stop', 'OrderRejected', 'no budget')]), {}, 'fail');
    expect(outcome).toMatchObject({ status: 'failed', failureType: 'OrderRejected', message: 'no budget' });
  });

  it('succeed ends the run early with its output, running finally but not later steps', async () => {
    const plan = testPlan(
      [
        {
          id: 'guard',
          kind: 'try',
          steps: [
            { id: 'done', kind: 'succeed', output: tx('{"early": true}') },
            fail('never', 'X', 'unreached'),
          ],
          catch: { errorTypes: ['*'], as: 'error', steps: [set('caught', { caught: lit(true) })] },
          finally: [set('cleanup', { cleaned: lit(true) })],
        },
        fail('after', 'X', 'unreached'),
      ],
      { output: lit('not this') },
    );
    const outcome = await runPlan(engine, plan, {}, 'succeed');
    expect(outcome).toMatchObject({ status: 'completed', output: { early: true } });
    const progress = await outcome.handle.query<{ steps: Array<{ id: string; status: string }> }>(
      'gongflow.progress',
    );
    expect(progress.steps.map((step) => `${step.id}:${step.status}`)).toEqual([
      'guard:completed',
      'done:completed',
      'cleanup:completed',
    ]);
  });

  it('catch matches failure types, binds {type, message}; finally always runs; unmatched types propagate', async () => {
    const plan = testPlan(
      [
        {
          id: 'attempt',
          kind: 'try',
          steps: [fail('boom', 'QuotaError', 'out of quota')],
          catch: {
            errorTypes: ['QuotaError'],
            as: 'err',
            steps: [set('handled', { caughtType: tx('err.type'), caughtMessage: tx('err.message') })],
          },
          finally: [set('cleanup', { cleaned: lit(true) })],
        },
        {
          id: 'unmatched',
          kind: 'try',
          steps: [
            {
              id: 'inner',
              kind: 'try',
              steps: [fail('boom2', 'OtherError', 'not mine')],
              catch: { errorTypes: ['QuotaError'], as: 'err', steps: [] },
              finally: [set('innerCleanup', { innerCleaned: lit(true) })],
            },
          ],
          catch: {
            errorTypes: ['OtherError'],
            as: 'outer',
            steps: [set('outerCaught', { outer: tx('outer.type') })],
          },
        },
      ],
      {
        output: tx(
          '{"type": vars.caughtType, "message": vars.caughtMessage, "cleaned": vars.cleaned, "innerCleaned": vars.innerCleaned, "outer": vars.outer, "attempt": steps.attempt.output}',
        ),
      },
    );
    const outcome = await runPlan(engine, plan, {}, 'try-catch-finally');
    expect(outcome).toMatchObject({
      status: 'completed',
      output: {
        type: 'QuotaError',
        message: 'out of quota',
        cleaned: true,
        innerCleaned: true,
        outer: 'OtherError',
        attempt: { caughtType: 'QuotaError', caughtMessage: 'out of quota' },
      },
    });
  });

  it('onFailure runs with the error bound, and the run still fails with the original failure', async () => {
    const plan = testPlan([set('before', { a: lit(1) }), fail('boom', 'PaymentError', 'card declined')], {
      onFailure: [
        {
          id: 'report',
          kind: 'set',
          vars: { reported: tx('error.type + ": " + error.message + " at " + error.step') },
        },
      ],
    });
    const outcome = await runPlan(engine, plan, {}, 'on-failure');
    expect(outcome).toMatchObject({
      status: 'failed',
      failureType: 'PaymentError',
      message: 'card declined',
    });
    const progress = await outcome.handle.query<{
      steps: Array<{ id: string; status: string }>;
      outputs: Record<string, { output: unknown }>;
    }>('gongflow.progress');
    expect(progress.steps.map((step) => `${step.id}:${step.status}`)).toEqual([
      'before:completed',
      'boom:failed',
      'report:completed',
    ]);
  });

  it('a hand-crafted invalid plan fails at once with InvalidPlanError (no retrying workflow task)', async () => {
    const plan = testPlan([{ id: 'x', kind: 'teleport' } as never]);
    const outcome = await runPlan(engine, plan);
    expect(outcome).toMatchObject({ status: 'failed', failureType: 'InvalidPlanError' });
    expect((outcome as { message: string }).message).toContain('teleport');
  });
});
