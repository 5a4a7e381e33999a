import { createHash } from 'node:crypto';
import { z } from 'zod';
import { GongApiError, notFound } from '../core/api-error';
import { DAY, isoTime } from '../core/clock';
import { isProcessed } from '../core/company';
import { jsonNumber } from '../core/json';
import type { CallRecord, UserRecord } from '../core/model';
import { defineOperations, type OperationContext } from './operation';
import { paginate } from './paging';
import { parseBody, parseTime } from './validation';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

const UsersWithDates = z.looseObject({
  fromDate: z.string(),
  toDate: z.string(),
  createdFromDateTime: z.string().nullish(),
  createdToDateTime: z.string().nullish(),
  userIds: z.array(z.string()).nullish(),
});

const StatsBody = z.looseObject({ cursor: z.string().nullish(), filter: UsersWithDates });

const ACTIVITY_KEYS = [
  'callsAsHost',
  'callsGaveFeedback',
  'callsRequestedFeedback',
  'callsReceivedFeedback',
  'ownCallsListenedTo',
  'othersCallsListenedTo',
  'callsSharedInternally',
  'callsSharedExternally',
  'callsScorecardsFilled',
  'callsScorecardsReceived',
  'callsAttended',
  'callsCommentsGiven',
  'callsCommentsReceived',
  'callsMarkedAsFeedbackGiven',
  'callsMarkedAsFeedbackReceived',
] as const;

function parseDay(value: string, name: string): number {
  if (!DATE.test(value))
    throw new GongApiError(400, `${name} must be a date in the format YYYY-MM-DD, got ${value}`);
  const ms = Date.parse(`${value}T00:00:00Z`);
  if (Number.isNaN(ms)) throw new GongApiError(400, `${name} is not a valid date: ${value}`);
  return ms;
}

function dayString(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** The period of a stats request, in the company's time zone (UTC in the emulator), `toDate` exclusive. */
function statsPeriod(
  ctx: OperationContext,
  filter: z.infer<typeof UsersWithDates>,
): { from: number; to: number } {
  const from = parseDay(filter.fromDate, 'fromDate');
  const to = parseDay(filter.toDate, 'toDate');
  const tomorrow = Math.floor(ctx.now / DAY) * DAY + DAY;
  if (to > tomorrow) throw new GongApiError(400, 'toDate cannot be later than today');
  if (from >= to) throw new GongApiError(400, 'fromDate must be before toDate');
  return { from, to };
}

function statsUsers(ctx: OperationContext, filter: z.infer<typeof UsersWithDates>): UserRecord[] {
  const createdFrom = parseTime(filter.createdFromDateTime, 'createdFromDateTime');
  const createdTo = parseTime(filter.createdToDateTime, 'createdToDateTime');
  const ids = filter.userIds?.length ? new Set(filter.userIds) : null;
  if (ids && [...ids].some((id) => !ctx.company.users.some((user) => user.id === id)))
    throw notFound('User not found');
  return ctx.company.users.filter(
    (user) =>
      !user.isAvatar &&
      (!ids || ids.has(user.id)) &&
      (createdFrom === undefined || user.created >= createdFrom) &&
      (createdTo === undefined || user.created < createdTo),
  );
}

/** Stable pseudo-random counter so listening/feedback stats look real and never change between runs. */
function derived(seed: string, max: number): number {
  return createHash('sha1').update(seed).digest().readUInt16BE(0) % (max + 1);
}

function callsOf(ctx: OperationContext, user: UserRecord, from: number, to: number) {
  const calls = ctx.company.calls.filter(
    (call) => isProcessed(call, ctx.now) && call.started >= from && call.started < to,
  );
  return {
    hosted: calls.filter((call) => call.primaryUserId === user.id),
    attended: calls.filter(
      (call) => call.primaryUserId !== user.id && call.parties.some((party) => party.userId === user.id),
    ),
  };
}

function lists(ctx: OperationContext, user: UserRecord, from: number, to: number): Record<string, string[]> {
  const { hosted, attended } = callsOf(ctx, user, from, to);
  const pickSome = (calls: CallRecord[], key: string) =>
    calls.filter((call) => derived(`${user.id}:${call.id}:${key}`, 3) === 0).map((call) => call.id);
  const result: Record<string, string[]> = {};
  for (const key of ACTIVITY_KEYS) result[key] = pickSome(hosted, key);
  result['callsAsHost'] = hosted.map((call) => call.id);
  result['callsAttended'] = attended.map((call) => call.id);
  return result;
}

function counters(ctx: OperationContext, user: UserRecord, from: number, to: number): Record<string, number> {
  const result: Record<string, number> = {};
  for (const [key, ids] of Object.entries(lists(ctx, user, from, to))) result[key] = ids.length;
  return result;
}

function periodStart(ms: number, period: string): number {
  const date = new Date(ms);
  const year = date.getUTCFullYear();
  const month = date.getUTCMonth();
  switch (period) {
    case 'WEEK':
      return ms - ((date.getUTCDay() + 6) % 7) * DAY;
    case 'MONTH':
      return Date.UTC(year, month, 1);
    case 'QUARTER':
      return Date.UTC(year, month - (month % 3), 1);
    case 'YEAR':
      return Date.UTC(year, 0, 1);
    default:
      return ms;
  }
}

function nextPeriod(start: number, period: string): number {
  const date = new Date(start);
  switch (period) {
    case 'WEEK':
      return start + 7 * DAY;
    case 'MONTH':
      return Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1);
    case 'QUARTER':
      return Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 3, 1);
    case 'YEAR':
      return Date.UTC(date.getUTCFullYear() + 1, 0, 1);
    default:
      return start + DAY;
  }
}

