import { eventFamily } from './kinds';
import type { TriggerPlan } from '../definitions/plan';

/**
 * Workflow and schedule ids of everything triggers create. Pure: workflows, activities, the webhook
 * receiver and the CLI derive the same ids from the same facts, which is what makes starts idempotent.
 */

/** The run an event starts: one per (definition, connection, event family, event id), whatever delivered it. */
export function eventRunWorkflowId(
  definition: string,
  connectionId: string,
  kind: string,
  eventId: string,
): string {
  return `gongflow-event/${definition}/${connectionId}/${eventFamily(kind)}/${eventId}`;
}

/** Stable key of a trigger inside its definition: the kind, numbered when a kind appears twice. */
export function triggerKey(triggers: readonly Pick<TriggerPlan, 'kind'>[], index: number): string {
  const kind = triggers[index]?.kind ?? 'unknown';
  const occurrence = triggers.slice(0, index).filter((trigger) => trigger.kind === kind).length;
  return occurrence === 0 ? kind : `${kind}#${occurrence + 1}`;
}

export function pollerWorkflowId(definition: string, key: string, connectionId: string): string {
  return `gongflow-poller/${definition}/${key}/${connectionId}`;
}

export function scheduleId(definition: string, key: string, connectionId: string): string {
  return `gongflow-schedule/${definition}/${key}/${connectionId}`;
}

/** The entity workflow holding a connection's webhook configuration (keys, public keys, subscribed plans). */
export function webhookEndpointWorkflowId(connectionId: string): string {
  return `gongflow-webhooks/${connectionId}`;
}

export const POLLER_WORKFLOW = 'triggerPoller';
export const WEBHOOK_ENDPOINT_WORKFLOW = 'webhookEndpoint';
