import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { ProblemDetail } from '../core/errors';
import { GongflowError } from '../core/errors';
import { compileDefinition } from '../definitions/compile';
import { loadPlan } from '../definitions/load';
import { parseFixtures } from '../runs/test-mode/fixtures';

/**
 * The validator corpus (test/validator-corpus/README.md): definitions and fixtures files, each with one
 * mistake an author makes, and the one problem it must give, at its line and column, with nothing else.
 */
const CORPUS = path.join(__dirname, 'validator-corpus');

export interface CorpusCase {
  file: string;
  kind: 'definition' | 'fixtures';
  text: string;
  mistake: string;
  code: string;
  line: number;
  column: number;
  hint?: string;
  scopes?: string[];
  definition?: string;
}

function header(text: string, key: string): string | undefined {
  return new RegExp(`^# ${key}: (.+)$`, 'm').exec(text)?.[1]?.trim();
}

export function corpusCases(): CorpusCase[] {
  const cases: CorpusCase[] = [];
  for (const kind of ['definition', 'fixtures'] as const) {
    const dir = path.join(CORPUS, kind === 'definition' ? 'definitions' : 'fixtures');
    for (const name of readdirSync(dir).sort()) {
      const file = path.join(dir, name);
      const text = readFileSync(file, 'utf8');
      const expected = /^(\S+) (\d+):(\d+)$/.exec(header(text, 'expect') ?? '');
      if (!expected) throw new Error(`${name}: no "# expect: CODE line:col" header`);
      const hint = header(text, 'hint');
      const scopes = header(text, 'scopes');
      const definition = header(text, 'definition');
      cases.push({
        file,
        kind,
        text,
        mistake: header(text, 'mistake') ?? '',
        code: expected[1]!,
        line: Number(expected[2]),
        column: Number(expected[3]),
        ...(hint ? { hint } : {}),
        ...(scopes ? { scopes: scopes.split(',') } : {}),
        ...(definition ? { definition: path.resolve(dir, definition) } : {}),
      });
    }
  }
  return cases;
}

export function problemsOf(testCase: CorpusCase): ProblemDetail[] {
  if (testCase.kind === 'definition') {
    const result = compileDefinition(testCase.text, testCase.file, {
      location: testCase.file,
      ...(testCase.scopes ? { connectionScopes: testCase.scopes } : {}),
    });
    return result.problems;
  }
  const plan = loadPlan(testCase.definition ?? '');
  try {
    parseFixtures(testCase.text, testCase.file, plan);
    return [];
  } catch (error) {
    if (error instanceof GongflowError) return error.problems;
    throw error;
  }
}

const cases = corpusCases();

describe('the validator corpus: one mistake, one problem, where it is', () => {
  it('holds at least 80 cases, fixtures files among them', () => {
    expect(cases.length).toBeGreaterThanOrEqual(80);
    expect(cases.filter((testCase) => testCase.kind === 'fixtures').length).toBeGreaterThanOrEqual(8);
  });

  it.each(cases.map((testCase) => [path.relative(CORPUS, testCase.file), testCase] as const))(
    '%s',
    (_name, testCase) => {
      const problems = problemsOf(testCase);
      expect(problems.map((problem) => `${problem.code} ${problem.line}:${problem.column}`)).toEqual([
        `${testCase.code} ${testCase.line}:${testCase.column}`,
      ]);
      const [problem] = problems;
      expect(problem?.hint?.length).toBeGreaterThan(5);
      if (testCase.hint) expect(problem?.hint).toContain(testCase.hint);
    },
  );
});
