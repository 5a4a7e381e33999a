import { z } from 'zod';
import { GONG_MESSAGES, GongApiError, notFound } from '../core/api-error';
import { isoTime } from '../core/clock';
import { addCall, callById, isProcessed, userByEmail, userById, type CompanyState } from '../core/company';
import type { CallRecord } from '../core/model';
import { buildCall } from '../seed/calls';
import { callDataView, type ContentSelector } from './call-data';
import { defineOperations, type OperationContext } from './operation';
import { paginate } from './paging';
import { parseBody, parseTime } from './validation';
import { callBasicView } from './views';

const CALL_ID = /^\d{1,20}$/;

/**
 * GET /v2/calls filters on the scheduled time of web conferences and the start time of other calls;
 * /v2/calls/extensive and /v2/calls/transcript on the start time (Gong's documented semantics).
 */
function listDate(call: CallRecord): number {
  return call.direction === 'Conference' && call.scheduled !== null ? call.scheduled : call.started;
}

function visibleCalls(ctx: OperationContext): CallRecord[] {
  return ctx.company.calls.filter((call) => isProcessed(call, ctx.now));
}

function inRange(time: number, from: number | undefined, to: number | undefined): boolean {
  return (from === undefined || time >= from) && (to === undefined || time < to);
}

/** Sibling paths under /v2/calls that exist for other methods: GET on them is a wrong method, not an ID. */
const CALL_SUBPATHS = new Set(['extensive', 'transcript', 'users-access']);

function findVisibleCall(ctx: OperationContext, id: string): CallRecord {
  if (CALL_SUBPATHS.has(id)) throw new GongApiError(405, GONG_MESSAGES.methodNotAllowed);
  if (!CALL_ID.test(id)) throw new GongApiError(400, `Invalid call ID: ${id}`);
  const call = callById(ctx.company, id);
  if (!call || !isProcessed(call, ctx.now)) throw notFound(`Call ID ${id} was not found`);
  return call;
}

const CallsFilter = z.looseObject({
  fromDateTime: z.string().nullish(),
  toDateTime: z.string().nullish(),
  workspaceId: z.string().nullish(),
  callIds: z.array(z.string()).nullish(),
  primaryUserIds: z.array(z.string()).nullish(),
});

const ExtensiveBody = z.looseObject({
  cursor: z.string().nullish(),
  filter: CallsFilter,
  contentSelector: z
    .looseObject({
      context: z.enum(['None', 'Basic', 'Extended']).nullish(),
      contextTiming: z.array(z.enum(['Now', 'TimeOfCall'])).nullish(),
      exposedFields: z.looseObject({}).nullish(),
    })
    .nullish(),
});

const TranscriptBody = z.looseObject({ cursor: z.string().nullish(), filter: CallsFilter });

function filterCalls(ctx: OperationContext, filter: z.infer<typeof CallsFilter>): CallRecord[] {
  const from = parseTime(filter.fromDateTime, 'fromDateTime');
  const to = parseTime(filter.toDateTime, 'toDateTime');
  if (filter.callIds && !filter.callIds.length) throw new GongApiError(400, 'callIds must not be empty');
  const ids = filter.callIds ? new Set(filter.callIds) : null;
  const owners = filter.primaryUserIds?.length ? new Set(filter.primaryUserIds) : null;
  return visibleCalls(ctx).filter(
    (call) =>
      inRange(call.started, from, to) &&
      (!filter.workspaceId || call.workspaceId === filter.workspaceId) &&
      (!ids || ids.has(call.id)) &&
      (!owners || owners.has(call.primaryUserId)),
  );
}

const Party = z.looseObject({
  phoneNumber: z.string().nullish(),
  emailAddress: z.string().nullish(),
  name: z.string().nullish(),
  partyId: z.string().nullish(),
  mediaChannelId: z.number().int().nullish(),
  userId: z.string().nullish(),
});

const NewCallBody = z.looseObject({
  clientUniqueId: z.string().min(1),
  title: z.string().nullish(),
  purpose: z.string().max(255).nullish(),
  scheduledStart: z.string().nullish(),
  scheduledEnd: z.string().nullish(),
  actualStart: z.string(),
  duration: z.number().nonnegative().nullish(),
  parties: z.array(Party).min(1),
  direction: z.enum(['Inbound', 'Outbound', 'Conference', 'Unknown']),
  disposition: z.string().max(255).nullish(),
  customData: z.string().nullish(),
  meetingUrl: z.string().nullish(),
  callProviderCode: z.string().nullish(),
  downloadMediaUrl: z.string().nullish(),
  workspaceId: z.string().nullish(),
  languageCode: z.string().nullish(),
  primaryUser: z.string(),
});

