/**
 * deploy/ as far as it can be checked without a Docker daemon: hadolint passes the Dockerfile; the compose
 * file matches the Compose Specification; the project it mounts is a valid gongflow project; and the API
 * container's command (the image's ENTRYPOINT + CMD) serves /healthz, which the image's HEALTHCHECK
 * command then finds healthy, run here against the test Temporal server.
 */
import { execFile, spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'yaml';
import { loadConfig } from '../config/load';
import { loadPlan } from '../definitions/load';
import { GONGFLOW_BIN } from './support/cli';
import { CHECK_JSONSCHEMA, HADOLINT, installDeployLinters } from './support/deploy-lint';
import { freePort } from './support/ports';
import { waitFor } from './support/wait';

jest.setTimeout(240_000);

const run = promisify(execFile);
const DEPLOY = path.resolve(__dirname, '..', 'deploy');
const dockerfile = readFileSync(path.join(DEPLOY, 'Dockerfile'), 'utf8');

beforeAll(async () => {
  await installDeployLinters();
});

/** A JSON-array instruction of the Dockerfile (`CMD ["a", "b"]`), as an argument list. */
function instruction(name: string): string[] {
  const line = dockerfile.split('\n').find((candidate) => candidate.startsWith(`${name} [`));
  if (!line) throw new Error(`deploy/Dockerfile has no ${name} [...]`);
  return JSON.parse(line.slice(name.length + 1)) as string[];
}

it('the Dockerfile passes hadolint', async () => {
  await expect(run(HADOLINT, [path.join(DEPLOY, 'Dockerfile')])).resolves.toBeDefined();
});

it('the compose file matches the Compose Specification', async () => {
  const { stdout } = await run(CHECK_JSONSCHEMA, [
    '--builtin-schema',
    'vendor.compose-spec',
    path.join(DEPLOY, 'compose.yaml'),
  ]);
  expect(stdout).toContain('ok');
  const compose = parse(readFileSync(path.join(DEPLOY, 'compose.yaml'), 'utf8')) as {
    services: Record<string, { command?: string[] }>;
  };
  // What issue 15 asks the fleet to have: Temporal on PostgreSQL, its UI, S3, one API server, two workers.
  expect(Object.keys(compose.services)).toEqual(
    expect.arrayContaining(['postgresql', 'temporal', 'temporal-ui', 'minio', 'api', 'worker-1', 'worker-2']),
  );
  expect(compose.services['worker-1']?.command).toEqual(['worker']);
  expect(compose.services['worker-2']?.command).toEqual(['worker']);
});

it('the mounted project is valid: its temporal.yaml and definitions', () => {
  const loaded = loadConfig({
    cwd: path.join(DEPLOY, 'project'),
    env: { TEMPORAL_ADDRESS: 'temporal:7233' },
  });
  expect(loaded.config.blobs.s3).toMatchObject({ bucket: 'gongflow-blobs', endpoint: 'http://minio:9000' });
  expect(loaded.config.worker.metricsPort).toBe(9464);
  expect(loaded.config.worker.sdkMetricsAddress).toBe('0.0.0.0:9465');
  expect(loadPlan(path.join(DEPLOY, 'project', 'definitions', 'list-users.yaml')).name).toBe('list-users');
});

it("the API container's command serves /healthz, and the image's health check finds it healthy", async () => {
  const entrypoint = instruction('ENTRYPOINT');
  const command = instruction('CMD');
  expect(entrypoint).toEqual(['node', '/app/bin/gongflow.cjs']);
  // The image's /project (its S3 store is for workers: an API server without a worker never touches it).
  const project = mkdtempSync(path.join(os.tmpdir(), 'gongflow-deploy-'));
  cpSync(path.join(DEPLOY, 'project'), project, { recursive: true });
  const port = await freePort();
  const env = {
    ...process.env,
    GONGFLOW_DATA_DIR: mkdtempSync(path.join(os.tmpdir(), 'gongflow-deploy-data-')),
    GONGFLOW_HTTP_PORT: String(port),
    GONGFLOW_CONFIG: '',
  };
  // /app/bin/gongflow.cjs in the image is this repository's bin/gongflow.cjs.
  const child = spawn(process.execPath, [GONGFLOW_BIN, ...command], { cwd: project, env, stdio: 'pipe' });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    const failed = exited.then(() => {
      throw new Error(`gongflow ${command.join(' ')} exited:\n${output}`);
    });
    failed.catch(() => undefined); // it also exits when stopped below: that is no failure
    await Promise.race([
      failed,
      waitFor(
        async () => (await fetch(`http://127.0.0.1:${port}/healthz`).catch(() => undefined))?.ok,
        'the API server to answer /healthz',
        180_000,
      ),
    ]);
    const healthcheck = /HEALTHCHECK[^\n]*\\\n\s*CMD (\[.*\])/.exec(dockerfile)?.[1];
    const [node, ...args] = JSON.parse(healthcheck!) as string[];
    expect(node).toBe('node');
    await expect(run(process.execPath, args, { env })).resolves.toBeDefined();
  } finally {
    if (child.exitCode === null) child.kill('SIGINT');
    await exited;
  }
});
