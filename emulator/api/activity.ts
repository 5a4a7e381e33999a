import { GongApiError, notFound } from '../core/api-error';
import { isoTime } from '../core/clock';
import { fullName, isProcessed, userById } from '../core/company';
import type { UserRecord } from '../core/model';
import { defineOperations } from './operation';
import { paginate } from './paging';
import { parseTime, requireQuery } from './validation';

const LOG_TYPES = [
  'AccessLog',
  'UserActivityLog',
  'UserCallPlay',
  'ExternallySharedCallAccess',
  'ExternallySharedCallPlay',
];

function coachingUser(user: UserRecord) {
  return {
    id: user.id,
    emailAddress: user.emailAddress,
    firstName: user.firstName,
    lastName: user.lastName,
    title: user.title,
  };
}

/** Audit logs and coaching metrics. */
export const activityOperations = defineOperations(
  {
    method: 'GET',
    path: '/v2/logs',
    scope: 'api:logs:read',
    handle(ctx) {
      const logType = requireQuery(ctx.query, 'logType');
      if (!LOG_TYPES.includes(logType))
        throw new GongApiError(400, `logType must be one of ${LOG_TYPES.join(', ')}`);
      const from = parseTime(requireQuery(ctx.query, 'fromDateTime'), 'fromDateTime') ?? 0;
      const to = parseTime(ctx.query['toDateTime'], 'toDateTime');
      const entries = ctx.company.logs.filter(
        (entry) =>
          entry.logType === logType && entry.eventTime >= from && (to === undefined || entry.eventTime < to),
      );
      const page = paginate(ctx, `logs.${logType}`, entries);
      return {
        body: {
          records: page.records,
          logEntries: page.items.map((entry) => {
            const user = userById(ctx.company, entry.userId);
            // No impersonator* fields: real Gong leaves them out rather than sending nulls (recorded).
            return {
              userId: entry.userId,
              userEmailAddress: user?.emailAddress ?? null,
              userFullName: user ? fullName(user) : null,
              eventTime: isoTime(entry.eventTime),
              logRecord: entry.logRecord,
            };
          }),
        },
      };
    },
  },
  {
    method: 'GET',
    path: '/v2/coaching',
    scope: 'api:coaching:read',
    handle(ctx) {
      const workspaceId = requireQuery(ctx.query, 'workspace-id');
      const managerId = requireQuery(ctx.query, 'manager-id');
      const from = parseTime(requireQuery(ctx.query, 'from'), 'from') ?? 0;
      const to = parseTime(requireQuery(ctx.query, 'to'), 'to') ?? ctx.now;
      if (!ctx.company.workspaces.some((workspace) => workspace.id === workspaceId))
        throw new GongApiError(400, `Workspace ${workspaceId} does not exist`);
      const manager = userById(ctx.company, managerId);
      if (!manager) throw notFound(`User ${managerId} was not found`);
      const reports = ctx.company.users.filter(
        (user) => user.managerId === manager.id && user.id !== manager.id,
      );
      const calls = ctx.company.calls.filter(
        (call) => isProcessed(call, ctx.now) && call.started >= from && call.started < to,
      );
      return {
        body: {
          coachingData: [
            {
              manager: coachingUser(manager),
              directReportsMetrics: reports.map((report) => {
                const hosted = calls.filter((call) => call.primaryUserId === report.id);
                const reviewed = ctx.company.answeredScorecards.filter(
                  (entry) => entry.reviewedUserId === report.id && entry.reviewerUserId === manager.id,
                );
                return {
                  report: coachingUser(report),
                  metrics: {
                    callsListenedTo: hosted.filter((_, index) => index % 3 === 0).map((call) => call.id),
                    callsAttended: hosted
                      .filter((call) => call.parties.some((p) => p.userId === manager.id))
                      .map((call) => call.id),
                    callsWithFeedback: hosted
                      .filter((call) => call.comments.length > 0)
                      .map((call) => call.id),
                    callsWithComments: hosted
                      .filter((call) => call.comments.length > 0)
                      .map((call) => call.id),
                    callsScored: reviewed.map((entry) => entry.callId),
                  },
                };
              }),
            },
          ],
        },
      };
    },
  },
);
