import {
  ActivityFailure,
  ApplicationFailure,
  CancelledFailure,
  ChildWorkflowFailure,
  TemporalFailure,
  TimeoutFailure,
  isCancellation,
} from '@temporalio/workflow';
import { FAILURE_TYPES } from '../../core/failure-types';

/** Failure types the interpreter itself raises, besides the shared ones in core/failure-types.ts. */
export const INTERPRETER_FAILURE_TYPES = {
  /** The plan cannot be executed as given (hand-crafted or from an incompatible compiler). */
  invalidPlan: 'InvalidPlanError',
  /** A forEach got more items than its declared maxItems, or items that are not a list. */
  tooManyItems: 'ForEachLimitError',
  /** A bug in the interpreter: reported instead of hanging the workflow task. */
  internal: 'InterpreterError',
  /** The run was cancelled. Never caught by catch clauses. */
  cancelled: 'CancelledError',
} as const;

/** What a catch clause and `onFailure` see of a failure: `{ type, message }`. */
export interface FailureInfo {
  type: string;
  message: string;
  /** The step that failed, when known. */
  step?: string;
}

/**
 * The stable type of a failure, looking through Temporal's wrappers: an activity or child workflow
 * failure carries the ApplicationFailure raised inside it as its cause.
 */
export function describeFailure(error: unknown): FailureInfo {
  if (error instanceof ActivityFailure || error instanceof ChildWorkflowFailure) {
    if (error.cause) return describeFailure(error.cause);
  }
  if (error instanceof ApplicationFailure) {
    if (error.type === 'ActivityFailure' && error.cause) return describeFailure(error.cause);
    return { type: error.type ?? FAILURE_TYPES.business, message: error.message };
  }
  if (error instanceof TimeoutFailure) {
    return { type: FAILURE_TYPES.timeout, message: `Timed out (${error.timeoutType ?? 'timeout'}).` };
  }
  if (error instanceof CancelledFailure) {
    return { type: INTERPRETER_FAILURE_TYPES.cancelled, message: error.message || 'Cancelled.' };
  }
  if (error instanceof TemporalFailure) {
    return { type: INTERPRETER_FAILURE_TYPES.internal, message: error.message };
  }
  return {
    type: INTERPRETER_FAILURE_TYPES.internal,
    message: error instanceof Error ? error.message : String(error),
  };
}

export { isCancellation };

export function failure(type: string, message: string, details?: unknown): ApplicationFailure {
  return ApplicationFailure.create({
    type,
    message,
    nonRetryable: true,
    ...(details !== undefined ? { details: [details] } : {}),
  });
}

export function invalidPlan(stepId: string, message: string): ApplicationFailure {
  return failure(INTERPRETER_FAILURE_TYPES.invalidPlan, `Step ${stepId}: ${message}`);
}

/**
 * The failure the run ends with: always an ApplicationFailure with a stable type (a bare Error would
 * fail the workflow task and retry forever), keeping the original as its cause for the UI.
 */
export function toRunFailure(error: unknown): unknown {
  if (isCancellation(error)) return error;
  if (error instanceof ApplicationFailure && error.nonRetryable) return error;
  const info = describeFailure(error);
  return ApplicationFailure.create({
    type: info.type,
    message: info.message,
    nonRetryable: true,
    ...(error instanceof TemporalFailure ? { cause: error } : {}),
  });
}

/** Thrown by a `succeed` step: ends the run successfully with an output, through every enclosing construct. */
export class RunSucceeded extends Error {
  constructor(readonly output: unknown) {
    super('The run succeeded early.');
    this.name = 'RunSucceeded';
  }
}

/** Catch clauses match a failure type exactly; `*` (or an empty list) matches every failure except cancellation. */
export function catchMatches(errorTypes: string[], info: FailureInfo): boolean {
  if (info.type === INTERPRETER_FAILURE_TYPES.cancelled) return false;
  return errorTypes.length === 0 || errorTypes.includes('*') || errorTypes.includes(info.type);
}
