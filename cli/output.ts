/** Where the CLI writes: kept in one place so commands stay testable and `--json` stays clean. */
export interface CliOutput {
  /** Human progress and results (stdout). */
  info(message: string): void;
  /** Warnings and errors (stderr). */
  error(message: string): void;
  /** Machine-readable output for `--json` (stdout, one JSON document). */
  json(value: unknown): void;
}

export const consoleOutput: CliOutput = {
  info: (message) => process.stdout.write(`${message}\n`),
  error: (message) => process.stderr.write(`${message}\n`),
  json: (value) => process.stdout.write(`${JSON.stringify(value, null, 2)}\n`),
};