function periodFields(ctx: OperationContext, from: number, to: number) {
  return { timeZone: ctx.company.timeZone, fromDateTime: isoTime(from), toDateTime: isoTime(to) };
}

export const statsOperations = defineOperations(
  {
    method: 'POST',
    path: '/v2/stats/activity/aggregate',
    scope: 'api:stats:user-actions',
    handle(ctx) {
      const body = parseBody(StatsBody, ctx.body);
      const { from, to } = statsPeriod(ctx, body.filter);
      const users = statsUsers(ctx, body.filter);
      if (!users.length) throw notFound('No users found corresponding to the provided filters');
      const page = paginate(ctx, 'stats.aggregate', users);
      return {
        body: {
          records: page.records,
          usersAggregateActivityStats: page.items.map((user) => ({
            userId: user.id,
            userEmailAddress: user.emailAddress,
            userAggregateActivityStats: counters(ctx, user, from, to),
          })),
          ...periodFields(ctx, from, to),
        },
      };
    },
  },
  {
    method: 'POST',
    path: '/v2/stats/activity/aggregate-by-period',
    scope: 'api:stats:user-actions',
    handle(ctx) {
      const body = parseBody(
        StatsBody.extend({ aggregationPeriod: z.enum(['DAY', 'WEEK', 'MONTH', 'QUARTER', 'YEAR']) }),
        ctx.body,
      );
      const { from, to } = statsPeriod(ctx, body.filter);
      const users = statsUsers(ctx, body.filter);
      if (!users.length) throw notFound('No users found corresponding to the provided filters');
      const page = paginate(ctx, 'stats.aggregate-by-period', users);
      return {
        body: {
          records: page.records,
          usersAggregateActivity: page.items.map((user) => {
            const periods: Record<string, unknown>[] = [];
            for (let start = periodStart(from, body.aggregationPeriod); start < to;) {
              const end = nextPeriod(start, body.aggregationPeriod);
              const bucketFrom = Math.max(start, from);
              const bucketTo = Math.min(end, to);
              periods.push({
                ...counters(ctx, user, bucketFrom, bucketTo),
                fromDate: dayString(bucketFrom),
                toDate: dayString(bucketTo),
              });
              start = end;
            }
            return { userId: user.id, userEmailAddress: user.emailAddress, userAggregateActivity: periods };
          }),
        },
      };
    },
  },
  {
    method: 'POST',
    path: '/v2/stats/activity/day-by-day',
    scope: 'api:stats:user-actions:detailed',
    handle(ctx) {
      const body = parseBody(StatsBody, ctx.body);
      const { from, to } = statsPeriod(ctx, body.filter);
      const active = statsUsers(ctx, body.filter).filter((user) => {
        const { hosted, attended } = callsOf(ctx, user, from, to);
        return hosted.length + attended.length > 0;
      });
      if (!active.length) throw notFound('No stats found corresponding to the provided filters');
      const page = paginate(ctx, 'stats.day-by-day', active);
      return {
        body: {
          records: page.records,
          usersDetailedActivities: page.items.map((user) => {
            const days: Record<string, unknown>[] = [];
            for (let day = from; day < to; day += DAY) {
              const dayLists = lists(ctx, user, day, day + DAY);
              if (!(dayLists['callsAsHost']?.length || dayLists['callsAttended']?.length)) continue;
              days.push({ ...dayLists, fromDate: dayString(day), toDate: dayString(day + DAY) });
            }
            return { userId: user.id, userEmailAddress: user.emailAddress, userDailyActivityStats: days };
          }),
        },
      };
    },
  },
  {
    method: 'POST',
    path: '/v2/stats/activity/scorecards',
    scope: 'api:stats:scorecards',
    handle(ctx) {
      const body = parseBody(
        z.looseObject({
          cursor: z.string().nullish(),
          filter: z.looseObject({
            callFromDate: z.string().nullish(),
            callToDate: z.string().nullish(),
            reviewFromDate: z.string().nullish(),
            reviewToDate: z.string().nullish(),
            reviewedUserIds: z.array(z.string()).nullish(),
            scorecardIds: z.array(z.union([z.string(), z.number()])).nullish(),
          }),
        }),
        ctx.body,
      );
      const filter = body.filter;
      const day = (value: string | null | undefined, name: string) =>
        value ? parseDay(value, name) : undefined;
      const callFrom = day(filter.callFromDate, 'callFromDate');
      const callTo = day(filter.callToDate, 'callToDate');
      const reviewFrom = day(filter.reviewFromDate, 'reviewFromDate');
      const reviewTo = day(filter.reviewToDate, 'reviewToDate');
      const reviewed = filter.reviewedUserIds?.length ? new Set(filter.reviewedUserIds) : null;
      const scorecardIds = filter.scorecardIds?.length ? new Set(filter.scorecardIds.map(String)) : null;
      const answered = ctx.company.answeredScorecards.flatMap((entry) => {
        const call = ctx.company.calls.find((candidate) => candidate.id === entry.callId);
        if (!call) return [];
        const keep =
          (callFrom === undefined || call.started >= callFrom) &&
          (callTo === undefined || call.started < callTo) &&
          (reviewFrom === undefined || entry.reviewTime >= reviewFrom) &&
          (reviewTo === undefined || entry.reviewTime < reviewTo) &&
          (!reviewed || reviewed.has(entry.reviewedUserId)) &&
          (!scorecardIds || scorecardIds.has(entry.scorecardId));
        return keep ? [{ entry, call }] : [];
      });
      if (!answered.length) throw notFound('No scorecards found corresponding to the provided filters');
      const page = paginate(ctx, 'stats.scorecards', answered);
      return {
        body: {
          records: page.records,
          answeredScorecards: page.items.map(({ entry, call }) => {
            const scorecard = ctx.company.scorecards.find(
              (candidate) => candidate.scorecardId === entry.scorecardId,
            );
            return {
              answeredScorecardId: jsonNumber(entry.answeredScorecardId),
              scorecardId: jsonNumber(entry.scorecardId),
              scorecardName: scorecard?.scorecardName ?? null,
              callId: jsonNumber(entry.callId),
              callStartTime: isoTime(call.started),
              reviewedUserId: jsonNumber(entry.reviewedUserId),
              reviewerUserId: jsonNumber(entry.reviewerUserId),
              reviewTime: isoTime(entry.reviewTime),
              visibilityType: entry.visibilityType,
              answers: entry.answers.map((answer) => ({
                questionId: jsonNumber(answer.questionId),
                questionRevisionId: jsonNumber(answer.questionRevisionId),
                isOverall: answer.isOverall,
                score: answer.score,
                answerText: null,
                notApplicable: false,
                selectedOptions: null,
              })),
            };
          }),
        },
      };
    },
  },
  {
    method: 'POST',
    path: '/v2/stats/interaction',
    scope: 'api:stats:interaction',
    handle(ctx) {
      const body = parseBody(StatsBody, ctx.body);
      const { from, to } = statsPeriod(ctx, body.filter);
      const users = statsUsers(ctx, body.filter).filter(
        (user) => callsOf(ctx, user, from, to).hosted.length > 0,
      );
      if (!users.length) throw notFound('No stats found corresponding to the provided filters');
      const page = paginate(ctx, 'stats.interaction', users);
      return {
        body: {
          records: page.records,
          peopleInteractionStats: page.items.map((user) => ({
            userId: user.id,
            userEmailAddress: user.emailAddress,
            personInteractionStats: [
              { name: 'Talk Ratio', value: 0.35 + derived(`${user.id}:talk`, 30) / 100 },
              { name: 'Longest Monologue', value: 40 + derived(`${user.id}:mono`, 120) },
              { name: 'Longest Customer Story', value: 20 + derived(`${user.id}:story`, 90) },
              { name: 'Interactivity', value: 3 + derived(`${user.id}:inter`, 50) / 10 },
              { name: 'Patience', value: 0.5 + derived(`${user.id}:pat`, 150) / 100 },
              { name: 'Question Rate', value: 5 + derived(`${user.id}:q`, 150) / 10 },
            ],
          })),
          ...periodFields(ctx, from, to),
        },
      };
    },
  },
);
