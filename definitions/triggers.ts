import { z } from 'zod';
import { GongCallSchema, GongExtensiveCallSchema } from '../gong/catalog/calls';
import { answeredScorecards } from '../gong/catalog/stats';
import { GongUserSchema } from '../gong/catalog/users';
import { DurationSchema } from './durations';

/**
 * Triggers are data in the definition: what starts a run, with an optional `filter` expression over the
 * trigger payload and an `input` mapping from the payload to the run input. Each kind declares the payload
 * it delivers as `trigger` in expressions; the validator type-checks `trigger.*` against it.
 */
const triggerCommon = {
  filter: z
    .string()
    .optional()
    .describe('Start a run only when this ${{ expression }} over trigger.* is true.'),
  input: z
    .record(z.string(), z.unknown())
    .optional()
    .describe('The run input, mapped from the payload: values may be ${{ expressions }} over trigger.*.'),
};

const pollCommon = {
  every: DurationSchema.optional().describe('How often Gong is polled (default 15m).'),
  lookback: DurationSchema.optional().describe(
    'How far back each poll re-scans, since Gong publishes calls hours after they start (default 24h).',
  ),
  since: z.iso
    .datetime({ offset: true })
    .optional()
    .describe(
      'Events before this instant never start runs (default: what is visible at deploy is the baseline).',
    ),
  maxEventsPerPoll: z
    .number()
    .int()
    .min(1)
    .max(5_000)
    .optional()
    .describe('Most runs one poll starts (default 1000).'),
};

export const ApiTriggerSchema = z
  .strictObject({ kind: z.literal('api'), ...triggerCommon })
  .describe('Started through the HTTP API or the CLI; the payload is what the caller sends.');

export const SCHEDULE_OVERLAP = [
  'skip',
  'bufferOne',
  'bufferAll',
  'cancelOther',
  'terminateOther',
  'allowAll',
] as const;

/**
 * Zones without a slash that the tz database has. Other abbreviations (PST, CEST, IST, ...) are not zones:
 * Node's ICU accepts some of them, Temporal's schedules (Go's tz database) do not, and several are ambiguous.
 */
const ABBREVIATED_ZONES = new Set([
  'UTC',
  'GMT',
  'UCT',
  'CET',
  'EET',
  'EST',
  'HST',
  'MET',
  'MST',
  'WET',
  'PRC',
  'ROC',
  'ROK',
  'NZ',
  'GB',
]);

