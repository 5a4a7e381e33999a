import { readFileSync } from 'node:fs';
import path from 'node:path';
import { GongflowError } from '../core/errors';
import { parseJsonOption } from './commands/run-output';

/**
 * A JSON option given inline (`--input '{"a": 1}'`), from a file (`--input @input.json` or
 * `--input-file input.json`), or from standard input (`@-`, `--input-file -`). Paths are relative to
 * the working directory. Undefined when neither is given.
 */
export function readJsonInput(
  inline: string | undefined,
  file: string | undefined,
  names: { option: string; fileOption: string },
  readStdin: () => string = () => readFileSync(0, 'utf8'),
): unknown {
  if (inline !== undefined && file !== undefined) {
    throw new GongflowError('CLI_INVALID_OPTION', `Give ${names.option} or ${names.fileOption}, not both.`, {
      hint: `${names.option} @file.json reads a file too.`,
    });
  }
  const from = file ?? (inline?.startsWith('@') ? inline.slice(1) : undefined);
  if (from === undefined) return inline === undefined ? undefined : parseJsonOption(inline, names.option);
  const where = from === '-' ? 'standard input' : from;
  return parseJsonOption(readText(from, names, readStdin), `${names.option} (from ${where})`);
}

function readText(from: string, names: { option: string }, readStdin: () => string): string {
  if (from === '-') return readStdin();
  if (from === '') {
    throw new GongflowError('CLI_INVALID_OPTION', `${names.option} @ needs a file name after the @.`, {
      hint: `${names.option} @input.json reads input.json; ${names.option} @- reads standard input.`,
    });
  }
  try {
    return readFileSync(path.resolve(from), 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new GongflowError(
      'CLI_INPUT_FILE_UNREADABLE',
      `Cannot read ${from} for ${names.option}: ${code === 'ENOENT' ? 'no such file' : (error as Error).message}.`,
      { hint: 'Paths are relative to the current folder; the file holds one JSON value.' },
    );
  }
}
