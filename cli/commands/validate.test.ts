import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { isDefinitionFile } from '../../definitions/files';
import { main } from '../main';
import type { CliOutput } from '../output';

const EXAMPLES = path.join(__dirname, '..', '..', 'definitions', 'examples');

async function run(args: string[]): Promise<{ code: number; out: string[]; err: string[]; json: unknown[] }> {
  const captured = { out: [] as string[], err: [] as string[], json: [] as unknown[] };
  const output: CliOutput = {
    info: (message) => captured.out.push(message),
    error: (message) => captured.err.push(message),
    json: (value) => captured.json.push(value),
  };
  try {
    const code = await main(['node', 'gongflow', 'validate', ...args], output);
    return { code, ...captured };
  } finally {
    process.exitCode = undefined;
  }
}

describe('gongflow validate', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'gongflow-validate-'));
  const broken = path.join(dir, 'broken.json');
  writeFileSync(broken, '{\n  "name": "broken",\n  "version": 1,\n  "steps": [,]\n}\n');
  const wrongStep = path.join(dir, 'wrong-step.yaml');
  writeFileSync(
    wrongStep,
    'name: wrong\nversion: 1\nsteps:\n  - id: listUsers\n    action: gong.users.list\noutput: ${{ steps.listUser.output }}\n',
  );

  it('exits 0 when every example is valid', async () => {
    const files = readdirSync(EXAMPLES)
      .filter(isDefinitionFile)
      .map((name) => path.join(EXAMPLES, name));
    const result = await run(files);
    expect(result.err).toEqual([]);
    expect(result.code).toBe(0);
    expect(result.out.at(-1)).toBe(`${files.length} definition(s) valid.`);
  });

  it('exits 1 on a syntax error; --json carries its line and column', async () => {
    const result = await run([broken, '--json']);
    expect(result.code).toBe(1);
    expect(result.json).toEqual([
      [
        {
          severity: 'error',
          code: 'DEF_SYNTAX',
          message: expect.any(String) as string,
          file: broken,
          line: 4,
          column: 13,
          path: null,
          hint: expect.any(String) as string,
        },
      ],
    ]);
  });

  it('prints each problem with the offending line and a caret under the column', async () => {
    const result = await run([wrongStep, EXAMPLES]);
    expect(result.code).toBe(1);
    expect(result.err).toEqual([
      [
        `${wrongStep}:6:13: DEF_UNKNOWN_STEP_REFERENCE: no step "listUser"`,
        '  6 | output: ${{ steps.listUser.output }}',
        // The caret sits under column 13, where `steps.listUser` starts.
        `${' '.repeat('  6 | '.length + 12)}^`,
        '  at output',
        '  fix: Did you mean steps.listUsers?',
      ].join('\n'),
    ]);
    expect(result.out.at(-1)).toMatch(/^1 of \d+ definition\(s\) invalid, 1 problem\(s\)\.$/);
  });

  it('prints warnings and still exits 0: an input the catalog does not know is sent to Gong', async () => {
    const typo = path.join(dir, 'typo.yaml');
    writeFileSync(
      typo,
      "name: typo\nversion: 1\nsteps:\n  - id: calls\n    action: gong.calls.list\n    with: { fromDateTim: '2024-05-01T00:00:00Z' }\n",
    );
    const human = await run([typo]);
    expect(human.code).toBe(0);
    expect(human.err).toEqual([
      [
        `${typo}:6:13: warning DEF_UNKNOWN_ACTION_INPUT: gong.calls.list has no input "fromDateTim" in the catalog: sent to Gong as given`,
        "  6 |     with: { fromDateTim: '2024-05-01T00:00:00Z' }",
        `${' '.repeat('  6 | '.length + 12)}^`,
        '  at steps[0].with.fromDateTim',
        '  fix: Did you mean "fromDateTime"? If not, it is sent to Gong as given (Gong ignores fields it does not know).',
      ].join('\n'),
    ]);
    expect(human.out.at(-1)).toBe('1 definition(s) valid, 1 warning(s).');
    const json = await run([typo, '--json']);
    expect(json.code).toBe(0);
    expect(json.json).toEqual([
      [
        expect.objectContaining({
          severity: 'warning',
          code: 'DEF_UNKNOWN_ACTION_INPUT',
          line: 6,
          column: 13,
        }),
      ],
    ]);
  });

  it('checks scopes of the target connection with --scopes', async () => {
    const result = await run([
      path.join(EXAMPLES, 'list-users.yaml'),
      '--scopes',
      'api:calls:read:basic',
      '--json',
    ]);
    expect(result.code).toBe(1);
    expect(result.json).toEqual([
      [expect.objectContaining({ code: 'DEF_MISSING_SCOPE', line: 15, column: 13 })],
    ]);
  });

  it('refuses a misspelt scope in --scopes with the one it meant, instead of reporting every action', async () => {
    const result = await run([path.join(EXAMPLES, 'list-users.yaml'), '--scopes', 'api:users:raed']);
    expect(result.code).toBe(1);
    expect(result.err.join('\n')).toContain('CLI_UNKNOWN_SCOPE');
    expect(result.err.join('\n')).toContain('api:users:raed');
    expect(result.err.join('\n')).toContain('Did you mean api:users:read?');
    expect(result.err.join('\n')).not.toContain('DEF_MISSING_SCOPE');
  });

  it('reports a file it cannot read', async () => {
    const result = await run([path.join(dir, 'nope.yaml'), '--json']);
    expect(result.code).toBe(1);
    expect(result.json).toEqual([[expect.objectContaining({ code: 'DEF_FILE_NOT_FOUND', line: null })]]);
  });
});
