import { evaluateExpression } from '../definitions/expressions';
import type { TriggerPlan } from '../definitions/plan';
import { evaluateTemplate } from '../definitions/template';

/**
 * What a run started by a trigger sees as `trigger`: the kind's payload (`call`, `user`, `callData`, ...)
 * plus where it came from. Filter and input expressions see the same value.
 */
export interface TriggerEvent {
  kind: string;
  eventId: string;
  connection: string;
  /** A Gong "Test now" delivery. */
  test?: boolean;
  [payloadKey: string]: unknown;
}

export type PreparedEvent =
  | { accepted: true; input: unknown }
  | { accepted: false; reason: 'filtered' }
  | { accepted: false; reason: 'invalid'; message: string };

/** Applies a trigger's filter and input mapping to an event. Pure: the same answer in workflows and servers. */
export function prepareEvent(
  trigger: Pick<TriggerPlan, 'filter' | 'input'>,
  event: TriggerEvent,
): PreparedEvent {
  const context = { trigger: event };
  try {
    if (trigger.filter) {
      const keep = evaluateExpression(trigger.filter.expr, context);
      if (typeof keep !== 'boolean') {
        return {
          accepted: false,
          reason: 'invalid',
          message: `the trigger filter must be true or false, got ${keep === null ? 'null' : typeof keep}`,
        };
      }
      if (!keep) return { accepted: false, reason: 'filtered' };
    }
    return { accepted: true, input: trigger.input ? evaluateTemplate(trigger.input, context) : {} };
  } catch (error) {
    return {
      accepted: false,
      reason: 'invalid',
      message: error instanceof Error ? error.message : String(error),
    };
  }
}

/**
 * The event one fire of a schedule delivers: its own nominal fire time (what the cron said, also for
 * backfilled and triggered-now fires) and an event id stable for that fire, so every fire maps its own
 * input (`isoDate(timestamp(trigger.scheduledTime) - duration("168h"))` is last week of *that* fire).
 */
export function scheduleEvent(fire: { scheduleId: string; connectionId: string; at: Date }): TriggerEvent {
  // Fire times are whole seconds: 2026-05-04T06:00:00Z, as Temporal stamps them on the run's id.
  const scheduledTime = fire.at.toISOString().replace(/\.000Z$/, 'Z');
  return {
    kind: 'schedule',
    eventId: scheduleEventId(fire.scheduleId, scheduledTime),
    connection: fire.connectionId,
    scheduledTime,
  };
}

/** `<scheduleId>@<scheduledTime>`: one id per fire, the same however often that fire is looked at. */
export function scheduleEventId(scheduleId: string, scheduledTime: string): string {
  return `${scheduleId}@${scheduledTime}`;
}
