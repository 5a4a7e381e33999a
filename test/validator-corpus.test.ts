import type { ProblemDetail } from '../core/errors';
import { GongflowError } from '../core/errors';
import { compileDefinition } from '../definitions/compile';
import { loadPlan } from '../definitions/load';
import { parseFixtures } from '../runs/test-mode/fixtures';
import path from 'node:path';
import { CORPUS, corpusCases, type CorpusCase } from './support/validator-corpus';

export function problemsOf(testCase: CorpusCase): ProblemDetail[] {
  if (testCase.kind === 'definition') {
    const result = compileDefinition(testCase.text, testCase.file, {
      location: testCase.file,
      ...(testCase.scopes ? { connectionScopes: testCase.scopes } : {}),
    });
    // Warnings count: a mistake the validator only warns about (an input the catalog does not know, sent to
    // Gong as given) must still be reported, once.
    return [...result.problems, ...result.warnings];
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
