import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { compileDefinition } from './compile';
import { isDefinitionFile } from './files';

const EXAMPLES = path.join(__dirname, 'examples');
const files = readdirSync(EXAMPLES).filter(isDefinitionFile);

describe('examples', () => {
  it('there are at least eight, for real use cases', () => {
    expect(files.length).toBeGreaterThanOrEqual(8);
  });

  it.each(files)('%s validates and points editors at the published schema', (name) => {
    const text = readFileSync(path.join(EXAMPLES, name), 'utf8');
    expect(text.split('\n')[0]).toBe('# yaml-language-server: $schema=../schema/definition.schema.json');
    const result = compileDefinition(text, path.join(EXAMPLES, name));
    expect(result.problems).toEqual([]);
    expect(result.ok && `${result.plan.name}.yaml`).toBe(name);
  });

  it('together they use every construct and every trigger kind', () => {
    const all = files.map((name) => readFileSync(path.join(EXAMPLES, name), 'utf8')).join('\n');
    for (const marker of [
      'action',
      'http',
      'set',
      'if',
      'switch',
      'parallel',
      'forEach',
      'approval',
      'waitForSignal',
      'run',
      'try',
      'fail',
      'succeed',
    ])
      expect(all).toMatch(new RegExp(`^\\s+(- )?${marker}:`, 'm'));
    for (const kind of ['api', 'schedule', 'gong.call.processed', 'gong.user.new'])
      expect(all).toContain(`kind: ${kind}`);
    expect(all).toContain('onFailure:');
  });
});
