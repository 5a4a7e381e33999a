import { readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import { GongflowError, type ProblemDetail } from '../../core/errors';
import { parseSource } from '../../core/yaml-source';
import { compileDefinition } from '../../definitions/compile';
import { isDefinitionFile } from '../../definitions/files';
import type { Plan } from '../../definitions/plan';

export interface DefinitionEntry {
  name: string;
  version: string | undefined;
  /** Path relative to the definitions folder. */
  file: string;
  valid: boolean;
  description?: string;
  hash?: string;
  requiredScopes?: string[];
  problems: ProblemDetail[];
}

type Compiled = { entry: DefinitionEntry; plan: Plan | undefined };

const MAX_FILES = 2_000;

/**
 * The definitions the API can run: every YAML/JSON definition under one folder (searched recursively),
 * read fresh on each call so an edited file is picked up without a restart. Files that are not shaped like
 * a definition (no `name` and no `steps`, e.g. a JSON Schema) are ignored.
 */
export class DefinitionCatalog {
  constructor(readonly dir: string) {}

  /**
   * Validates a text sent over the API as if it were `file` in the definitions folder: its `run:` steps
   * read definitions of the folder, and a path leading out of it is refused (the text is the caller's,
   * the disk is the server's).
   */
  validateText(text: string, file: string) {
    const root = path.resolve(this.dir);
    const location = path.resolve(root, file);
    const inside = (candidate: string): boolean => {
      const relative = path.relative(root, candidate);
      return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
    };
    return compileDefinition(text, inside(location) ? path.relative(root, location) : path.basename(file), {
      location: inside(location) ? location : path.join(root, path.basename(file)),
      readFile: (candidate) => {
        if (!inside(candidate)) throw new Error('outside the definitions folder');
        return readFileSync(candidate, 'utf8');
      },
    });
  }

  list(): DefinitionEntry[] {
    return this.compileAll()
      .map(({ entry }) => entry)
      .sort((a, b) => a.name.localeCompare(b.name) || a.file.localeCompare(b.file));
  }

  /** The plan for `name` or `name@version`; the highest version when several files share a name. */
  get(ref: string): { entry: DefinitionEntry; plan: Plan } {
    const [name, version] = ref.split('@', 2);
    const candidates = this.compileAll().filter(
      ({ entry }) => entry.name === name && (version === undefined || entry.version === version),
    );
    const valid = candidates.filter((candidate) => candidate.plan !== undefined);
    if (valid.length === 0) {
      const invalid = candidates[0];
      if (invalid) {
        throw new GongflowError(
          'DEFINITION_INVALID',
          `Definition ${ref} (${invalid.entry.file}) has ${invalid.entry.problems.length} problem(s).`,
          {
            problems: invalid.entry.problems,
            hint: 'Fix the problems; validate with POST /v1/definitions/validate.',
          },
        );
      }
      const known = this.list()
        .filter((entry) => entry.valid)
        .map((entry) => `${entry.name}@${entry.version ?? '?'}`);
      throw new GongflowError('DEFINITION_NOT_FOUND', `No definition named "${ref}" in ${this.dir}.`, {
        hint: `Known definitions: ${known.join(', ') || '(none)'}. Definitions are YAML/JSON files in http.definitionsDir.`,
      });
    }
    valid.sort((a, b) => compareVersions(b.entry.version ?? '', a.entry.version ?? ''));
    const best = valid[0] as { entry: DefinitionEntry; plan: Plan };
    return best;
  }

  private compileAll(): Compiled[] {
    const { files, loops } = this.files();
    const looped = loops.map((dir): Compiled => {
      const relative = path.relative(this.dir, dir);
      return {
        plan: undefined,
        entry: {
          name: relative,
          version: undefined,
          file: relative,
          valid: false,
          problems: [
            {
              code: 'DEF_FOLDER_LOOP',
              message: `${relative} leads back to a folder already read (a symbolic link loop); it was skipped.`,
              file: relative,
              hint: 'Remove the link, or point it outside the definitions folder.',
            },
          ],
        },
      };
    });
    return [...looped, ...this.compileFiles(files)];
  }

  private compileFiles(files: string[]): Compiled[] {
    return files.flatMap((file): Compiled[] => {
      const relative = path.relative(this.dir, file);
      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch {
        return [];
      }
      const raw = parseSource(text, relative).value as Record<string, unknown> | undefined;
      const shaped =
        typeof raw === 'object' && raw !== null && !Array.isArray(raw) && ('steps' in raw || 'name' in raw);
      if (raw !== undefined && !shaped) return [];
      const result = compileDefinition(text, relative, { location: file });
      if (result.ok) {
        const { plan } = result;
        return [
          {
            plan,
            entry: {
              name: plan.name,
              version: plan.version,
              file: relative,
              valid: true,
              ...(plan.description ? { description: plan.description } : {}),
              hash: plan.hash,
              requiredScopes: plan.requiredScopes,
              problems: [],
            },
          },
        ];
      }
      const name =
        typeof raw?.['name'] === 'string' ? raw['name'] : path.basename(file).replace(/\.[^.]+$/, '');
      const version = typeof raw?.['version'] === 'string' ? raw['version'] : undefined;
      return [
        {
          plan: undefined,
          entry: { name, version, file: relative, valid: false, problems: result.problems },
        },
      ];
    });
  }

  /**
   * Definition files under the folder, following symbolic links but entering each real folder once: a
   * link back to a parent (a loop) is reported, not followed forever.
   */
  private files(): { files: string[]; loops: string[] } {
    const found: string[] = [];
    const loops: string[] = [];
    const entered = new Set<string>();
    const walk = (dir: string): void => {
      let real: string;
      let names: string[];
      try {
        real = realpathSync(dir);
        names = readdirSync(dir).sort();
      } catch {
        return;
      }
      if (entered.has(real)) {
        loops.push(dir);
        return;
      }
      entered.add(real);
      for (const name of names) {
        if (name.startsWith('.') || name === 'node_modules' || found.length >= MAX_FILES) continue;
        const full = path.join(dir, name);
        let stat;
        try {
          stat = statSync(full, { throwIfNoEntry: false });
        } catch {
          loops.push(full); // ELOOP: a link that points at itself
          continue;
        }
        if (stat?.isDirectory()) walk(full);
        else if (stat?.isFile() && isDefinitionFile(name)) found.push(full);
      }
    };
    walk(this.dir);
    return { files: found, loops };
  }
}

/** Compares dotted versions numerically where both parts are numbers (1.10 > 1.9), else as text. */
function compareVersions(a: string, b: string): number {
  const left = a.split('.');
  const right = b.split('.');
  for (let index = 0; index < Math.max(left.length, right.length); index += 1) {
    const x = left[index] ?? '';
    const y = right[index] ?? '';
    const diff = /^\d+$/.test(x) && /^\d+$/.test(y) ? Number(x) - Number(y) : x.localeCompare(y);
    if (diff !== 0) return diff;
  }
  return 0;
}

/** The definitions folder of a loaded configuration: http.definitionsDir, relative to the configuration file. */
export function definitionsDirOf(loaded: {
  config: { http: { definitionsDir: string } };
  file: string | undefined;
}): string {
  return path.resolve(
    loaded.file ? path.dirname(loaded.file) : process.cwd(),
    loaded.config.http.definitionsDir,
  );
}
