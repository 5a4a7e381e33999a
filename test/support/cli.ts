import { spawn } from 'node:child_process';
import path from 'node:path';

/** The CLI as users run it (`npx gongflow` resolves to this file). */
export const GONGFLOW_BIN = path.resolve(__dirname, '../../bin/gongflow.cjs');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs `gongflow <args>` in a fresh process, as a user would, against the tests' Temporal server
 * (TEMPORAL_ADDRESS); `env` adds to (or blanks) the inherited environment; `input` is piped to its stdin.
 */
export function runGongflow(
  args: string[],
  options: { cwd: string; env?: Record<string, string | undefined>; input?: string },
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [GONGFLOW_BIN, ...args], {
      cwd: options.cwd,
      env: { ...process.env, TEMPORAL_ADDRESS: process.env['TEMPORAL_ADDRESS'], ...options.env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
    // What a user pipes in (`printf %s "$TOKEN" | gongflow ...`); otherwise stdin is closed at once.
    child.stdin.end(options.input ?? '');
  });
}
