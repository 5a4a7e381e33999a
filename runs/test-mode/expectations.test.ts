import { checkExpectation, pathTaken, subsetMismatches } from './expectations';
import type { StepProgress } from '../../workflows/progress';

const step = (id: string, status: StepProgress['status']): StepProgress => ({
  id,
  kind: 'action',
  status,
  startedAt: '2026-01-01T00:00:00.000Z',
});

describe('test mode expectations', () => {
  it('matches outputs as subsets: extra keys pass, arrays match item by item', () => {
    expect(
      subsetMismatches(
        { a: 1, b: { c: [1, { d: 2 }] } },
        { a: 1, x: 9, b: { c: [1, { d: 2, e: 3 }] } },
        'output',
      ),
    ).toEqual([]);
    expect(subsetMismatches({ b: { c: [1, 2] } }, { b: { c: [1, 3] } }, 'output')).toEqual([
      { at: 'output.b.c[1]', expected: 2, actual: 3 },
    ]);
    expect(subsetMismatches([1], [1, 2], 'output')).toEqual([
      { at: 'output', expected: [1], actual: [1, 2] },
    ]);
    expect(subsetMismatches({ gone: null }, {}, 'output')).toEqual([
      { at: 'output.gone', expected: null, actual: undefined },
    ]);
  });

  it('takes the path from steps that ran, skipped ones left out, and checks it as an ordered subsequence', () => {
    const steps = [step('a', 'completed'), step('b', 'skipped'), step('c', 'failed'), step('d', 'completed')];
    expect(pathTaken(steps)).toEqual(['a', 'c', 'd']);
    const outcome = { status: 'completed' as const, output: {} };
    expect(checkExpectation({ path: ['a', 'd'], notRun: ['b'] }, outcome, steps)).toEqual([]);
    expect(checkExpectation({ path: ['d', 'a'] }, outcome, steps)).toEqual([
      { at: 'path', expected: ['d', 'a'], actual: ['a', 'c', 'd'] },
    ]);
    expect(checkExpectation({ notRun: ['c'] }, outcome, steps)).toHaveLength(1);
  });

  it('expects a failure when an error is expected, and compares its type', () => {
    const failed = { status: 'failed' as const, failureType: 'GongNotFoundError', message: 'no call' };
    expect(checkExpectation({ error: { type: 'GongNotFoundError', message: 'no' } }, failed, [])).toEqual([]);
    expect(checkExpectation({ error: { type: 'BusinessError' } }, failed, [])).toEqual([
      { at: 'error.type', expected: 'BusinessError', actual: 'GongNotFoundError' },
    ]);
    expect(checkExpectation({}, failed, [])[0]).toMatchObject({ at: 'status', expected: 'completed' });
  });
});
