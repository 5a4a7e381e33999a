import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import { GongflowError } from '../core/errors';
import type { Plan, TriggerPlan } from '../definitions/plan';
import { TRIGGER_PAYLOADS, type TriggerKind } from '../definitions/triggers';
import { fillOmittedFields } from '../gong/catalog/omitted-fields';
import { startRun } from '../runs/start';
import { prepareEvent, type TriggerEvent } from './event';
import { eventRunWorkflowId } from './ids';

export type EventRunOutcome =
  | { status: 'started' | 'duplicate'; workflowId: string }
  | { status: 'filtered'; workflowId: string }
  | { status: 'rejected'; workflowId: string; message: string };

export interface EventRunRequest {
  plan: Plan;
  trigger: TriggerPlan;
  connectionId: string;
  taskQueue: string;
  event: TriggerEvent;
}

/**
 * Starts the run one event asks for, exactly once. The workflow id is derived from (definition,
 * connection, event family, event id) and started with REJECT_DUPLICATE, so a second delivery, a poller
 * re-scan or a retried activity gets WorkflowExecutionAlreadyStartedError, even after the first run
 * closed (within the namespace's retention), and nothing starts twice.
 */
export async function startEventRun(client: Client, request: EventRunRequest): Promise<EventRunOutcome> {
  const { plan, trigger, connectionId } = request;
  // Optional fields Gong omitted from the payload read as null, as in step outputs.
  const payload = TRIGGER_PAYLOADS[trigger.kind as TriggerKind] as
    (typeof TRIGGER_PAYLOADS)[TriggerKind] | undefined;
  const event = (payload ? fillOmittedFields(payload, request.event) : request.event) as TriggerEvent;
  const workflowId = eventRunWorkflowId(plan.name, connectionId, trigger.kind, event.eventId);
  const prepared = prepareEvent(trigger, event);
  if (!prepared.accepted) {
    return prepared.reason === 'filtered'
      ? { status: 'filtered', workflowId }
      : { status: 'rejected', workflowId, message: prepared.message };
  }
  try {
    await startRun(client, {
      plan,
      input: prepared.input,
      connectionId,
      taskQueue: request.taskQueue,
      workflowId,
      idPolicy: { reuse: 'REJECT_DUPLICATE' },
      trigger: { kind: trigger.kind, event },
    });
    return { status: 'started', workflowId };
  } catch (error) {
    if (error instanceof WorkflowExecutionAlreadyStartedError) return { status: 'duplicate', workflowId };
    // Bad input for this plan is the event's problem, not a reason to stop the trigger.
    if (error instanceof GongflowError && error.code === 'RUN_INVALID_INPUT')
      return { status: 'rejected', workflowId, message: error.problems.map((p) => p.message).join('; ') };
    throw error;
  }
}
