import type { Plan } from '../../definitions/plan';
import type { RunProgress } from '../progress';
import type { StepRecorder } from './record';
import type { Reuse } from './reuse';
import type { SignalInbox } from './signals';
import type { WaitingSteps } from './waiting';

/** Everything one run shares, whatever step is executing. */
export interface RunState {
  plan: Plan;
  workflowId: string;
  connectionId: string | undefined;
  input: Record<string, unknown>;
  trigger: unknown;
  progress: RunProgress;
  signals: SignalInbox;
  /** Approval steps waiting now, reached by the `gongflow.approve` update. */
  waiting: WaitingSteps;
  limits: RunLimits;
  /** Every step that ended, by path (the console shows it; a rerun of this run reuses it). */
  record: StepRecorder;
  /** When this run reruns another: the steps it takes over instead of running them. */
  reuse?: Reuse;
}

export interface RunLimits {
  /** Results larger than this (JSON bytes) are kept in the blob store and travel as references. */
  blobThresholdBytes: number;
  /** A forEach with more items than this runs them in child workflows, this many per child. */
  forEachBatchSize: number;
  /** continueAsNew between top-level steps once history has this many events (besides Temporal's suggestion). */
  continueAsNewAfterEvents: number | undefined;
}

/**
 * Where steps execute: the run plus the names expressions see. A forEach iteration gets its own frame
 * (copies of `steps` and `vars` plus the item binding); branches of if/switch/try/parallel share theirs.
 */
export interface Frame {
  run: RunState;
  steps: Record<string, { output: unknown }>;
  vars: Record<string, unknown>;
  /** Bindings of enclosing constructs: forEach item and index, a catch clause's error. */
  locals: Record<string, unknown>;
  /** Progress path prefix, e.g. `each[3]/` inside an iteration. */
  path: string;
  /** The progress entry of the enclosing construct (its path), for step logs that show nesting. */
  parent?: string;
  /** How deeply nested the steps of this frame are (0 at the top). */
  depth?: number;
}

/** The names an expression can read. */
export function expressionContext(frame: Frame): Record<string, unknown> {
  const { run } = frame;
  return {
    ...frame.locals,
    input: run.input,
    steps: frame.steps,
    vars: frame.vars,
    trigger: run.trigger ?? null,
    run: {
      id: run.workflowId,
      definition: `${run.plan.name}@${run.plan.version}`,
      hash: run.plan.hash,
      connection: run.connectionId ?? null,
    },
  };
}

export function iterationFrame(frame: Frame, locals: Record<string, unknown>, path: string): Frame {
  return {
    run: frame.run,
    steps: { ...frame.steps },
    vars: { ...frame.vars },
    locals: { ...frame.locals, ...locals },
    path,
    ...(frame.parent !== undefined ? { parent: frame.parent, depth: frame.depth ?? 1 } : {}),
  };
}
