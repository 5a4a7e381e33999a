import {
  ApplicationFailure,
  CancellationScope,
  ContinueAsNew,
  continueAsNew,
  isCancellation,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import { FAILURE_TYPES } from '../core/failure-types';
import { planRef, type Plan } from '../definitions/plan';
import { resolveRunInput } from '../definitions/run-input';
import { DEFAULT_BLOB_THRESHOLD_BYTES } from './interpreter/blob-ref';
import { evaluateIn } from './interpreter/evaluate';
import {
  describeFailure,
  failure,
  INTERPRETER_FAILURE_TYPES,
  RunSucceeded,
  toRunFailure,
} from './interpreter/failures';
import type { Frame, RunLimits, RunState } from './interpreter/frame';
import { planProblem } from './interpreter/plan-check';
import { recordQuery, StepRecorder, type ResumedAt } from './interpreter/record';
import { Reuse, type RerunArgs } from './interpreter/reuse';
import { SignalInbox, type GongflowSignal } from './interpreter/signals';
import { runStep, runSteps } from './interpreter/steps';
import { withTimeout } from './interpreter/timeout';
import { WaitingSteps } from './interpreter/waiting';
import { progressQuery, type RunProgress } from './progress';
import { countedRun } from './run-metrics';
import { startOfFire, type ScheduleFire } from './scheduled-fire';

export interface OrchestrationArgs {
  /** The compiled plan: the run is pinned to it, definitions are never re-read. */
  plan: Plan;
  input?: Record<string, unknown>;
  /** Gong connection for the run's actions; default: the plan's connection. */
  connectionId?: string;
  /** The event that started the run, when a trigger did. */
  trigger?: unknown;
  /**
   * Set by a schedule trigger instead of `input` and `trigger`: the run makes both from its own fire time
   * (so each fire, backfilled ones too, sees its own `trigger.scheduledTime`). Runs started before this
   * field existed carry a deploy-time input and replay as they ran.
   */
  schedule?: ScheduleFire;
  /** Engine limits (defaults suit production; tests lower them to exercise batching and continue-as-new). */
  limits?: Partial<RunLimits>;
  /** Set when the run continued as new: where it stopped and what it had. */
  resume?: ResumeState;
  /** Set when the run reruns another: the steps of that run it reuses instead of running them again. */
  rerun?: RerunArgs;
}

/** What a run carries across continueAsNew: the position among top-level steps and everything read since. */
export interface ResumeState {
  nextStep: number;
  steps: Frame['steps'];
  vars: Frame['vars'];
  progress: RunProgress;
  signals: GongflowSignal[];
  /** Workflow time the run started (the whole-run timeout counts from it). */
  startedAtMs: number;
}

export const DEFAULT_LIMITS: RunLimits = {
  blobThresholdBytes: DEFAULT_BLOB_THRESHOLD_BYTES,
  forEachBatchSize: 200,
  continueAsNewAfterEvents: undefined,
};

/** The one generic workflow type: it runs any plan, step by step, deterministically. */
export async function orchestration(args: OrchestrationArgs): Promise<unknown> {
  // Counted by definition name (a bounded label); a malformed plan without one still counts, as failed.
  const definition = typeof args.plan?.name === 'string' ? args.plan.name : 'unknown';
  return countedRun(definition, args.resume !== undefined, () => runPlan(args));
}

async function runPlan(args: OrchestrationArgs): Promise<unknown> {
  const { plan } = args;
  const progress: RunProgress = args.resume?.progress ?? {
    definition: planRef(plan),
    hash: plan.hash,
    status: 'running',
    steps: [],
    current: [],
    outputs: {},
    ...(args.rerun ? { rerunOf: args.rerun.of } : {}),
  };
  setHandler(progressQuery, () => progress);
  // A rerun of a run that had continued as new starts where that run's last history started.
  const start: ResumedAt | undefined = args.resume ?? args.rerun?.resumedAt;
  const record = new StepRecorder(
    start ? { nextStep: start.nextStep, steps: start.steps, vars: start.vars } : undefined,
    args.rerun?.of,
  );
  setHandler(recordQuery, (options) => ({
    ...record.snapshot(),
    ...(options?.start
      ? {
          start: {
            plan,
            input: args.input ?? {},
            ...(args.connectionId ? { connectionId: args.connectionId } : {}),
            trigger: args.trigger ?? null,
          },
        }
      : {}),
  }));
  const signals = new SignalInbox();
  signals.install();
  if (args.resume) signals.restore(args.resume.signals);

  const problem = planProblem(plan);
  if (problem) {
    progress.status = 'failed';
    throw failure(INTERPRETER_FAILURE_TYPES.invalidPlan, `The plan cannot run: ${problem}.`);
  }
  // After the plan check: the registry walks the plan's steps.
  const waiting = new WaitingSteps(plan, signals);
  waiting.install();
  const connectionId = args.connectionId ?? plan.connection;
  let fire: ReturnType<typeof startOfFire> | undefined;
  try {
    fire = args.schedule ? startOfFire(plan, args.schedule, connectionId ?? '') : undefined;
  } catch (error) {
    progress.status = 'failed';
    throw error;
  }
  if (fire && !fire.run) {
    // The trigger's filter declined this fire: nothing to do, and nothing failed.
    progress.status = 'completed';
    return null;
  }
  const input = resolveRunInput(plan, fire ? fire.input : args.input);
  if (!input.ok) {
    progress.status = 'failed';
    throw ApplicationFailure.create({
      type: FAILURE_TYPES.input,
      nonRetryable: true,
      message: `Invalid input for ${planRef(plan)}: ${input.errors.join('; ')}.`,
    });
  }
  const run: RunState = {
    plan,
    workflowId: workflowInfo().workflowId,
    connectionId,
    input: input.value,
    trigger: fire ? fire.trigger : (args.trigger ?? null),
    progress,
    signals,
    waiting,
    limits: { ...DEFAULT_LIMITS, ...args.limits },
    record,
    ...(args.rerun ? { reuse: new Reuse(args.rerun) } : {}),
  };
  const frame: Frame = {
    run,
    steps: start?.steps ?? {},
    vars: start?.vars ?? {},
    locals: {},
    path: '',
  };
  const startedAtMs = args.resume?.startedAtMs ?? Date.now();

  try {
    const body = (): Promise<unknown> => runTopLevel(args, frame, startedAtMs, start?.nextStep ?? 0);
    const remaining = plan.timeoutMs !== undefined ? plan.timeoutMs - (Date.now() - startedAtMs) : undefined;
    const output = await (remaining !== undefined
      ? withTimeout(Math.max(1, remaining), `Run ${planRef(plan)}`, body)
      : body());
    progress.status = 'completed';
    return output;
  } catch (error) {
    if (error instanceof ContinueAsNew) throw error;
    if (error instanceof RunSucceeded) {
      progress.status = 'completed';
      return error.output;
    }
    progress.status = 'failed';
    if (!isCancellation(error) && plan.onFailure && plan.onFailure.length > 0) {
      await runOnFailure(plan, frame, error);
    }
    throw toRunFailure(error);
  } finally {
    progress.current = [];
  }
}

/** Top-level steps, continuing as new between two of them when the history grows long. */
async function runTopLevel(
  args: OrchestrationArgs,
  frame: Frame,
  startedAtMs: number,
  first: number,
): Promise<unknown> {
  const { plan } = args;
  for (let index = first; index < plan.steps.length; index++) {
    if (index > first && shouldContinueAsNew(frame.run.limits)) {
      const progress = frame.run.progress;
      progress.continuedAsNew = (progress.continuedAsNew ?? 0) + 1;
      const next: OrchestrationArgs = {
        ...carriedArgs(args, frame),
        resume: {
          nextStep: index,
          steps: frame.steps,
          vars: frame.vars,
          progress,
          signals: frame.run.signals.pending(),
          startedAtMs,
        },
      };
      await continueAsNew<typeof orchestration>(next);
    }
    await runStep(plan.steps[index]!, frame);
  }
  return plan.output ? evaluateIn(frame, plan.output, 'output') : null;
}

/** A scheduled run carries the input and event it made from its fire, not the fire (mapped once). */
function carriedArgs(args: OrchestrationArgs, frame: Frame): OrchestrationArgs {
  if (!args.schedule) return args;
  const { schedule: _mapped, ...rest } = args;
  return { ...rest, input: frame.run.input, trigger: frame.run.trigger };
}

function shouldContinueAsNew(limits: RunLimits): boolean {
  const info = workflowInfo();
  if (info.continueAsNewSuggested) return true;
  return (
    limits.continueAsNewAfterEvents !== undefined && info.historyLength >= limits.continueAsNewAfterEvents
  );
}

/**
 * onFailure steps run after a failure (not a cancellation), non-cancellable, with the failure bound to
 * `error` as `{ type, message, step }`. The run still fails with the original failure; a failure of the
 * onFailure steps themselves is logged in progress and does not replace it.
 */
async function runOnFailure(plan: Plan, frame: Frame, error: unknown): Promise<void> {
  const failed = [...frame.run.progress.steps].reverse().find((entry) => entry.status === 'failed');
  const info = { ...describeFailure(error), ...(failed ? { step: failed.id } : {}) };
  const handler: Frame = { ...frame, locals: { ...frame.locals, error: info }, path: 'onFailure/' };
  try {
    await CancellationScope.nonCancellable(() => runSteps(plan.onFailure ?? [], handler));
  } catch {
    // Already recorded as a failed step in progress; the run reports the original failure.
  }
}
