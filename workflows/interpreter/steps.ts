import { isCancellation } from '@temporalio/workflow';
import type { StepPlan } from '../../definitions/plan';
import { MAX_PROGRESS_STEPS, type StepProgress } from '../progress';
import { runAction, runHttp } from './action';
import { runIf, runSwitch } from './branch';
import { evaluateExpressionIn } from './evaluate';
import type { Executor } from './executor';
import { describeFailure, invalidPlan, RunSucceeded } from './failures';
import { runForEach } from './for-each';
import type { Frame } from './frame';
import { runParallel } from './parallel';
import type { RecordedStep } from './record';
import { restoreOutput } from './reuse';
import { runSet } from './set';
import { runWaitForSignal } from './signals';
import { runSubOrchestration } from './sub-orchestration';
import { runFail, runSucceed } from './terminal';
import { withTimeout } from './timeout';
import { runSleep, runWaitUntil } from './timers';
import { runTry } from './try-catch';

export const executor: Executor = { steps: runSteps };

/** Runs steps in order; resolves to the last executed step's output (null when there is none). */
export async function runSteps(steps: StepPlan[], frame: Frame): Promise<unknown> {
  let last: unknown = null;
  for (const step of steps) last = await runStep(step, frame);
  return last;
}

/**
 * One step: `when` (skipped steps output null), the whole-step timeout, the construct itself, and its
 * progress entry. The output is recorded as `steps.<id>.output` in the frame.
 */
export async function runStep(step: StepPlan, frame: Frame): Promise<unknown> {
  const entry = startEntry(step, frame);
  const path = `${frame.path}${step.id}`;
  const { record } = frame.run;
  const started = Date.now();
  try {
    const reused = frame.run.reuse?.step(path);
    if (reused) return reuseStep(step, frame, reused, entry);
    if (step.when) {
      const proceed = await evaluateExpressionIn(frame, step.when, `${step.id}.when`);
      if (proceed !== true) {
        frame.steps[step.id] = { output: null };
        entry.status = 'skipped';
        record.ended(path, step.kind, { status: 'skipped', output: null });
        return null;
      }
    }
    // Steps nested in this one record it as their parent (query state only: no effect on history).
    const inner: Frame = CONTAINER_KINDS.has(step.kind)
      ? { ...frame, parent: entry.path ?? entry.id, depth: (frame.depth ?? 0) + 1 }
      : frame;
    const output =
      step.timeoutMs !== undefined && !runsAsActivity(step)
        ? await withTimeout(step.timeoutMs, `Step ${step.id}`, () => dispatch(step, inner))
        : await dispatch(step, inner);
    frame.steps[step.id] = { output };
    entry.status = 'completed';
    record.ended(path, step.kind, { status: 'completed', output });
    return output;
  } catch (error) {
    if (error instanceof RunSucceeded) {
      entry.status = 'completed';
    } else {
      entry.status = 'failed';
      const info = describeFailure(error);
      entry.error = info.message;
      entry.errorType = isCancellation(error) ? 'CancelledError' : info.type;
      record.ended(path, step.kind, {
        status: 'failed',
        error: { message: info.message, ...(entry.errorType ? { type: entry.errorType } : {}) },
      });
    }
    throw error;
  } finally {
    entry.endedAt = new Date().toISOString();
    entry.durationMs = Date.now() - started;
    const current = frame.run.progress.current;
    const at = current?.indexOf(entry.path ?? entry.id) ?? -1;
    if (current && at >= 0) current.splice(at, 1);
    if (frame.path === '') frame.run.progress.outputs = { ...frame.steps };
  }
}

/**
 * A step the rerun takes over: its recorded output (and for a container, the outputs and variables its
 * nested steps left behind) without running anything, so no Gong call, http request or wait repeats.
 */
function reuseStep(step: StepPlan, frame: Frame, reused: RecordedStep, entry: StepProgress): unknown {
  const { record, reuse } = frame.run;
  for (const nested of reuse?.nested(step, frame.path) ?? []) {
    restoreOutput(frame, nested.id, nested.entry);
    record.copy(nested.path, nested.entry);
  }
  restoreOutput(frame, step.id, reused);
  record.copy(`${frame.path}${step.id}`, reused);
  entry.status = reused.status === 'skipped' ? 'skipped' : 'completed';
  entry.reused = true;
  return frame.steps[step.id]?.output ?? null;
}

/** Steps that run other steps. */
const CONTAINER_KINDS = new Set<StepPlan['kind']>(['if', 'switch', 'parallel', 'forEach', 'try']);

/** Activity steps get their step timeout as the activity's schedule-to-close timeout (no extra timer). */
function runsAsActivity(step: StepPlan): boolean {
  return step.kind === 'action' || step.kind === 'http';
}

function dispatch(step: StepPlan, frame: Frame): Promise<unknown> {
  switch (step.kind) {
    case 'action':
      return runAction(step, frame);
    case 'http':
      return runHttp(step, frame);
    case 'set':
      return runSet(step, frame);
    case 'if':
      return runIf(step, frame, executor);
    case 'switch':
      return runSwitch(step, frame, executor);
    case 'parallel':
      return runParallel(step, frame, executor);
    case 'forEach':
      return runForEach(step, frame, executor);
    case 'sleep':
      return runSleep(step);
    case 'waitUntil':
      return runWaitUntil(step, frame);
    case 'waitForSignal':
      return runWaitForSignal(step, frame);
    case 'run':
      return runSubOrchestration(step, frame);
    case 'try':
      return runTry(step, frame, executor);
    case 'fail':
      return runFail(step, frame);
    case 'succeed':
      return runSucceed(step, frame);
    default:
      return Promise.reject(
        invalidPlan(
          (step as { id?: string }).id ?? '?',
          `"${(step as { kind?: string }).kind}" steps are not supported by this version of the interpreter.`,
        ),
      );
  }
}

function startEntry(step: StepPlan, frame: Frame): StepProgress {
  const progress = frame.run.progress;
  const path = `${frame.path}${step.id}`;
  const entry: StepProgress = {
    id: step.id,
    ...(frame.path ? { path } : {}),
    kind: step.kind,
    status: 'running',
    startedAt: new Date().toISOString(),
    ...(step.title ? { title: step.title } : {}),
    ...(frame.parent !== undefined ? { parent: frame.parent, depth: frame.depth ?? 1 } : {}),
  };
  progress.steps.push(entry);
  (progress.current ??= []).push(path);
  if (progress.steps.length > MAX_PROGRESS_STEPS) {
    const finished = progress.steps.findIndex((candidate) => candidate.status !== 'running');
    if (finished >= 0) {
      progress.steps.splice(finished, 1);
      progress.droppedSteps = (progress.droppedSteps ?? 0) + 1;
    }
  }
  return entry;
}
