import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import { loadConfig } from '../../config/load';
import { createGongflowClient } from '../../runs/client';
import { resolveTemporal } from '../../temporal/connection';
import { BUNDLE_FILE_VARIABLE, writeWorkflowBundle } from '../../workers/bundle';

const ROOT = path.resolve(__dirname, '../..');

export interface WorkerProcess {
  child: ChildProcess;
  stop(): Promise<void>;
}

let sharedBundle: Promise<string> | undefined;

/** One workflow bundle for every worker process of this test file (bundling is the slow part of a start). */
function sharedBundleFile(): Promise<string> {
  sharedBundle ??= (async () => {
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'gongflow-bundle-')), 'workflows.js');
    await writeWorkflowBundle(file);
    return file;
  })();
  return sharedBundle;
}

let sharedDataDir: string | undefined;

/**
 * The project data folder of this test file's worker processes and of `workerProcessClient`: one generated
 * encryption key for all of them, as for the processes of one project on one machine.
 */
function workerProcessDataDir(): string {
  sharedDataDir ??= mkdtempSync(path.join(os.tmpdir(), 'gongflow-processes-'));
  return sharedDataDir;
}

/**
 * A gongflow client (encrypting) that reads and writes payloads the way the worker processes do; on the
 * shared dev server, or on the one at `temporalAddress`.
 */
export async function workerProcessClient(
  temporalAddress = process.env['TEMPORAL_ADDRESS'],
): Promise<{ client: Client; close(): Promise<void> }> {
  const loaded = loadConfig({
    cwd: '/nonexistent-gongflow-test-cwd',
    env: { TEMPORAL_ADDRESS: temporalAddress },
  });
  const endpoint = await resolveTemporal(loaded);
  return createGongflowClient({ endpoint, config: loaded.config, dataDir: workerProcessDataDir() });
}

/**
 * Starts `test/support/worker-process.ts` in a new Node process and resolves once it polls. `env` wins over
 * the defaults (a benchmark passes a bundle of its own workflows in GONGFLOW_WORKFLOW_BUNDLE).
 */
export async function startWorkerProcess(env: Record<string, string>): Promise<WorkerProcess> {
  const bundleFile = await sharedBundleFile();
  const child = spawn(
    process.execPath,
    ['--require', 'tsx/cjs', path.join(ROOT, 'test/support/worker-process.ts')],
    {
      cwd: ROOT,
      env: {
        ...process.env,
        GONGFLOW_DATA_DIR: workerProcessDataDir(),
        [BUNDLE_FILE_VARIABLE]: bundleFile,
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let stopping = false;
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => {
      const message = `worker process exited with ${code}: ${stderr.slice(-2000)}`;
      reject(new Error(message));
      // After it was ready nobody awaits that promise: say it, or a test waits on runs no worker runs.
      if (!stopping) process.stderr.write(`${message}\n`);
    });
    child.stdout?.on('data', (chunk: Buffer) => {
      if (!chunk.toString().includes('ready')) return;
      resolve({
        child,
        async stop() {
          stopping = true;
          if (child.exitCode === null) child.kill('SIGTERM');
          await exited;
        },
      });
    });
  });
}

export interface EmulatorProcess {
  appUrl: string;
  defaultCompany: { id: string; apiBaseUrl: string; accessKey: string; accessKeySecret: string };
  stop(): Promise<void>;
}

/**
 * The Gong emulator in a process of its own (`gongflow emulator --json`), as Gong is a system of its own:
 * timing-sensitive tests (rate limits) then measure arrivals without the test process's pauses.
 */
export function startEmulatorProcess(): Promise<EmulatorProcess> {
  const child = spawn(
    process.execPath,
    [path.join(ROOT, 'bin/gongflow.cjs'), 'emulator', '--port', '0', '--json'],
    {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let stdout = '';
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`emulator process exited with ${code}`)));
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const end = stdout.indexOf('\n}\n');
      if (end === -1) return;
      const info = JSON.parse(stdout.slice(0, end + 2)) as Omit<EmulatorProcess, 'stop'>;
      resolve({
        appUrl: info.appUrl,
        defaultCompany: info.defaultCompany,
        async stop() {
          if (child.exitCode === null) child.kill('SIGINT');
          await exited;
        },
      });
    });
  });
}