function isTimeZone(zone: string): boolean {
  if (/^[A-Z]{2,5}$/.test(zone) && !ABBREVIATED_ZONES.has(zone)) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

export const ScheduleTriggerSchema = z
  .strictObject({
    kind: z.literal('schedule'),
    cron: z
      .string()
      .regex(/^\S+(\s+\S+){4,6}$/, 'a cron expression with 5 to 7 fields, e.g. "0 8 * * MON"')
      .describe('Cron expression, e.g. "0 8 * * MON" (08:00 every Monday).'),
    timezone: z
      .string()
      .min(1)
      .refine(isTimeZone, 'an IANA time zone such as "Europe/Paris" or "America/New_York"')
      .optional()
      .describe('IANA time zone of the cron (default UTC).'),
    overlap: z
      .enum(SCHEDULE_OVERLAP)
      .optional()
      .describe('When the previous run still runs: skip (default), bufferOne, bufferAll, cancelOther, ...'),
    catchup: DurationSchema.optional().describe(
      'Runs missed while the engine was down are started if within this window (default 1m).',
    ),
    paused: z.boolean().optional().describe('Deploy the schedule paused (default false).'),
    jitter: DurationSchema.optional().describe(
      'Start each fire up to this much later, at random (default none): spreads the schedules of many connections off the same second. trigger.scheduledTime stays the cron time.',
    ),
    ...triggerCommon,
  })
  .describe('Runs on a schedule (a Temporal Schedule).');

export const CallProcessedTriggerSchema = z
  .strictObject({
    kind: z.literal('gong.call.processed'),
    includeTest: z.boolean().optional().describe("Also run for Gong's test deliveries (default false)."),
    ...triggerCommon,
  })
  .describe("Gong's automation-rule webhook: a processed call matched the rule's filter.");

export const CallNewTriggerSchema = z
  .strictObject({ kind: z.literal('gong.call.new'), ...pollCommon, ...triggerCommon })
  .describe('Polls Gong for calls that appeared since the last poll (deduplicated by call id).');

export const UserNewTriggerSchema = z
  .strictObject({ kind: z.literal('gong.user.new'), ...pollCommon, ...triggerCommon })
  .describe('Polls Gong for users created since the last poll.');

export const ScorecardAnsweredTriggerSchema = z
  .strictObject({ kind: z.literal('gong.scorecard.answered'), ...pollCommon, ...triggerCommon })
  .describe('Polls Gong for scorecards answered since the last poll.');

export const TriggerSchema = z.discriminatedUnion('kind', [
  ApiTriggerSchema,
  ScheduleTriggerSchema,
  CallProcessedTriggerSchema,
  CallNewTriggerSchema,
  UserNewTriggerSchema,
  ScorecardAnsweredTriggerSchema,
]);

export type TriggerSource = z.infer<typeof TriggerSchema>;
export type TriggerKind = TriggerSource['kind'];
export const TRIGGER_KINDS: readonly TriggerKind[] = TriggerSchema.options.map(
  (option) => option.shape.kind.value,
);

/** Where every event comes from: part of `trigger` besides the kind's payload (triggers/event.ts). */
const eventFields = {
  kind: z.string(),
  eventId: z.string(),
  connection: z.string(),
  test: z.boolean().optional(),
};

const AnsweredScorecardSchema = (
  answeredScorecards.response.shape.answeredScorecards as unknown as { element: z.ZodType }
).element;

/** What each kind delivers as `trigger` in expressions (and to the `input` mapping). */
export const TRIGGER_PAYLOADS: Record<TriggerKind, z.ZodType> = {
  api: z.unknown(),
  schedule: z.strictObject({
    ...eventFields,
    scheduledTime: z
      .string()
      .describe('ISO-8601 time this fire was scheduled for (a backfilled fire: its past time).'),
  }),
  'gong.call.processed': z.strictObject({
    ...eventFields,
    isTest: z.boolean(),
    callData: GongExtensiveCallSchema,
  }),
  'gong.call.new': z.strictObject({ ...eventFields, call: GongCallSchema }),
  'gong.user.new': z.strictObject({ ...eventFields, user: GongUserSchema }),
  'gong.scorecard.answered': z.strictObject({ ...eventFields, answeredScorecard: AnsweredScorecardSchema }),
};

/** Defaults written into plans, so a plan says exactly how its triggers behave. */
export const TRIGGER_DEFAULTS = {
  every: 15 * 60_000,
  lookback: 24 * 3_600_000,
  maxEventsPerPoll: 1_000,
  timezone: 'UTC',
  overlap: 'skip',
  catchup: 60_000,
} as const;

/**
 * Settings the trigger machinery needs (triggers/kinds.ts reads them), without the expression parts (those
 * compile to the plan's filter and input). Durations are milliseconds; defaults are filled in.
 */
export function triggerSettings(trigger: TriggerSource): Record<string, string | number | boolean> {
  const settings: Record<string, string | number | boolean> = {};
  switch (trigger.kind) {
    case 'schedule':
      settings['cron'] = trigger.cron;
      settings['timezone'] = trigger.timezone ?? TRIGGER_DEFAULTS.timezone;
      settings['overlap'] = trigger.overlap ?? TRIGGER_DEFAULTS.overlap;
      settings['catchup'] = trigger.catchup ?? TRIGGER_DEFAULTS.catchup;
      settings['paused'] = trigger.paused ?? false;
      // Only when set: plans of definitions without it stay as they were (same hash).
      if (trigger.jitter !== undefined) settings['jitter'] = trigger.jitter;
      break;
    case 'gong.call.processed':
      settings['includeTest'] = trigger.includeTest ?? false;
      break;
    case 'gong.call.new':
    case 'gong.user.new':
    case 'gong.scorecard.answered':
      settings['every'] = trigger.every ?? TRIGGER_DEFAULTS.every;
      settings['lookback'] = trigger.lookback ?? TRIGGER_DEFAULTS.lookback;
      settings['maxEventsPerPoll'] = trigger.maxEventsPerPoll ?? TRIGGER_DEFAULTS.maxEventsPerPoll;
      if (trigger.since !== undefined) settings['since'] = trigger.since;
      break;
    case 'api':
      break;
  }
  return settings;
}
