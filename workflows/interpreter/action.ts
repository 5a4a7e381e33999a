import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../../activities';
import { FAILURE_TYPES } from '../../core/failure-types';
import type { ActionStepPlan, HttpStepPlan } from '../../definitions/plan';
import { activityOptions } from './activity-options';
import { evaluateIn } from './evaluate';
import { failure } from './failures';
import type { Frame } from './frame';

/** A Gong action: one activity with the run's connection; its options come from the plan. */
export async function runAction(step: ActionStepPlan, frame: Frame): Promise<unknown> {
  const input = await evaluateIn(frame, step.input, `${step.id}.with`);
  frame.run.record.input(`${frame.path}${step.id}`, step.kind, input);
  const connectionId = frame.run.connectionId;
  if (!connectionId) {
    throw failure(
      FAILURE_TYPES.connection,
      `Step ${step.id} calls ${step.action} but the run has no Gong connection. Start the run with a connection, or set connection: in the definition.`,
    );
  }
  const activities = proxyActivities<Activities>(activityOptions(step, step.activity));
  return activities.runGongAction({
    connectionId,
    action: step.action,
    input: (input ?? {}) as Record<string, unknown>,
    stepId: step.id,
    ...(step.onUnknownOutcome ? { onUnknownOutcome: step.onUnknownOutcome } : {}),
  });
}

/** A plain HTTP request (non-Gong APIs): one activity; error statuses fail with HttpStepError. */
export async function runHttp(step: HttpStepPlan, frame: Frame): Promise<unknown> {
  const request = await evaluateIn(frame, step.request, `${step.id}.request`);
  // Secret values are not in it: the plan holds `{ $secret }` references the activity resolves.
  frame.run.record.input(`${frame.path}${step.id}`, step.kind, request);
  const activities = proxyActivities<Activities>(activityOptions(step, step.activity));
  return activities.httpRequest({
    stepId: step.id,
    request: request as never,
    ...(step.secrets && step.secrets.length > 0 ? { secrets: step.secrets } : {}),
    // The activity reads the connection's own secrets first (an argument only: no new command, replay-safe).
    ...(step.secrets && step.secrets.length > 0 && frame.run.connectionId
      ? { connectionId: frame.run.connectionId }
      : {}),
  });
}
