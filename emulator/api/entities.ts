import { GongApiError } from '../core/api-error';
import { DAY } from '../core/clock';
import { isProcessed } from '../core/company';
import type { CallRecord } from '../core/model';
import { defineOperations, type OperationContext } from './operation';
import { parseTime, requireQuery } from './validation';

const ENTITY_TYPES = ['ACCOUNT', 'CONTACT', 'DEAL', 'LEAD'];
const PERIOD_DAYS: Record<string, number> = {
  LAST_7DAYS: 7,
  LAST_30DAYS: 30,
  LAST_90DAYS: 90,
  LAST_90_DAYS_SINCE_LAST_ACTIVITY: 90,
  LAST_YEAR_SINCE_LAST_ACTIVITY: 365,
  LAST_YEAR: 365,
  THIS_WEEK: 7,
  THIS_MONTH: 31,
  THIS_YEAR: 366,
  THIS_QUARTER: 92,
  ALL_CONVERSATIONS: 100_000,
};

/** The calls of a CRM entity in the requested period (AI endpoints read at most 60 of them). */
function entityCalls(ctx: OperationContext): CallRecord[] {
  const workspaceId = requireQuery(ctx.query, 'workspaceId');
  if (!ctx.company.workspaces.some((workspace) => workspace.id === workspaceId))
    throw new GongApiError(400, `Workspace ${workspaceId} does not exist`);
  const type = requireQuery(ctx.query, 'crmEntityType');
  if (!ENTITY_TYPES.includes(type))
    throw new GongApiError(400, `crmEntityType must be one of ${ENTITY_TYPES.join(', ')}`);
  const entityId = requireQuery(ctx.query, 'crmEntityId');
  const period = requireQuery(ctx.query, 'timePeriod');
  let from: number;
  let to = ctx.now;
  if (period === 'CUSTOM_RANGE') {
    const start = parseTime(ctx.query['fromDateTime'], 'fromDateTime');
    if (start === undefined)
      throw new GongApiError(400, 'fromDateTime is required when timePeriod is CUSTOM_RANGE');
    from = start;
    to = parseTime(ctx.query['toDateTime'], 'toDateTime') ?? ctx.now;
  } else {
    const days = PERIOD_DAYS[period];
    if (days === undefined) throw new GongApiError(400, `Unknown timePeriod ${period}`);
    from = ctx.now - days * DAY;
  }
  return ctx.company.calls
    .filter(
      (call) =>
        isProcessed(call, ctx.now) &&
        call.started >= from &&
        call.started < to &&
        (type === 'ACCOUNT'
          ? call.accountCrmId === entityId
          : type === 'DEAL'
            ? call.dealCrmId === entityId
            : call.parties.some((party) => party.crmContactId === entityId)),
    )
    .slice(-60);
}

function emailsSearched(ctx: OperationContext, calls: CallRecord[]): number {
  return Math.min(500, calls.length * 3 + (ctx.company.emails.length % 7));
}

export const entitiesOperations = defineOperations(
  {
    method: 'GET',
    path: '/v2/entities/get-brief',
    scope: 'api:ai-briefer:read',
    handle(ctx) {
      requireQuery(ctx.query, 'briefName');
      const calls = entityCalls(ctx);
      const topics = [...new Set(calls.flatMap((call) => call.topics.map((topic) => topic.name)))];
      return {
        body: {
          numOfCallsSearched: calls.length,
          numOfEmailsSearched: emailsSearched(ctx, calls),
          // Gong documents no section field beyond title: `body` is an emulator extra so briefs have content.
          briefSections: [
            {
              title: 'Summary',
              body: calls.length
                ? `${String(calls.length)} conversations; last one: ${calls[calls.length - 1]?.title ?? ''}.`
                : 'No conversations in this period.',
            },
            { title: 'Key topics', body: topics.join(', ') || 'None' },
            {
              title: 'Next steps',
              body:
                calls
                  .flatMap((call) => call.keyPoints)
                  .slice(0, 3)
                  .join(' ') || 'None',
            },
          ],
        },
      };
    },
  },
  {
    method: 'GET',
    path: '/v2/entities/ask-entity',
    scope: null,
    handle(ctx) {
      requireQuery(ctx.query, 'question');
      const calls = entityCalls(ctx);
      return {
        body: {
          numOfCallsSearched: calls.length,
          numOfEmailsSearched: emailsSearched(ctx, calls),
          answer: calls.length
            ? `Based on ${String(calls.length)} calls: ${calls[calls.length - 1]?.brief ?? ''}`
            : 'There are no conversations with this entity in the selected period.',
        },
      };
    },
  },
);
