import { sleep } from '@temporalio/workflow';
import { FAILURE_TYPES } from '../../core/failure-types';
import type { SleepStepPlan, WaitUntilStepPlan } from '../../definitions/plan';
import { evaluateExpressionIn } from './evaluate';
import { failure } from './failures';
import type { Frame } from './frame';

/** sleep: a durable timer (survives worker restarts; no worker is busy while it runs). */
export async function runSleep(step: SleepStepPlan, frame: Frame): Promise<null> {
  if (step.durationMs > 0 && !frame.run.limits.skipTimers) await sleep(step.durationMs);
  return null;
}

/** waitUntil: a durable timer to an ISO-8601 instant; an instant in the past continues at once. */
export async function runWaitUntil(step: WaitUntilStepPlan, frame: Frame): Promise<{ until: string }> {
  const value = await evaluateExpressionIn(frame, step.time, `${step.id}.until`);
  const at = typeof value === 'string' ? Date.parse(value) : Number.NaN;
  if (!Number.isFinite(at)) {
    throw failure(
      FAILURE_TYPES.expression,
      `Step ${step.id}: until must be an ISO-8601 date-time, got ${JSON.stringify(value)} (in \`${step.time.expr}\`).`,
    );
  }
  const remaining = at - Date.now();
  if (remaining > 0 && !frame.run.limits.skipTimers) await sleep(remaining);
  return { until: new Date(at).toISOString() };
}
