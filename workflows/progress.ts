import { defineQuery } from '@temporalio/workflow';

export type StepStatus = 'running' | 'completed' | 'skipped' | 'failed';

export interface StepProgress {
  id: string;
  /** Unique position in the run, e.g. `each[3]/notify` for a step inside a forEach iteration. */
  path?: string;
  /** Path (or id) of the enclosing step (if, switch, parallel, forEach, try), when nested. */
  parent?: string;
  /** Nesting depth: 0 for top-level steps. */
  depth?: number;
  title?: string;
  kind: string;
  status: StepStatus;
  startedAt: string;
  endedAt?: string;
  /** Workflow time the step took (timers, activities, waits), when it has ended. */
  durationMs?: number;
  /** Failure message when status is failed. */
  error?: string;
  /** Stable failure type when status is failed. */
  errorType?: string;
  /** The output was taken over from the run this one reruns: the step did not run again. */
  reused?: boolean;
  /** While a waitForSignal or approval step waits: what for, and who may answer. */
  waiting?: WaitingInfo;
}

export interface WaitingInfo {
  for: 'approval' | 'signal';
  /** The signal name, or the approval step's id. */
  name: string;
  /** Approvals: the question, as evaluated when the step started waiting. */
  prompt?: unknown;
  /** Approvals: who may decide (empty: anyone with access to the run). */
  approvers?: string[];
  /** When the wait times out (ISO-8601). */
  until: string;
}

export interface RunProgress {
  definition: string;
  hash: string;
  status: 'running' | 'completed' | 'failed';
  /** Steps in the order they started (the most recent MAX_PROGRESS_STEPS; see `droppedSteps`). */
  steps: StepProgress[];
  /** Paths of the steps running now. */
  current?: string[];
  /** Outputs of the top-level steps so far (large ones as blob references). */
  outputs?: Record<string, unknown>;
  /** Older finished entries left out of `steps` to keep the query answer small. */
  droppedSteps?: number;
  /** How many times the run continued as new (its history restarted). */
  continuedAsNew?: number;
  /** The run this one reruns (it reuses that run's completed steps). */
  rerunOf?: string;
}

/** How many step entries a run keeps for the progress query (older finished ones are counted, not kept). */
export const MAX_PROGRESS_STEPS = 500;

/** Query a run for its steps so far: the CLI follows runs with it, the API serves it as the step log. */
export const progressQuery = defineQuery<RunProgress>('gongflow.progress');
