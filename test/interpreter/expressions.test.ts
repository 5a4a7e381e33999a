import type { RunOutcome } from '../../runs/follow';
import { startTestEngine, type TestEngine } from '../support/engine';
import { lit, runPlan, set, testPlan, tx } from './support';

jest.setTimeout(180_000); // the worker bundles workflows first; shared CI machines are slow

/**
 * Expressions always end: whatever a plan's expressions do, the run completes or fails with a typed
 * failure. Before, a backtracking regex or a billion-iteration comprehension kept one workflow task busy
 * past Temporal's deadlock timeout, so the task failed and retried forever and the run sat RUNNING.
 * Plans are built directly, as a hand-written plan could be: the validator is not what saves these runs.
 */
describe('interpreter: expressions always end', () => {
  let engine: TestEngine;
  beforeAll(async () => {
    engine = await startTestEngine();
  });
  afterAll(async () => {
    await engine?.close();
  });

  /** The run's outcome, or a test failure if it has not ended after a minute (it would have run forever). */
  async function outcomeOf(...args: Parameters<typeof runPlan>): Promise<RunOutcome> {
    let deadline: NodeJS.Timeout | undefined;
    const stuck = new Promise<never>((_, reject) => {
      deadline = setTimeout(() => reject(new Error('the run did not end within a minute')), 60_000);
    });
    try {
      return await Promise.race([runPlan(...args), stuck]);
    } finally {
      clearTimeout(deadline);
    }
  }

  it('a regex that backtracks exponentially in JavaScript answers at once (RE2): the run completes', async () => {
    const plan = testPlan([set('check', { matched: tx('input.s.matches("(a+)+$")') })], {
      input: { s: { type: 'string', required: true } },
      output: tx('{"matched": vars.matched, "word": input.s.matches("^a+!$")}'),
    });
    const outcome = await outcomeOf(
      engine,
      plan,
      { input: { s: `${'a'.repeat(40)}!` } },
      'expression-limits',
    );
    expect(outcome).toMatchObject({ status: 'completed', output: { matched: false, word: true } });
  });

  it('a regex RE2 cannot run fails the step with ExpressionError, saying why', async () => {
    const plan = testPlan([set('check', { twice: tx('input.s.matches("(a)\\\\1")') })], {
      input: { s: { type: 'string', required: true } },
    });
    const outcome = await outcomeOf(engine, plan, { input: { s: 'aa' } });
    expect(outcome).toMatchObject({
      status: 'failed',
      failureType: 'ExpressionError',
      message: expect.stringContaining('backreferences (\\1) are not supported') as string,
    });
  });

  it('a comprehension of a billion iterations fails with ExpressionError at its budget', async () => {
    const digits = '[0, 1, 2, 3, 4, 5, 6, 7, 8, 9]';
    const nested = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'].reduceRight(
      (body, name) => `${digits}.map(${name}, ${body})`,
      'a + b + c + d + e + f + g + h + i',
    );
    const plan = testPlan([set('expand', { all: tx(`${digits}.map(i, ${nested})`) })]);
    const outcome = await outcomeOf(engine, plan);
    expect(outcome).toMatchObject({
      status: 'failed',
      failureType: 'ExpressionError',
      message: expect.stringMatching(/expand\.set\.all failed: expression is too expensive/) as string,
    });
  });

  it('a string that doubles at every step fails with ExpressionError at the string limit', async () => {
    const doublings = Array.from({ length: 40 }, () => '.map(s, s + s)').join('');
    const plan = testPlan([set('grow', { text: tx(`[input.seed]${doublings}[0]`) })], {
      input: { seed: { type: 'string', required: false, default: 'gong' } },
    });
    const outcome = await outcomeOf(engine, plan);
    expect(outcome).toMatchObject({
      status: 'failed',
      failureType: 'ExpressionError',
      message: expect.stringContaining('builds a string of') as string,
    });
  });

  it('many expensive evaluations in one workflow task are spread over tasks: the run completes', async () => {
    // 60 concurrent iterations, each evaluating close to a full budget: ~60 million units, over six seconds
    // of work in the workflow sandbox here, that would all land in one workflow task, past Temporal's 5 s
    // deadlock timeout: the task would fail and retry forever.
    const costly = 'input.l.exists(a, input.l.exists(b, a * b == -1))';
    const plan = testPlan(
      [
        {
          id: 'each',
          kind: 'forEach',
          items: { expr: 'input.items' },
          as: 'item',
          concurrency: 60,
          maxItems: 100,
          steps: [set('work', { found: tx(costly), item: tx('item') })],
          output: tx('vars.item'),
        },
      ],
      {
        input: { items: { type: 'array', required: true }, l: { type: 'array', required: true } },
        output: tx('size(steps.each.output)'),
      },
    );
    const input = { items: Array.from({ length: 60 }, (_, index) => index), l: [...Array(240).keys()] };
    const outcome = await outcomeOf(engine, plan, { input }, 'expression-pacing');
    expect(outcome).toMatchObject({ status: 'completed', output: 60 });
  });

  it('a literal stays a literal: nothing to evaluate, nothing metered', async () => {
    const outcome = await outcomeOf(
      engine,
      testPlan([set('plain', { x: lit('(a+)+$') })], { output: tx('vars.x') }),
    );
    expect(outcome).toMatchObject({ status: 'completed', output: '(a+)+$' });
  });
});
