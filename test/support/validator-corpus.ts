import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * The validator corpus (test/validator-corpus/README.md): definitions and fixtures files, each with one
 * mistake an author makes, and the one problem it must give, at its line and column, with nothing else.
 */
export const CORPUS = path.join(__dirname, '..', 'validator-corpus');

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
