import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { bundleWorkflowCode, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { FAILURE_CONVERTER_PATH } from './payload-codec';

/** `.ts` from the sources; `.js` in the compiled build (dist/), which also ships a prebuilt bundle. */
const EXTENSION = path.extname(__filename);

export const WORKFLOWS_PATH = path.resolve(__dirname, `../workflows/index${EXTENSION}`);

/** Workflow interceptors bundled with every entry point: OpenTelemetry's, and the definition in log lines. */
const INTERCEPTOR_MODULES = ['tracing-interceptors', 'log-context-interceptors'].map((name) =>
  path.resolve(__dirname, `../workflows/${name}${EXTENSION}`),
);

/** Loaded once per workflow thread instead of once per run: see workflows/shared-modules.ts. */
const SHARED_MODULES = [path.resolve(__dirname, `../workflows/shared-modules${EXTENSION}`)];

/** The bundle `npm run build` writes next to the compiled workflows (see scripts/build.ts). */
export const BUILT_BUNDLE_FILE = path.resolve(__dirname, '../workflows/bundle.js');

const cached = new Map<string, Promise<WorkflowBundleWithSourceMap>>();

/**
 * Bundles workflows/ for Temporal's sandbox once per process (webpack takes a few seconds). A process
 * started with GONGFLOW_WORKFLOW_BUNDLE (a file written by `writeWorkflowBundle`) reuses that bundle:
 * tests that start several worker processes bundle once instead of once per process. The compiled build
 * uses the bundle it ships. `workflowsPath`: another entry point (benchmarks bundle gongflow's workflows
 * together with a baseline workflow).
 */
export function workflowBundle(workflowsPath = WORKFLOWS_PATH): Promise<WorkflowBundleWithSourceMap> {
  const prebuilt = workflowsPath === WORKFLOWS_PATH ? prebuiltBundleFile() : undefined;
  let bundle = cached.get(workflowsPath);
  if (!bundle) {
    bundle = prebuilt
      ? readFile(prebuilt, 'utf8').then((code) => ({ code, sourceMap: '' }))
      : // The failure converter runs inside the sandbox too: workflow failures are encoded there.
        bundleWorkflowCode({
          workflowsPath,
          failureConverterPath: FAILURE_CONVERTER_PATH,
          workflowInterceptorModules: INTERCEPTOR_MODULES,
          preloadModules: SHARED_MODULES,
          logger: quietLogger,
        });
    cached.set(workflowsPath, bundle);
  }
  return bundle;
}

export const BUNDLE_FILE_VARIABLE = 'GONGFLOW_WORKFLOW_BUNDLE';

function prebuiltBundleFile(): string | undefined {
  const fromEnvironment = process.env[BUNDLE_FILE_VARIABLE];
  if (fromEnvironment) return fromEnvironment;
  return EXTENSION === '.js' && existsSync(BUILT_BUNDLE_FILE) ? BUILT_BUNDLE_FILE : undefined;
}

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
