/**
 * The one shape of every error a user can see: a stable code, what went wrong, where, and how to fix it.
 * Never carries secrets or stack traces into what is printed.
 */
export interface SourceLocation {
  file?: string;
  line?: number;
  column?: number;
}

export interface ProblemDetail extends SourceLocation {
  code: string;
  message: string;
  /** Dotted path inside the document, e.g. `steps[0].with.limit` or `temporal.address`. */
  path?: string;
  hint?: string;
  /** `warning`: reported, but the definition is valid and runs. Absent: an error. */
  severity?: 'warning';
}

export class GongflowError extends Error {
  readonly code: string;
  readonly hint: string | undefined;
  readonly problems: ProblemDetail[];

  constructor(
    code: string,
    message: string,
    options: { hint?: string; problems?: ProblemDetail[]; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'GongflowError';
    this.code = code;
    this.hint = options.hint;
    this.problems = options.problems ?? [];
  }
}

export function formatProblem(problem: ProblemDetail): string {
  const where = [problem.file, problem.line, problem.column].filter((part) => part !== undefined).join(':');
  const head = `${where ? `${where}: ` : ''}${problem.severity === 'warning' ? 'warning ' : ''}${problem.code}: ${problem.message}`;
  const path = problem.path ? `\n    at ${problem.path}` : '';
  const hint = problem.hint ? `\n    fix: ${problem.hint}` : '';
  return head + path + hint;
}

export function formatError(error: GongflowError): string {
  const lines = [`error ${error.code}: ${error.message}`];
  for (const problem of error.problems) lines.push(`  ${formatProblem(problem).replace(/\n/g, '\n  ')}`);
  if (error.hint) lines.push(`  fix: ${error.hint}`);
  return lines.join('\n');
}

/** Why a file could not be read, for an error message: the system code (ENOENT, EACCES, ...) when there is one. */
export function readFailureReason(error: unknown): string {
  return (error as NodeJS.ErrnoException).code ?? (error as Error).message;
}
