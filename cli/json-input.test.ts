import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type GongflowError } from '../core/errors';
import { readJsonInput } from './json-input';

const names = { option: '--input', fileOption: '--input-file' };

describe('readJsonInput', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gongflow-json-input-'));
  const file = path.join(dir, 'input.json');
  writeFileSync(file, '{ "callId": "7782342274025937895" }\n');

  it('reads inline JSON, @file, --input-file and standard input alike', () => {
    const expected = { callId: '7782342274025937895' };
    expect(readJsonInput('{"callId": "7782342274025937895"}', undefined, names)).toEqual(expected);
    expect(readJsonInput(`@${file}`, undefined, names)).toEqual(expected);
    expect(readJsonInput(undefined, file, names)).toEqual(expected);
    expect(readJsonInput('@-', undefined, names, () => '{"callId": "7782342274025937895"}')).toEqual(
      expected,
    );
    expect(readJsonInput(undefined, undefined, names)).toBeUndefined();
  });

  it('says which file is missing or broken, and refuses both options at once', () => {
    const error = (run: () => unknown): GongflowError => {
      try {
        run();
      } catch (caught) {
        return caught as GongflowError;
      }
      throw new Error('no error');
    };
    expect(error(() => readJsonInput('@nope.json', undefined, names))).toMatchObject({
      code: 'CLI_INPUT_FILE_UNREADABLE',
      message: 'Cannot read nope.json for --input: no such file.',
    });
    const broken = path.join(dir, 'broken.json');
    writeFileSync(broken, '{ callId: 1 }');
    expect(error(() => readJsonInput(undefined, broken, names))).toMatchObject({
      code: 'CLI_INVALID_JSON',
      message: expect.stringContaining(`--input (from ${broken}) is not valid JSON`) as unknown,
    });
    expect(error(() => readJsonInput('{}', file, names))).toMatchObject({ code: 'CLI_INVALID_OPTION' });
  });
});
