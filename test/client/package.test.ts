/**
 * The client package as another project gets it: `npm pack` builds the tarball (compiled JS + .d.ts),
 * `npm install <tarball>` puts it into a fresh project with the strictest TypeScript settings, whose `tsc`
 * type-checks a program using it (and refuses one that ignores the tagged result), and the compiled
 * program runs against a live gongflow API (ESM; a CommonJS `require` works too).
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { startTestEngine, type TestEngine } from '../support/engine';
import { startTestApi, type TestApi } from '../api/support';

jest.setTimeout(240_000);

const run = promisify(execFile);
const CLIENT_DIR = path.resolve(__dirname, '../../client');
const TSC = require.resolve('typescript/bin/tsc');

const TSCONFIG = {
  compilerOptions: {
    target: 'ES2022',
    lib: ['ES2022'],
    types: [],
    module: 'nodenext',
    moduleResolution: 'nodenext',
    strict: true,
    exactOptionalPropertyTypes: true,
    verbatimModuleSyntax: true,
    noUncheckedIndexedAccess: true,
    skipLibCheck: false,
    outDir: 'dist',
  },
  files: ['src/main.ts'],
};

/** Uses the client as the README shows; what it prints, the test checks. */
const MAIN = `
import { GongflowApiError, GongflowClient, type FinishedRunResult, type StartRunRequest } from '@gongflow/client';

declare const process: { env: Record<string, string | undefined> };
declare const console: { log(text: string): void };

const client = new GongflowClient({
  baseUrl: process.env['GONGFLOW_URL'] ?? '',
  apiKey: process.env['GONGFLOW_API_KEY'] ?? '',
  timeoutMs: undefined,
});
const request: StartRunRequest = { definition: 'list-users', connection: 'emulator', input: undefined };
const { run } = await client.startRun(request);
const result: FinishedRunResult = await client.waitForResult(run.id, { timeoutMs: 60_000 });
const outcome =
  result.status === 'completed'
    ? { status: result.status, total: (result.output as { total: number }).total }
    : { status: result.status, failure: result.failure.type ?? result.failure.message };
let missing = '';
try {
  await client.getRun('no-such-run');
} catch (error) {
  if (GongflowApiError.is(error, 'RUN_NOT_FOUND')) missing = \`\${error.status} \${error.code}\`;
}
const steps = await client.stepLog(run.id);
console.log(JSON.stringify({ outcome, missing, steps: steps.steps.map((step) => step.status) }));
`;

/** Reads \`failure\` without narrowing on status: the tagged union must refuse it. */
const UNNARROWED = `
import type { RunResult } from '@gongflow/client';
export const message = (result: RunResult): string => result.failure.message;
`;

describe('the client package (@gongflow/client)', () => {
  let engine: TestEngine;
  let api: TestApi;
  let project: string;

  beforeAll(async () => {
    engine = await startTestEngine();
    api = await startTestApi(engine);
    const packs = mkdtempSync(path.join(os.tmpdir(), 'gongflow-client-pack-'));
    const packed = await run('npm', ['pack', '--json', '--pack-destination', packs], { cwd: CLIENT_DIR });
    const filename = (JSON.parse(packed.stdout) as Array<{ filename: string }>)[0]?.filename ?? '';
    project = mkdtempSync(path.join(os.tmpdir(), 'gongflow-client-project-'));
    mkdirSync(path.join(project, 'src'));
    writeFileSync(
      path.join(project, 'package.json'),
      JSON.stringify({ name: 'consumer', private: true, type: 'module' }),
    );
    writeFileSync(path.join(project, 'tsconfig.json'), JSON.stringify(TSCONFIG, null, 2));
    writeFileSync(path.join(project, 'src/main.ts'), MAIN);
    await run(
      'npm',
      ['install', '--offline', '--no-audit', '--no-fund', '--ignore-scripts', path.join(packs, filename)],
      { cwd: project },
    );
  });
  afterAll(async () => {
    await api?.app.close();
    await engine?.close();
  });

  it('ships compiled JavaScript and declarations only, with no dependencies', async () => {
    const { stdout } = await run('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
      cwd: CLIENT_DIR,
    });
    const [pack] = JSON.parse(stdout) as Array<{ files: Array<{ path: string }> }>;
    const files = pack!.files.map((file) => file.path).sort();
    expect(files).toEqual(
      expect.arrayContaining(['dist/esm/index.js', 'dist/esm/index.d.ts', 'dist/cjs/index.js']),
    );
    expect(
      files.filter((file) => !/^(dist\/(esm|cjs)\/[\w.]+|package\.json|README\.md)$/.test(file)),
    ).toEqual([]);
    const manifest = (await import(path.join(project, 'node_modules/@gongflow/client/package.json'))) as {
      dependencies?: unknown;
    };
    expect(manifest.dependencies).toBeUndefined();
  });

  it('type-checks in a strict project (exactOptionalPropertyTypes, verbatimModuleSyntax) and runs', async () => {
    await run(process.execPath, [TSC, '-p', project]);
    const { stdout } = await run(process.execPath, [path.join(project, 'dist/main.js')], {
      env: { ...process.env, GONGFLOW_URL: api.baseUrl, GONGFLOW_API_KEY: api.apiKey },
    });
    const printed = JSON.parse(stdout) as { outcome: { status: string; total?: number }; missing: string };
    expect(printed).toEqual({
      outcome: { status: 'completed', total: expect.any(Number) as unknown },
      missing: '404 RUN_NOT_FOUND',
      steps: ['completed'],
    });
    expect(printed.outcome.total).toBeGreaterThan(100);
  });

  it('refuses to read a failure before the status says there is one', async () => {
    writeFileSync(path.join(project, 'src/unnarrowed.ts'), UNNARROWED);
    writeFileSync(
      path.join(project, 'tsconfig.unnarrowed.json'),
      JSON.stringify({
        extends: './tsconfig.json',
        compilerOptions: { noEmit: true },
        files: ['src/unnarrowed.ts'],
      }),
    );
    const refused = await run(process.execPath, [
      TSC,
      '-p',
      path.join(project, 'tsconfig.unnarrowed.json'),
    ]).then(
      () => ({ stdout: 'compiled without error' }),
      (error: { stdout: string }) => error,
    );
    expect(refused.stdout).toContain("Property 'failure' does not exist on type 'RunResult'");
  });

  it('CommonJS projects require it too', async () => {
    const { stdout } = await run(
      process.execPath,
      [
        '-e',
        "const c = require('@gongflow/client'); console.log(typeof c.GongflowClient, typeof c.GongflowApiError.is)",
      ],
      { cwd: project },
    );
    expect(stdout.trim()).toBe('function function');
  });
});
