import { z } from 'zod';
import {
  NO_RESULTS_404,
  DEFAULT_READ_RETRY,
  GongId,
  GongNumericId,
  IsoDateInput,
  IsoDateTimeInput,
  NullableBoolean,
  NullableInt,
  NullableNumber,
  NullableString,
  NullableStringArray,
  PageRecords,
  PaginationControls,
  RequestId,
} from './common';
import type { GongActionDefinition } from './types';

/** `MultipleUsersWithDates`: the filter of the activity and interaction stats. */
const UsersWithDatesFilter = z
  .strictObject({
    fromDate: IsoDateInput.describe("First day (inclusive), in the company's time zone."),
    toDate: IsoDateInput.describe(
      "Day after the last (exclusive), in the company's time zone; not after today.",
    ),
    createdFromDateTime: IsoDateTimeInput.optional().describe('Only users created at or after this time.'),
    createdToDateTime: IsoDateTimeInput.optional().describe('Only users created before this time.'),
    userIds: z.array(GongId).min(1).optional().describe('Only these users. Omitted: every user.'),
  })
  .describe('Date range (YYYY-MM-DD; date-times are rejected) and users.');

const activityCounters = {
  callsAsHost: NullableInt,
  callsGaveFeedback: NullableInt,
  callsRequestedFeedback: NullableInt,
  callsReceivedFeedback: NullableInt,
  ownCallsListenedTo: NullableInt,
  othersCallsListenedTo: NullableInt,
  callsSharedInternally: NullableInt,
  callsSharedExternally: NullableInt,
  callsScorecardsFilled: NullableInt,
  callsScorecardsReceived: NullableInt,
  callsAttended: NullableInt,
  callsCommentsGiven: NullableInt,
  callsCommentsReceived: NullableInt,
  callsMarkedAsFeedbackGiven: NullableInt,
  callsMarkedAsFeedbackReceived: NullableInt,
};

const dailyCallLists = Object.fromEntries(
  Object.keys(activityCounters).map((key) => [key, NullableStringArray]),
) as Record<keyof typeof activityCounters, typeof NullableStringArray>;

const periodFields = {
  timeZone: NullableString,
  fromDateTime: NullableString,
  toDateTime: NullableString,
};

const statsNotes = 'Gong answers 404 ("No stats found", "User not found") when nothing matches the filter.';

export const aggregateActivity = {
  name: 'gong.stats.activity.aggregate',
  summary:
    "Each user's activity totals (calls hosted, attended, listened to, shared, feedback ...) over a date range.",
  method: 'POST',
  path: '/v2/stats/activity/aggregate',
  inputIn: 'body',
  input: z.strictObject({ filter: UsersWithDatesFilter, ...PaginationControls }),
  response: z.looseObject({
    requestId: RequestId,
    records: PageRecords,
    usersAggregateActivityStats: z.array(
      z.looseObject({
        userId: GongId,
        userEmailAddress: NullableString,
        userAggregateActivityStats: z.looseObject(activityCounters).nullish(),
      }),
    ),
    ...periodFields,
  }),
  scopes: ['api:stats:user-actions'],
  pagination: { itemsKey: 'usersAggregateActivityStats' },
  emptyOn404Messages: NO_RESULTS_404.stats,
  semantics: 'read',
  timeoutMs: 300_000,
  retry: DEFAULT_READ_RETRY,
  example: { filter: { fromDate: '2024-04-01', toDate: '2024-05-01' } },
  source: 'openapi-2024-11',
  notes: statsNotes,
} satisfies GongActionDefinition;

export const aggregateActivityByPeriod = {
  name: 'gong.stats.activity.aggregate-by-period',
  summary: "Each user's activity totals per day, week (from Monday), month, quarter or year of a date range.",
  method: 'POST',
  path: '/v2/stats/activity/aggregate-by-period',
  inputIn: 'body',
  input: z.strictObject({
    filter: UsersWithDatesFilter,
    aggregationPeriod: z.enum(['DAY', 'WEEK', 'MONTH', 'QUARTER', 'YEAR']).describe('Bucket size.'),
    ...PaginationControls,
  }),
  response: z.looseObject({
    requestId: RequestId,
    records: PageRecords,
    usersAggregateActivity: z.array(
      z.looseObject({
        userId: GongId,
        userEmailAddress: NullableString,
        userAggregateActivity: z
          .array(z.looseObject({ ...activityCounters, fromDate: NullableString, toDate: NullableString }))
          .nullish(),
      }),
    ),
  }),
  scopes: ['api:stats:user-actions'],
  pagination: { itemsKey: 'usersAggregateActivity' },
  emptyOn404Messages: NO_RESULTS_404.stats,
  semantics: 'read',
  timeoutMs: 300_000,
  retry: DEFAULT_READ_RETRY,
  example: { filter: { fromDate: '2024-01-01', toDate: '2024-04-01' }, aggregationPeriod: 'MONTH' },
  source: 'openapi-2024-11',
  notes: statsNotes,
} satisfies GongActionDefinition;

