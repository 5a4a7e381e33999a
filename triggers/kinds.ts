import { z } from 'zod';
import { DurationSchema } from '../definitions/durations';

/**
 * Every trigger kind gongflow knows, as data: how it is delivered, its settings schema, the payload a run
 * sees as `trigger.event` (for the language to type-check `filter` and `input` expressions), and how an
 * event's id is derived. Pure (zod only): the language, workflows and activities all import it.
 *
 * Exactly-once rests on `eventFamily`: a run's workflow id is derived from (definition, connection,
 * family, event id), so kinds reporting the same Gong object (a call by webhook and by poller) share a
 * family and start one run between them.
 */
export type TriggerDelivery = 'manual' | 'schedule' | 'webhook' | 'poll';

const IsoDateTime = z.string().refine((value) => !Number.isNaN(Date.parse(value)), 'an ISO-8601 date-time');

/**
 * Settings as the language compiles them into `TriggerPlan.settings` (definitions/triggers.ts: durations
 * already in ms). Unknown keys are ignored here: the language's strict schema is where they are rejected.
 */
export const PollerSettingsSchema = z.object({
  every: DurationSchema.default(900_000).describe('Time between polls (default 15m).'),
  lookback: DurationSchema.default(86_400_000).describe(
    'How far behind the newest event seen each poll re-scans, so events Gong makes visible late are still caught (default 24h).',
  ),
  since: IsoDateTime.optional().describe(
    'Events before this instant never start runs (default: what is visible at deploy is the baseline).',
  ),
  maxEventsPerPoll: z
    .number()
    .int()
    .min(1)
    .max(5_000)
    .default(1_000)
    .describe('Upper bound of runs one poll starts; the rest wait for the next poll.'),
});
export type PollerSettings = z.output<typeof PollerSettingsSchema>;

export const ScheduleSettingsSchema = z.object({
  cron: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]).describe('Cron expression(s).'),
  timezone: z.string().default('UTC').describe('IANA time zone the cron is read in, e.g. Europe/Paris.'),
  overlap: z
    .enum(['skip', 'bufferOne', 'bufferAll', 'cancelOther', 'terminateOther', 'allowAll'])
    .default('skip')
    .describe('What happens when a run is still going at the next fire time (default skip).'),
  catchup: DurationSchema.default(60_000).describe(
    'Fire times missed while the server was down are run if no older than this (default 1m).',
  ),
  paused: z.boolean().default(false).describe('Deploy the schedule paused.'),
  jitter: DurationSchema.default(0).describe(
    'Each fire starts up to this much after its cron time, at random (Temporal caps it at the next fire).',
  ),
});
export type ScheduleSettings = z.output<typeof ScheduleSettingsSchema>;

export const WebhookSettingsSchema = z.object({
  includeTest: z
    .boolean()
    .default(false)
    .describe(
      'Start a run (flagged trigger.test) for Gong\'s "Test now" deliveries (default: acknowledge only).',
    ),
});
export type WebhookSettings = z.output<typeof WebhookSettingsSchema>;

/** Basic call metadata (GET /v2/calls `calls[]`); Gong may add fields. */
export const CallMetadataPayload = z.looseObject({
  id: z.string(),
  title: z.string().nullish(),
  started: z.string().nullish(),
  scheduled: z.string().nullish(),
  duration: z.number().nullish(),
  primaryUserId: z.string().nullish(),
  direction: z.string().nullish(),
  scope: z.string().nullish(),
  url: z.string().nullish(),
  workspaceId: z.string().nullish(),
});

export const TRIGGER_KINDS = {
  api: {
    delivery: 'manual',
    title: 'Started by hand (CLI, HTTP API)',
    settings: z.strictObject({}),
    payload: z.unknown(),
  },
  schedule: {
    delivery: 'schedule',
    title: 'On a cron schedule (Temporal Schedule)',
    settings: ScheduleSettingsSchema,
    payload: z.strictObject({ scheduledTime: z.string() }),
  },
  'gong.call.processed': {
    delivery: 'webhook',
    title: 'A call matching a Gong automation rule finished processing (webhook)',
    settings: WebhookSettingsSchema,
    eventFamily: 'call',
    /** `{isTest, callData}`; callData is shaped like /v2/calls/extensive `calls[]`. */
    payload: z.looseObject({
      isTest: z.boolean(),
      callData: z.looseObject({ metaData: CallMetadataPayload }),
    }),
  },
  'gong.call.new': {
    delivery: 'poll',
    title: 'A new call became visible in Gong (poller, GET /v2/calls)',
    settings: PollerSettingsSchema,
    eventFamily: 'call',
    payload: z.strictObject({ call: CallMetadataPayload }),
    scopes: ['api:calls:read:basic'],
  },
  'gong.user.new': {
    delivery: 'poll',
    title: 'A Gong user was created (poller, POST /v2/users/extensive)',
    settings: PollerSettingsSchema,
    eventFamily: 'user',
    payload: z.strictObject({
      user: z.looseObject({
        id: z.string(),
        emailAddress: z.string().nullish(),
        created: z.string().nullish(),
        firstName: z.string().nullish(),
        lastName: z.string().nullish(),
        title: z.string().nullish(),
        managerId: z.string().nullish(),
        active: z.boolean().nullish(),
      }),
    }),
    scopes: ['api:users:read'],
  },
  'gong.scorecard.answered': {
    delivery: 'poll',
    title: 'A scorecard was answered for a call (poller, POST /v2/stats/activity/scorecards)',
    settings: PollerSettingsSchema,
    eventFamily: 'answered-scorecard',
    payload: z.strictObject({
      answeredScorecard: z.looseObject({
        answeredScorecardId: z.union([z.string(), z.number()]),
        scorecardId: z.union([z.string(), z.number()]).nullish(),
        scorecardName: z.string().nullish(),
        callId: z.union([z.string(), z.number()]).nullish(),
        callStartTime: z.string().nullish(),
        reviewedUserId: z.union([z.string(), z.number()]).nullish(),
        reviewerUserId: z.union([z.string(), z.number()]).nullish(),
        reviewTime: z.string().nullish(),
      }),
    }),
    scopes: ['api:stats:scorecards'],
  },
} as const;

export type TriggerKind = keyof typeof TRIGGER_KINDS;
export type PolledTriggerKind = {
  [K in TriggerKind]: (typeof TRIGGER_KINDS)[K]['delivery'] extends 'poll' ? K : never;
}[TriggerKind];
export type TriggerPayload<K extends TriggerKind> = z.output<(typeof TRIGGER_KINDS)[K]['payload']>;

export const POLLED_KINDS: readonly PolledTriggerKind[] = [
  'gong.call.new',
  'gong.user.new',
  'gong.scorecard.answered',
];

export function isTriggerKind(kind: string): kind is TriggerKind {
  return Object.prototype.hasOwnProperty.call(TRIGGER_KINDS, kind);
}

export function isPolledKind(kind: string): kind is PolledTriggerKind {
  return (POLLED_KINDS as readonly string[]).includes(kind);
}

/** The family of objects an event of this kind reports (what its id identifies). */
export function eventFamily(kind: string): string {
  const definition = isTriggerKind(kind) ? (TRIGGER_KINDS[kind] as { eventFamily?: string }) : undefined;
  return definition?.eventFamily ?? kind;
}
