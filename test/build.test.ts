import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildProgram, gongflowVersion } from '../cli/main';
import type { CliResult } from './support/cli';

const ROOT = path.resolve(__dirname, '..');

/**
 * `npm run build` as production uses it: the compiled CLI answers like the sources and runs a definition
 * end to end (worker with the shipped workflow bundle, emulator, Gong calls) from JavaScript alone. The
 * build goes to a folder inside the project (git-ignored .gongflow/), so it resolves node_modules as dist/ does.
 */
describe('the compiled build', () => {
  const builds = path.join(ROOT, '.gongflow', 'test-builds');
  mkdirSync(builds, { recursive: true });
  const out = mkdtempSync(path.join(builds, 'dist-'));

  beforeAll(async () => {
    const build = await runNode(
      ['--require', 'tsx/cjs', path.join(ROOT, 'scripts/build.ts'), '--out', out],
      ROOT,
    );
    expect(build.stderr).toBe('');
    expect(build.code).toBe(0);
  }, 600_000);
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  /** `gongflow <args>` from the build, the way bin/gongflow.cjs runs it when dist/ exists. */
  function compiled(
    args: string[],
    options: { cwd: string; env?: Record<string, string> },
  ): Promise<CliResult> {
    const launch =
      "require(process.argv[1]).main(['node', 'gongflow', ...process.argv.slice(2)]).then((code) => (process.exitCode = code))";
    return runNode(['-e', launch, path.join(out, 'cli', 'main.js'), ...args], options.cwd, options.env);
  }

  it('lists the same commands as the sources, without loading them', async () => {
    const help = await compiled(['--help'], { cwd: os.tmpdir() });
    expect(help.code).toBe(0);
    expect(help.stdout).toBe(buildProgram().helpInformation());
    const version = await compiled(['--version'], { cwd: os.tmpdir() });
    expect(version.stdout.trim()).toBe(gongflowVersion());
  });

  it('validates definitions with file:line:col errors', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'gongflow-build-validate-'));
    const broken = path.join(dir, 'broken.yaml');
    writeFileSync(broken, 'name: broken\nversion: 1\nsteps:\n  - id: a\n    action: gong.users.lis\n');
    const good = await compiled(['validate', path.join(ROOT, 'definitions/examples')], { cwd: dir });
    expect(good.stderr).toBe('');
    expect(good.code).toBe(0);
    const bad = await compiled(['validate', broken], { cwd: dir });
    expect(bad.code).toBe(1);
    expect(bad.stdout + bad.stderr).toContain(`${broken}:5:13`);
  });

  it('runs a definition end to end: `gongflow dev` on the emulator', async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'gongflow-build-dev-'));
    const run = await compiled(['dev'], {
      cwd: dataDir,
      env: { GONGFLOW_DATA_DIR: dataDir, GONGFLOW_TASK_QUEUE: `build-${path.basename(dataDir)}` },
    });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('✓ listUsers (List all Gong users) completed');
    expect(run.stdout).toContain('"listed": 150');
  }, 180_000);
});

function runNode(args: string[], cwd: string, env: Record<string, string> = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd, env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}
