import { compileDefinition } from '../compile';
import { DEFINITION_CODES as CODES } from '../problems';

/**
 * Each expression is checked once per compilation and text (and environment, for its type): a repeated
 * expression must still be reported wherever it is wrong, and checked against the names bound where it is.
 */
function problemsOf(text: string): string[] {
  const result = compileDefinition(text, 'test.yaml');
  return result.problems.map((problem) => `${problem.code} ${problem.line}:${problem.column}`);
}

describe('expressions checked once per compilation', () => {
  it('reports a repeated broken expression at every place it is written', () => {
    const text = [
      'name: t',
      'version: 1',
      'input: { n: { type: integer, default: 1 } }',
      'steps:',
      '  - id: a',
      '    set: { x: "${{ input.n + \'s\' }}" }',
      '  - id: b',
      '    set: { y: "${{ input.n + \'s\' }}" }',
      '  - id: c',
      '    set: { z: "${{ stepz.a.output }}" }',
      '  - id: d',
      '    set: { w: "${{ stepz.a.output }}" }',
    ].join('\n');
    expect(problemsOf(text)).toEqual([
      `${CODES.expressionType} 6:20`,
      `${CODES.expressionType} 8:20`,
      `${CODES.unknownReference} 10:20`,
      `${CODES.unknownReference} 12:20`,
    ]);
  });

  it('types the same text by the names bound where it is: loop items of different lists', () => {
    const text = [
      'name: t',
      'version: 1',
      'steps:',
      '  - id: users',
      '    action: gong.users.list',
      '  - id: each',
      '    forEach: "${{ steps.users.output.users }}"',
      '    maxItems: 10',
      '    steps:',
      '      - id: named',
      '        set: { name: "${{ item.firstName }}" }',
      '  - id: numbers',
      '    forEach: "${{ [1, 2] }}"',
      '    maxItems: 10',
      '    steps:',
      '      - id: named2',
      '        set: { name2: "${{ item.firstName }}" }',
    ].join('\n');
    expect(problemsOf(text)).toEqual([`${CODES.expressionType} 17:33`]);
  });
});