export const dayByDayActivity = {
  name: 'gong.stats.activity.day-by-day',
  summary: "Each user's daily activity as lists of call IDs, for users active in the date range.",
  method: 'POST',
  path: '/v2/stats/activity/day-by-day',
  inputIn: 'body',
  input: z.strictObject({ filter: UsersWithDatesFilter, ...PaginationControls }),
  response: z.looseObject({
    requestId: RequestId,
    records: PageRecords,
    usersDetailedActivities: z.array(
      z.looseObject({
        userId: GongId,
        userEmailAddress: NullableString,
        userDailyActivityStats: z
          .array(z.looseObject({ ...dailyCallLists, fromDate: NullableString, toDate: NullableString }))
          .nullish(),
      }),
    ),
  }),
  scopes: ['api:stats:user-actions:detailed'],
  pagination: { itemsKey: 'usersDetailedActivities' },
  emptyOn404Messages: NO_RESULTS_404.stats,
  semantics: 'read',
  timeoutMs: 300_000,
  retry: DEFAULT_READ_RETRY,
  example: { filter: { fromDate: '2024-05-01', toDate: '2024-05-08', userIds: ['234599484848423'] } },
  source: 'openapi-2024-11',
  notes: statsNotes,
} satisfies GongActionDefinition;

export const answeredScorecards = {
  name: 'gong.stats.activity.scorecards',
  summary: 'Answered scorecards, by call date, review date, scorecard or reviewed user.',
  method: 'POST',
  path: '/v2/stats/activity/scorecards',
  inputIn: 'body',
  input: z.strictObject({
    filter: z
      .strictObject({
        callFromDate: IsoDateInput.optional().describe('Calls on or after this day (company time zone).'),
        callToDate: IsoDateInput.optional().describe('Calls before this day (exclusive).'),
        reviewFromDate: IsoDateInput.optional().describe('Reviews on or after this day.'),
        reviewToDate: IsoDateInput.optional().describe('Reviews before this day (exclusive).'),
        reviewedUserIds: z
          .array(GongId)
          .min(1)
          .optional()
          .describe('Only these reviewed users (call hosts).'),
        scorecardIds: z.array(GongId).min(1).optional().describe('Only these scorecards.'),
      })
      .describe('Which answered scorecards. `{}` means all.'),
    ...PaginationControls,
  }),
  response: z.looseObject({
    requestId: RequestId,
    records: PageRecords,
    answeredScorecards: z.array(
      z.looseObject({
        answeredScorecardId: GongNumericId,
        scorecardId: GongNumericId.nullish(),
        scorecardName: NullableString,
        callId: GongNumericId.nullish(),
        callStartTime: NullableString,
        reviewedUserId: GongNumericId.nullish(),
        reviewerUserId: GongNumericId.nullish(),
        reviewTime: NullableString,
        visibilityType: NullableString,
        answers: z
          .array(
            z.looseObject({
              questionId: GongNumericId.nullish(),
              questionRevisionId: GongNumericId.nullish(),
              isOverall: NullableBoolean,
              score: NullableNumber,
              answerText: NullableString,
              notApplicable: NullableBoolean,
              selectedOptions: NullableStringArray,
            }),
          )
          .nullish(),
      }),
    ),
  }),
  scopes: ['api:stats:scorecards'],
  pagination: { itemsKey: 'answeredScorecards' },
  emptyOn404Messages: NO_RESULTS_404.scorecards,
  semantics: 'read',
  timeoutMs: 300_000,
  retry: DEFAULT_READ_RETRY,
  example: { filter: { reviewFromDate: '2024-04-01', reviewToDate: '2024-05-01' } },
  source: 'openapi-2024-11',
  notes: 'IDs in this response are JSON numbers (int64): gongflow keeps those above 2^53 as digit strings.',
} satisfies GongActionDefinition;

export const interactionStats = {
  name: 'gong.stats.interaction',
  summary:
    'Interaction stats per user (longest monologue, interactivity, patience, question rate) for calls with Whisper.',
  method: 'POST',
  path: '/v2/stats/interaction',
  inputIn: 'body',
  input: z.strictObject({ filter: UsersWithDatesFilter, ...PaginationControls }),
  response: z.looseObject({
    requestId: RequestId,
    records: PageRecords,
    peopleInteractionStats: z.array(
      z.looseObject({
        userId: GongId,
        userEmailAddress: NullableString,
        personInteractionStats: z.array(z.looseObject({ name: z.string(), value: NullableNumber })).nullish(),
      }),
    ),
    ...periodFields,
  }),
  scopes: ['api:stats:interaction'],
  pagination: { itemsKey: 'peopleInteractionStats' },
  emptyOn404Messages: NO_RESULTS_404.stats,
  semantics: 'read',
  timeoutMs: 300_000,
  retry: DEFAULT_READ_RETRY,
  example: { filter: { fromDate: '2024-04-01', toDate: '2024-05-01' } },
  source: 'openapi-2024-11',
  notes: statsNotes,
} satisfies GongActionDefinition;

export const statsActions = [
  aggregateActivity,
  aggregateActivityByPeriod,
  dayByDayActivity,
  answeredScorecards,
  interactionStats,
];
