import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { bundleWorkflowCode, type WorkflowBundleWithSourceMap } from '@temporalio/worker';

export const WORKFLOWS_PATH = path.resolve(__dirname, '../workflows/index.ts');

let cached: Promise<WorkflowBundleWithSourceMap> | undefined;

/**
 * Bundles workflows/ for Temporal's sandbox once per process (webpack takes a few seconds). A process
 * started with GONGFLOW_WORKFLOW_BUNDLE (a file written by `writeWorkflowBundle`) reuses that bundle:
 * tests that start several worker processes bundle once instead of once per process.
 */
export function workflowBundle(): Promise<WorkflowBundleWithSourceMap> {
  const prebuilt = process.env[BUNDLE_FILE_VARIABLE];
  cached ??= prebuilt
    ? readFile(prebuilt, 'utf8').then((code) => ({ code, sourceMap: '' }))
    : bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, logger: quietLogger });
  return cached;
}

export const BUNDLE_FILE_VARIABLE = 'GONGFLOW_WORKFLOW_BUNDLE';

/** Writes this process's workflow bundle to `file` for other processes (see BUNDLE_FILE_VARIABLE). */
export async function writeWorkflowBundle(file: string): Promise<void> {
  const bundle = await workflowBundle();
  await writeFile(file, bundle.code);
}

const quietLogger = {
  log: () => undefined,
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: (message: string) => process.stderr.write(`[bundler] ${message}\n`),
  error: (message: string) => process.stderr.write(`[bundler] ${message}\n`),
};