function createCallFromRequest(ctx: OperationContext, body: z.infer<typeof NewCallBody>): CallRecord {
  const company = ctx.company;
  const started = parseTime(body.actualStart, 'actualStart');
  if (started === undefined) throw new GongApiError(400, 'actualStart is required');
  const primary = userById(company, body.primaryUser);
  if (!primary) throw new GongApiError(400, `primaryUser ${body.primaryUser} is not a user of the company`);
  if (!body.parties.some((party) => party.userId === body.primaryUser))
    throw new GongApiError(400, 'The primary user must be one of the parties');
  if (company.calls.some((call) => call.clientUniqueId === body.clientUniqueId))
    throw new GongApiError(409, `A call with clientUniqueId ${body.clientUniqueId} already exists`);
  if (body.downloadMediaUrl && company.calls.some((call) => call.downloadMediaUrl === body.downloadMediaUrl))
    throw new GongApiError(409, 'downloadMediaUrl was already used by another call');
  if (body.workspaceId && !company.workspaces.some((workspace) => workspace.id === body.workspaceId))
    throw new GongApiError(400, `Unknown workspaceId ${body.workspaceId}`);
  const colleagues = body.parties
    .filter((party) => party.userId !== body.primaryUser)
    .map((party) =>
      party.userId
        ? userById(company, party.userId)
        : party.emailAddress
          ? userByEmail(company, party.emailAddress)
          : undefined,
    )
    .filter((user) => user !== undefined);
  const externals = body.parties
    .filter((party) => {
      if (party.userId) return false;
      return !(party.emailAddress && userByEmail(company, party.emailAddress));
    })
    .map((party) => ({
      name: party.name ?? null,
      emailAddress: party.emailAddress ?? null,
      title: null,
      phoneNumber: party.phoneNumber ?? null,
    }));
  const durationSeconds = Math.round(body.duration ?? 0);
  const scheduled = parseTime(body.scheduledStart, 'scheduledStart');
  const call = buildCall(
    {
      id: company.ids.numericId(19),
      title: body.title ?? '',
      started,
      durationSeconds,
      primaryUser: primary,
      colleagues,
      externals,
      direction: body.direction,
      system: body.callProviderCode ?? 'API',
      media: 'Audio',
      workspaceId: body.workspaceId ?? company.workspaces[0]?.id ?? '',
      // Without media Gong has nothing to process: the call stays invisible until media arrives.
      processedAt: body.downloadMediaUrl
        ? Math.max(ctx.now, started + durationSeconds * 1000) + company.processingDelayMs
        : Number.POSITIVE_INFINITY,
      isPrivate: false,
      accountName: null,
      outcome: null,
      clientUniqueId: body.clientUniqueId,
      customData: body.customData ?? null,
      purpose: body.purpose ?? null,
      meetingUrl: body.meetingUrl ?? null,
      scheduled: scheduled ?? null,
      language: body.languageCode ?? 'eng',
    },
    company.ids,
  );
  call.sdrDisposition = body.disposition ?? null;
  call.mediaUploaded = false;
  call.downloadMediaUrl = body.downloadMediaUrl ?? null;
  addCall(company, call);
  return call;
}

function mediaProcessedAt(company: CompanyState, call: CallRecord, now: number): number {
  return Math.max(now, call.started + call.duration * 1000) + company.processingDelayMs;
}

const AccessList = z.looseObject({
  callAccessList: z.array(z.looseObject({ callId: z.string(), userIds: z.array(z.string()) })).min(1),
});

function checkAccessList(
  ctx: OperationContext,
  list: z.infer<typeof AccessList>['callAccessList'],
): CallRecord[] {
  const calls = list.map((entry) => callById(ctx.company, entry.callId));
  if (calls.some((call) => !call)) throw new GongApiError(400, 'Some calls not found');
  if (list.some((entry) => entry.userIds.some((id) => !userById(ctx.company, id))))
    throw new GongApiError(400, 'Some users not found');
  return calls.filter((call) => call !== undefined);
}

