import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DefinitionCatalog } from './definitions';

const CHILD =
  'name: child\nversion: 1\ninput:\n  n: { type: integer }\nsteps:\n  - id: s\n    set: { n: "${{ input.n }}" }\n';
const PARENT = (run: string) =>
  `name: parent\nversion: 1\nsteps:\n  - id: call\n    run: ${run}\n    with: { n: 1 }\n`;

describe('the API definition catalog resolves run: paths like validate does', () => {
  it('a sub-flow next to its parent in a subfolder is found (relative to the referencing file)', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'gongflow-catalog-'));
    mkdirSync(path.join(dir, 'flows'));
    writeFileSync(path.join(dir, 'flows', 'child.yaml'), CHILD);
    writeFileSync(path.join(dir, 'flows', 'parent.yaml'), PARENT('./child.yaml'));
    const catalog = new DefinitionCatalog(dir);
    expect(catalog.list().find((entry) => entry.name === 'parent')).toMatchObject({
      valid: true,
      problems: [],
    });
    expect(catalog.get('parent').plan.steps[0]).toMatchObject({ kind: 'run', plan: { name: 'child' } });
  });

  it('the shipped examples all list as valid from the definitions root', () => {
    const catalog = new DefinitionCatalog(path.resolve(__dirname, '../../definitions'));
    const invalid = catalog.list().filter((entry) => !entry.valid);
    expect(invalid).toEqual([]);
    expect(catalog.list().map((entry) => entry.name)).toContain('crm-backfill');
  });

  it('a text validated over the API reads sub-flows of the folder only', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'gongflow-catalog-'));
    mkdirSync(path.join(dir, 'flows'));
    writeFileSync(path.join(dir, 'flows', 'child.yaml'), CHILD);
    writeFileSync(path.join(os.tmpdir(), 'gongflow-outside.yaml'), CHILD);
    const catalog = new DefinitionCatalog(dir);
    expect(catalog.validateText(PARENT('./child.yaml'), 'flows/parent.yaml').ok).toBe(true);
    // A file name leading out of the folder is taken as a file at its root: ./child.yaml is not there.
    const escaped = catalog.validateText(PARENT('./child.yaml'), '../../tmp/parent.yaml');
    expect(escaped.ok ? [] : escaped.problems.map((problem) => problem.code)).toEqual(['DEF_RUN_NOT_FOUND']);
    for (const run of ['../gongflow-outside.yaml', '/etc/passwd']) {
      const file = 'parent.yaml';
      const result = catalog.validateText(PARENT(run), file);
      expect(result.ok).toBe(false);
      if (!result.ok) {
        expect(result.problems[0]).toMatchObject({ code: 'DEF_RUN_NOT_FOUND' });
        expect(result.problems[0]?.message).toContain('outside the definitions folder');
      }
    }
  });

  it('a symbolic link loop in the folder is reported as a problem, and the rest still lists', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'gongflow-catalog-'));
    mkdirSync(path.join(dir, 'flows'));
    writeFileSync(path.join(dir, 'flows', 'child.yaml'), CHILD);
    symlinkSync(dir, path.join(dir, 'flows', 'back-to-root'));
    symlinkSync(path.join(dir, 'self'), path.join(dir, 'self'));
    const listed = new DefinitionCatalog(dir).list();
    expect(listed.find((entry) => entry.name === 'child')).toMatchObject({ valid: true });
    const loops = listed.filter((entry) => entry.problems[0]?.code === 'DEF_FOLDER_LOOP');
    expect(loops.map((entry) => entry.file).sort()).toEqual([path.join('flows', 'back-to-root'), 'self']);
  });
});
