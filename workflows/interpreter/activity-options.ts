import type { ActivityOptions } from '@temporalio/workflow';
import { ACTIVITY_HEARTBEAT_TIMEOUT_MS } from '../../core/heartbeats';
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
    // Short, so a killed worker's attempt is retried within seconds; activities heartbeat while they run.
    heartbeatTimeout: Math.min(startToCloseTimeoutMs, ACTIVITY_HEARTBEAT_TIMEOUT_MS),
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
