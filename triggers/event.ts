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
