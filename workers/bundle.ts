import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { bundleWorkflowCode, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { FAILURE_CONVERTER_PATH } from './payload-codec';

export const WORKFLOWS_PATH = path.resolve(__dirname, '../workflows/index.ts');

const cached = new Map<string, Promise<WorkflowBundleWithSourceMap>>();

/**
 * Bundles workflows/ for Temporal's sandbox once per process (webpack takes a few seconds). A process
 * started with GONGFLOW_WORKFLOW_BUNDLE (a file written by `writeWorkflowBundle`) reuses that bundle:
 * tests that start several worker processes bundle once instead of once per process. `workflowsPath`: another
 * entry point (benchmarks bundle gongflow's workflows together with a baseline workflow).
 */
export function workflowBundle(workflowsPath = WORKFLOWS_PATH): Promise<WorkflowBundleWithSourceMap> {
  const prebuilt = workflowsPath === WORKFLOWS_PATH ? process.env[BUNDLE_FILE_VARIABLE] : undefined;
  let bundle = cached.get(workflowsPath);
  if (!bundle) {
    bundle = prebuilt
      ? readFile(prebuilt, 'utf8').then((code) => ({ code, sourceMap: '' }))
      : // The failure converter runs inside the sandbox too: workflow failures are encoded there.
        bundleWorkflowCode({
          workflowsPath,
          failureConverterPath: FAILURE_CONVERTER_PATH,
          logger: quietLogger,
        });
    cached.set(workflowsPath, bundle);
  }
  return bundle;
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
