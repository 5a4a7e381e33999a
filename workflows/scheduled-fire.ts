import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import { ApplicationFailure, workflowInfo } from '@temporalio/workflow';
import { FAILURE_TYPES } from '../core/failure-types';
import { planRef, type Plan } from '../definitions/plan';
import { prepareEvent, scheduleEvent, type TriggerEvent } from '../triggers/event';
import { INTERPRETER_FAILURE_TYPES } from './interpreter/failures';

/**
 * What a schedule trigger's action passes to the runs it starts: which schedule and which trigger of the
 * plan, never an input. The input is mapped here, once per fire, from that fire's own time.
 */
export interface ScheduleFire {
  scheduleId: string;
  triggerIndex: number;
}

export type FireStart =
  { run: true; trigger: TriggerEvent; input: unknown } | { run: false; trigger: TriggerEvent };

/**
 * Temporal stamps every run a schedule starts with the fire's nominal time: cron fires, backfilled fires
 * (their past time, not now) and trigger-now alike (test/triggers/schedule-time.test.ts checks it on the
 * dev server). Search attributes are part of the start event, so reading it is deterministic.
 */
const SCHEDULED_START_TIME = defineSearchAttributeKey(
  'TemporalScheduledStartTime',
  SearchAttributeType.DATETIME,
);

/** The fire's event and the run input its trigger maps from it; `run: false` when the filter says no. */
export function startOfFire(plan: Plan, fire: ScheduleFire, connectionId: string): FireStart {
  const info = workflowInfo();
  // Absent only when something other than a schedule started the run with these args: its start time.
  const at = info.typedSearchAttributes.get(SCHEDULED_START_TIME) ?? info.startTime;
  const trigger = scheduleEvent({ scheduleId: fire.scheduleId, connectionId, at });
  const definition = plan.triggers[fire.triggerIndex];
  if (definition?.kind !== 'schedule') {
    throw ApplicationFailure.create({
      type: INTERPRETER_FAILURE_TYPES.invalidPlan,
      nonRetryable: true,
      message: `${planRef(plan)} has no schedule trigger at index ${fire.triggerIndex} (schedule ${fire.scheduleId}): redeploy its triggers.`,
    });
  }
  const prepared = prepareEvent(definition, trigger);
  if (prepared.accepted) return { run: true, trigger, input: prepared.input };
  if (prepared.reason === 'filtered') return { run: false, trigger };
  throw ApplicationFailure.create({
    type: FAILURE_TYPES.expression,
    nonRetryable: true,
    message: `The schedule trigger of ${planRef(plan)} could not map the fire at ${String(trigger['scheduledTime'])}: ${prepared.message}.`,
  });
}
