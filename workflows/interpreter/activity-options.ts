import type { ActivityOptions } from '@temporalio/workflow';
import type { RetryPolicyPlan, StepPlan } from '../../definitions/plan';

/** A step's activity options: the plan's timeouts and retry policy (resolved from the catalog at compile time). */
export function activityOptions(
  step: Pick<StepPlan, 'id' | 'title' | 'timeoutMs'>,
  activity: { startToCloseTimeoutMs: number; retry: RetryPolicyPlan },
): ActivityOptions {
  const { retry, startToCloseTimeoutMs } = activity;
  return {
    startToCloseTimeout: startToCloseTimeoutMs,
    ...(step.timeoutMs !== undefined ? { scheduleToCloseTimeout: step.timeoutMs } : {}),
    heartbeatTimeout: Math.min(startToCloseTimeoutMs, 60_000),
    retry: {
      maximumAttempts: retry.maximumAttempts,
      initialInterval: retry.initialIntervalMs,
      backoffCoefficient: retry.backoffCoefficient,
      maximumInterval: retry.maximumIntervalMs,
      ...(retry.nonRetryableErrorTypes ? { nonRetryableErrorTypes: retry.nonRetryableErrorTypes } : {}),
    },
    summary: step.title ?? step.id,
  };
}
