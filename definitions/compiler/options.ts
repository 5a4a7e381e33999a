import type { ProblemDetail } from '../../core/errors';
import type { Plan } from '../plan';

/**
 * `problems` are errors: any makes the definition invalid. `warnings` (severity `warning`) are reported but
 * do not stop it compiling, e.g. an action input the catalog does not know (sent to Gong as given).
 */
export type CompileResult =
  | { ok: true; plan: Plan; problems: []; warnings: ProblemDetail[] }
  | { ok: false; problems: ProblemDetail[]; warnings: ProblemDetail[] };

export interface CompileOptions {
  /** Scopes the target connection was granted: actions needing others are reported (DEF_MISSING_SCOPE). */
  connectionScopes?: readonly string[];
  /** The target connection's id, for messages. */
  connectionName?: string;
  /** Reads the definition a `run` step names (an absolute path). Default: the file system. */
  readFile?: (file: string) => string;
  /**
   * Where the definition is on disk, when `file` (the name problems show) is relative to something else
   * than the working directory, e.g. the API's definitions folder. `run:` paths resolve against it.
   */
  location?: string;
  /** Files compiling one another through `run` steps, outermost first (cycle detection). */
  ancestors?: readonly string[];
}
