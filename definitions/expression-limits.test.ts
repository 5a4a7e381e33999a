import { EXPRESSION_LIMITS } from './expression-limits';
import { evaluateExpression, expressionParseProblem, type EvaluationOptions } from './expressions';

/** Evaluates and reports what the evaluation cost, or how it failed. */
function run(
  source: string,
  context: Record<string, unknown> = {},
  options: EvaluationOptions = {},
): { value?: unknown; error?: string; cost: number } {
  let cost = 0;
  try {
    const value = evaluateExpression(source, context, { ...options, onCost: (units) => (cost = units) });
    return { value, cost };
  } catch (error) {
    return { error: (error as Error).message.split('\n')[0], cost };
  }
}

const range = (n: number): number[] => Array.from({ length: n }, (_, index) => index);

describe('regexes run in linear time (RE2)', () => {
  it('a pattern that backtracks exponentially in JavaScript answers at once', () => {
    const input = { s: `${'a'.repeat(40)}!` };
    // JavaScript's RegExp takes about 2^40 steps here (the test would time out); RE2 about 40.
    expect(run('input.s.matches("(a+)+$")', { input })).toMatchObject({ value: false });
  });

  it('keeps CEL semantics: an unanchored search with RE2 syntax', () => {
    expect(run('"Discovery call".matches("call")').value).toBe(true);
    expect(run('"Discovery call".matches("^call")').value).toBe(false);
    expect(run('"ID 4711".matches("\\\\d{4}$")').value).toBe(true);
    expect(run('"Acme".matches("(?i)^acme$")').value).toBe(true);
    expect(run('"x".matches("\\\\pL")').value).toBe(true);
  });

  it('refuses what RE2 cannot express, naming it', () => {
    expect(run('"aa".matches("(a)\\\\1")').error).toMatch(/backreferences \(\\1\) are not supported/);
    expect(run('"ab".matches("a(?=b)")').error).toMatch(/lookahead and lookbehind/);
    expect(run('"x".matches("(")').error).toMatch(/missing closing \)/);
    // ...which JavaScript's RegExp ran, for runs recorded before.
    expect(run('"aa".matches("(a)\\\\1")', {}, { legacy: true }).value).toBe(true);
  });

  it('pays for compiling a pattern from its text, before compiling it', () => {
    // 20,000 Unicode-class instructions: compiling alone would take about a second.
    const pattern = '\\\\pL{1000}'.repeat(20);
    expect(run(`"x".matches("${pattern}")`).error).toMatch(/too expensive/);
    expect(run('"x".matches("\\\\pL{1000}")').value).toBe(false);
  });
});