export const callsOperations = defineOperations(
  {
    method: 'GET',
    path: '/v2/calls',
    scope: 'api:calls:read:basic',
    handle(ctx) {
      const from = parseTime(ctx.query['fromDateTime'], 'fromDateTime');
      const to = parseTime(ctx.query['toDateTime'], 'toDateTime');
      const workspaceId = ctx.query['workspaceId'];
      const calls = visibleCalls(ctx).filter(
        (call) => inRange(listDate(call), from, to) && (!workspaceId || call.workspaceId === workspaceId),
      );
      if (!calls.length) throw notFound(GONG_MESSAGES.noCalls);
      const page = paginate(ctx, 'calls.list', calls);
      return {
        body: { records: page.records, calls: page.items.map((call) => callBasicView(ctx.company, call)) },
      };
    },
  },
  {
    method: 'POST',
    path: '/v2/calls',
    scope: 'api:calls:create',
    handle(ctx) {
      const call = createCallFromRequest(ctx, parseBody(NewCallBody, ctx.body));
      return { body: { callId: call.id } };
    },
  },
  {
    method: 'GET',
    path: '/v2/calls/:id',
    scope: 'api:calls:read:basic',
    handle(ctx) {
      const call = findVisibleCall(ctx, ctx.params['id'] ?? '');
      return { body: { call: callBasicView(ctx.company, call) } };
    },
  },
  {
    method: 'PUT',
    path: '/v2/calls/:id/media',
    scope: 'api:calls:create',
    async handle(ctx) {
      const id = ctx.params['id'] ?? '';
      const call = callById(ctx.company, id);
      if (!call) throw notFound(`Call ID ${id} was not found`);
      if (!ctx.request.isMultipart()) throw new GongApiError(400, 'mediaFile part is missing');
      let size = 0;
      let found = false;
      for await (const part of ctx.request.parts()) {
        if (part.type === 'file') {
          const bytes = await part.toBuffer();
          if (part.fieldname === 'mediaFile') {
            found = true;
            size = bytes.length;
          }
        }
      }
      if (!found) throw new GongApiError(400, 'mediaFile part is missing');
      if (size === 0) throw new GongApiError(400, 'mediaFile is empty');
      if (call.mediaUploaded) throw new GongApiError(409, `Media was already uploaded for call ${id}`);
      call.mediaUploaded = true;
      if (!Number.isFinite(call.processedAt)) call.processedAt = mediaProcessedAt(ctx.company, call, ctx.now);
      return {
        status: 201,
        body: { callId: call.id, url: `https://${ctx.company.cell}.app.gong.io/call?id=${call.id}` },
      };
    },
  },
  {
    method: 'POST',
    path: '/v2/calls/extensive',
    scope: 'api:calls:read:extensive',
    handle(ctx) {
      const body = parseBody(ExtensiveBody, ctx.body);
      const selector = (body.contentSelector ?? null) as ContentSelector | null;
      if (selector?.contextTiming?.length && selector.context !== 'Extended')
        throw new GongApiError(400, "contextTiming is allowed only with context 'Extended'");
      const wantsMedia = selector?.exposedFields?.media === true;
      if (wantsMedia) ctx.requireScope('api:calls:read:media-url');
      const calls = filterCalls(ctx, body.filter);
      if (!calls.length) throw notFound(GONG_MESSAGES.noCalls);
      const page = paginate(ctx, 'calls.extensive', calls);
      return {
        body: {
          records: page.records,
          calls: page.items.map((call) =>
            callDataView(ctx.company, call, selector, { mediaUrls: wantsMedia, now: ctx.now }),
          ),
        },
      };
    },
  },
  {
    method: 'POST',
    path: '/v2/calls/transcript',
    scope: 'api:calls:read:transcript',
    handle(ctx) {
      const body = parseBody(TranscriptBody, ctx.body);
      const calls = filterCalls(ctx, body.filter);
      if (!calls.length) throw notFound(GONG_MESSAGES.noCalls);
      const page = paginate(ctx, 'calls.transcript', calls);
      return {
        body: {
          records: page.records,
          callTranscripts: page.items.map((call) => ({ callId: call.id, transcript: call.transcript })),
        },
      };
    },
  },
  {
    method: 'GET',
    path: '/v2/calls/manual-crm-associations',
    scope: 'api:crm-calls:manual-association:read',
    handle(ctx) {
      const from = parseTime(ctx.query['fromDateTime'], 'fromDateTime');
      const associations = ctx.company.manualAssociations
        .filter((association) => from === undefined || association.created >= from)
        .sort((a, b) => a.created - b.created);
      const page = paginate(ctx, 'calls.manual-crm-associations', associations);
      return {
        body: {
          records: page.records,
          associations: page.items.map((association) => ({
            callId: association.callId,
            userId: association.userId,
            created: isoTime(association.created),
            associatedCrmObjects: [
              { accountCrmId: association.accountCrmId, dealCrmId: association.dealCrmId },
            ],
          })),
        },
      };
    },
  },
  {
    method: 'PUT',
    path: '/v2/calls/users-access',
    scope: 'api:call-user-access:write',
    handle(ctx) {
      const body = parseBody(AccessList, ctx.body);
      const calls = checkAccessList(ctx, body.callAccessList);
      body.callAccessList.forEach((entry, index) => {
        const call = calls[index];
        if (call) call.accessUserIds = [...new Set([...call.accessUserIds, ...entry.userIds])];
      });
      return { body: {} };
    },
  },
  {
    method: 'POST',
    path: '/v2/calls/users-access',
    scope: 'api:call-user-access:read',
    handle(ctx) {
      const body = parseBody(
        z.looseObject({ filter: z.looseObject({ callIds: z.array(z.string()).min(1) }) }),
        ctx.body,
      );
      const calls = body.filter.callIds.map((id) => callById(ctx.company, id));
      if (calls.some((call) => !call)) throw new GongApiError(400, 'Some calls not found');
      return {
        body: {
          callAccessList: calls
            .filter((call) => call !== undefined)
            .map((call) => ({ callId: call.id, users: call.accessUserIds.map((userId) => ({ userId })) })),
        },
      };
    },
  },
  {
    method: 'DELETE',
    path: '/v2/calls/users-access',
    scope: 'api:call-user-access:write',
    handle(ctx) {
      const body = parseBody(AccessList, ctx.body);
      const calls = checkAccessList(ctx, body.callAccessList);
      body.callAccessList.forEach((entry, index) => {
        const call = calls[index];
        if (call) call.accessUserIds = call.accessUserIds.filter((id) => !entry.userIds.includes(id));
      });
      return { body: {} };
    },
  },
);
