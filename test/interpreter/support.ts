/**
 * Helpers of the interpreter's tests: plans built directly (as the compiler would produce them), runs started
 * on a test engine (test/support/engine.ts), progress read through the run's query.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { WorkflowHandle, WorkflowHandleWithFirstExecutionRunId } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import type { Plan, StepPlan, TemplatePlan, JsonValue, ExpressionPlan } from '../../definitions/plan';
import { followRun, type RunOutcome } from '../../runs/follow';
import type { OrchestrationArgs } from '../../workflows/orchestration';
import type { TestEngine } from '../support/engine';

/** A plan around steps, as the compiler would produce it (tests build plans directly). */
export function testPlan(steps: StepPlan[], extra: Partial<Plan> = {}): Plan {
  return {
    formatVersion: 1,
    name: 'test',
    version: '1',
    hash: `test-${randomUUID()}`,
    input: {},
    triggers: [],
    steps,
    requiredScopes: [],
    ...extra,
  };
}

export const expr = (source: string): ExpressionPlan => ({ expr: source });
export const tx = (source: string): TemplatePlan => ({ t: 'expr', e: { expr: source } });
export const lit = (value: JsonValue): TemplatePlan => ({ t: 'lit', v: value });
export const set = (id: string, vars: Record<string, TemplatePlan>): StepPlan => ({ id, kind: 'set', vars });
export const sleepStep = (id: string, durationMs: number): StepPlan => ({ id, kind: 'sleep', durationMs });
export const fail = (id: string, errorType: string, message: string): StepPlan => ({
  id,
  kind: 'fail',
  errorType,
  message: lit(message),
});

export async function startPlan(
  engine: TestEngine,
  plan: Plan,
  args: Partial<OrchestrationArgs> = {},
): Promise<WorkflowHandleWithFirstExecutionRunId> {
  return engine.client.workflow.start('orchestration', {
    taskQueue: engine.taskQueue,
    workflowId: `interpreter-${plan.name}-${randomUUID()}`,
    args: [{ plan, connectionId: 'emulator', ...args }],
  });
}

/**
 * Runs a plan to its end. With GONGFLOW_RECORD_HISTORIES=1 the history is saved under test/histories/
 * as `<name>.json` for the replay suite.
 */
export async function runPlan(
  engine: TestEngine,
  plan: Plan,
  args: Partial<OrchestrationArgs> = {},
  record?: string,
): Promise<RunOutcome & { handle: WorkflowHandle }> {
  const handle = await startPlan(engine, plan, args);
  const outcome = await followRun(handle, { pollIntervalMs: 1_000 });
  if (record && process.env['GONGFLOW_RECORD_HISTORIES'] === '1') await saveHistory(handle, record);
  return { ...outcome, handle };
}

export async function saveHistory(handle: WorkflowHandle, name: string): Promise<void> {
  const history = await handle.fetchHistory();
  // The workflow id is kept with the events: replay must use the same id (child ids derive from it).
  const recorded = { workflowId: handle.workflowId, history: JSON.parse(historyToJSON(history)) as unknown };
  writeFileSync(path.resolve(__dirname, '../histories', `${name}.json`), `${JSON.stringify(recorded)}\n`);
}

export interface ProgressView {
  status: string;
  steps: Array<{
    id: string;
    path?: string;
    kind: string;
    status: string;
    errorType?: string;
    durationMs?: number;
    waiting?: { for: string; name: string; prompt?: unknown; approvers?: string[]; until: string };
  }>;
  current?: string[];
  outputs?: Record<string, { output: unknown }>;
  continuedAsNew?: number;
}

export function progressOf(handle: WorkflowHandle): Promise<ProgressView> {
  return handle.query<ProgressView>('gongflow.progress');
}

/** Asks the run's progress until `check` holds (a condition, not a sleep): the run's state decides. */
export async function waitForProgress(
  handle: WorkflowHandle,
  check: (progress: ProgressView) => boolean,
  timeoutMs = 20_000,
): Promise<ProgressView> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const progress = await progressOf(handle);
    if (check(progress)) return progress;
    if (Date.now() > deadline) throw new Error(`Progress never matched: ${JSON.stringify(progress)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export function signal(handle: WorkflowHandle, name: string, payload?: unknown): Promise<void> {
  return handle.signal('gongflow.signal', { name, payload });
}

export const waitSignal = (
  id: string,
  name: string,
  extra: {
    timeoutMs?: number;
    onTimeout?: 'fail' | 'continue';
    approval?: boolean;
    payloadSchema?: JsonValue;
  } = {},
): StepPlan => ({
  id,
  kind: 'waitForSignal',
  signal: name,
  approval: extra.approval ?? false,
  timeoutMs: extra.timeoutMs ?? 600_000,
  onTimeout: extra.onTimeout ?? 'fail',
  ...(extra.payloadSchema !== undefined ? { payloadSchema: extra.payloadSchema } : {}),
});

/**
 * A gongflow worker in its own process (test/interpreter/worker-process.ts) polling `taskQueue`, with the
 * test engine's data folder (its encryption key) and `env` added to this process's environment; resolves
 * once it polls. Tests kill it (SIGKILL mid-run) or stop it (SIGTERM).
 */
export function startWorkerProcess(
  taskQueue: string,
  dataDir: string,
  env: Record<string, string> = {},
): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    ['-r', 'tsx/cjs', path.join(__dirname, 'worker-process.ts'), taskQueue, dataDir],
    {
      cwd: path.resolve(__dirname, '../..'),
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  return new Promise((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('ready')) resolve(child);
    });
    child.on('exit', (code) => reject(new Error(`worker process exited with ${String(code)}`)));
  });
}