describe('every evaluation has a bounded cost', () => {
  it('nested comprehensions stop at the budget instead of running millions of iterations', () => {
    const outcome = run('input.l.exists(a, input.l.exists(b, a + b < 0))', { input: { l: range(2000) } });
    expect(outcome.error).toMatch(/too expensive: it went over its budget of 1,000,000 cost units/);
    expect(outcome.cost).toBeGreaterThan(EXPRESSION_LIMITS.maxCost);
  });

  it('a string doubling at every step stops at the string limit', () => {
    const doublings = Array.from({ length: 40 }, () => '.map(a, a + a)').join('');
    const outcome = run(`[input.s]${doublings}[0]`, { input: { s: 'abcdefgh' } });
    expect(outcome.error).toMatch(/builds a string of 1,048,576 characters/);
  });

  it('a result that repeats the data it read more than the budget allows is refused', () => {
    // 2^16 references to one 100-item list: cheap to build, 6.5 million values to write out.
    const nested = Array.from(
      { length: 16 },
      (_, index) => `cel.bind(x${index + 1}, [x${index}, x${index}], `,
    );
    const source = `cel.bind(x0, input.l, ${nested.join('')}x16${')'.repeat(17)}`;
    expect(run(source, { input: { l: range(100) } }).error).toMatch(/too expensive/);
    // Reading large data is not producing it: a result may be as large as what was read.
    expect(run('input.l', { input: { l: range(50_000) } }, { maxCost: 10_000 }).value).toHaveLength(50_000);
  });

  it('comparisons pay for nested values, membership for what it scans', () => {
    const budget = { maxCost: 100_000 };
    const big = range(60_000);
    expect(run('input.a == input.b', { input: { a: [big], b: [big] } }, budget).error).toMatch(
      /too expensive/,
    );
    expect(run('5 in input.l', { input: { l: range(10_000) } }, budget).value).toBe(true);
    expect(run('input.l.filter(x, x in input.l).size()', { input: { l: range(500) } }, budget).error).toMatch(
      /too expensive/,
    );
  });

  it('a budget passed inside || or exists() still fails the evaluation (CEL would absorb the error)', () => {
    const outcome = run('input.l.exists(a, input.l.exists(b, a + b < 0)) || true', {
      input: { l: range(2_000) },
    });
    expect(outcome.error).toMatch(/too expensive/);
  });

  it('ordinary work on data of the size runs carry fits easily', () => {
    const users = range(500).map((index) => ({
      id: String(7782342274025937000 + index),
      emailAddress: `user${index}@acme.com`,
      active: index % 3 !== 0,
      title: index % 2 ? 'AE' : 'SDR',
    }));
    const outcome = run(
      'input.users.filter(u, u.active && u.title == "AE" && u.emailAddress.endsWith("@acme.com")).map(u, {"id": u.id, "name": u.emailAddress.split("@")[0]})',
      { input: { users } },
    );
    expect(outcome.value).toHaveLength(users.filter((user) => user.active && user.title === 'AE').length);
    expect(outcome.cost).toBeLessThan(EXPRESSION_LIMITS.maxCost / 10);
  });

  it('costs are deterministic: the same evaluation costs the same, whatever was cached before', () => {
    const context = { input: { s: 'Pricing call with Acme', l: range(50) } };
    const source = 'input.l.filter(x, input.s.matches("(?i)pric(e|ing)") && x % 2 == 0).size()';
    const first = run(source, context);
    const second = run(source, context);
    expect(first.value).toBe(25);
    expect(second).toMatchObject({ value: 25, cost: first.cost });
  });

  it('a larger budget is an option (evaluations over stored results use one)', () => {
    const source = 'input.l.exists(a, input.l.exists(b, a + b < 0))';
    const context = { input: { l: range(400) } };
    expect(run(source, context).error).toMatch(/too expensive/);
    expect(run(source, context, { maxCost: EXPRESSION_LIMITS.maxCostOverStoredResults }).value).toBe(false);
  });
});

describe('expression shape limits', () => {
  it('refuses an expression nested deeper than the limit (chained operators nest)', () => {
    const terms = (n: number) => Array.from({ length: n }, () => '1').join(' + ');
    expect(expressionParseProblem(terms(20_000))).toMatchObject({
      kind: 'tooComplex',
      message: expect.stringMatching(/nests more than 250 levels/) as string,
    });
    expect(run(terms(20_000)).error).toMatch(/nests more than 250 levels/);
    expect(expressionParseProblem(terms(200))).toBeUndefined();
    expect(run(terms(200)).value).toBe(200);
  });

  it('refuses an expression with more parts than the limit', () => {
    const list = `[${Array.from({ length: 12 }, () => `[${range(900).join(', ')}]`).join(', ')}]`;
    expect(expressionParseProblem(list)).toMatchObject({ kind: 'tooComplex' });
  });

  it("reports the parser's own bounds as shape limits too", () => {
    expect(expressionParseProblem(`${'('.repeat(300)}1${')'.repeat(300)}`)).toMatchObject({
      kind: 'tooComplex',
      message: 'expression is too large: Exceeded maxDepth (250)',
    });
  });

  it('refuses what is too deep even to parse, without overflowing the stack', () => {
    expect(expressionParseProblem(`${'-'.repeat(200_000)}1`)).toMatchObject({ kind: 'tooComplex' });
    expect(run(`${'-'.repeat(200_000)}1`).error).toBeDefined();
  });
});
