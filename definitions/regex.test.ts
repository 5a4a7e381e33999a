import { RE2JS } from 're2js';
import { regexCompileWork, regexProblem } from './regex';

/** Instructions of the compiled program (what compiling builds). */
function programSize(pattern: string): number {
  return (
    RE2JS.compile(pattern) as unknown as { re2Input: { prog: { numInst(): number } } }
  ).re2Input.prog.numInst();
}

describe('regexes (RE2 syntax)', () => {
  it('names what RE2 cannot express and how to do without it', () => {
    expect(regexProblem('(a)\\1')).toMatchObject({
      message: 'backreferences (\\1) are not supported',
      hint: expect.stringContaining('no backreferences') as string,
    });
    for (const lookaround of ['a(?=b)', 'a(?!b)', '(?<=a)b', '(?<!a)b']) {
      expect(regexProblem(lookaround)).toMatchObject({
        message: expect.stringContaining('lookahead and lookbehind') as string,
        hint: expect.stringContaining('s.matches("a") && !s.matches("b")') as string,
      });
    }
    expect(regexProblem('\\u263A')?.hint).toContain('\\x{263A}');
    expect(regexProblem('a{1001}')?.message).toContain('invalid repeat count');
    expect(regexProblem('(')?.hint).toContain('https://github.com/google/re2/wiki/Syntax');
    expect(regexProblem('^(?P<user>[\\w.+-]+)@acme\\.com$')).toBeUndefined();
  });

  it('bounds the work of compiling from the text alone, never below what compiling builds', () => {
    const patterns = [
      'abc',
      '\\d{4}-\\d{2}-\\d{2}',
      '[a-z]{1000}[0-9]',
      '((a{10}){10}){10}',
      '(?:abc){1000}',
      '(?i)^[\\w.+-]+@[\\w-]+\\.[\\w.]+$',
      '(a|b|c)*d',
      '[]a]{3}',
      '[[:alpha:]]+x{2,}',
      '\\x{263a}{3}',
      '(?:\\pL|\\d){50}',
    ];
    // Up to the few instructions every program has around its body (start, match, capture 0).
    const underestimated = patterns.filter((pattern) => regexCompileWork(pattern) + 3 < programSize(pattern));
    expect(underestimated).toEqual([]);
    // Unicode classes weigh more: their rune tables are what compiling spends time on.
    expect(regexCompileWork('\\pL{1000}')).toBeGreaterThan(5 * regexCompileWork('[a-z]{1000}'));
  });
});
