import { request as httpRequest } from 'node:http';
import { GONG_ACTIONS } from '../../gong/catalog';
import { DELIBERATE_DIFFERENCES, emulatorExtras } from '../../gong/catalog/differences';
import type { GongEmulator } from '../../emulator';
import { basicAuth, parseLossless, startTestEmulator, type GongClient, type HttpAnswer } from './client';
import { undescribedFields } from './strict-shape';

/**
 * Every operation of gongflow's Gong catalog, called on the emulator through HTTP; each answer must
 * satisfy the catalog's own response schema for that operation, strictly: the schemas are loose (Gong adds
 * fields and a new one must never fail a run), so the emulator may send no field they do not describe, except
 * the few documented emulator extras of gong/catalog/differences.ts.
 */

interface Fixture {
  userId: string;
  userEmail: string;
  managerId: string;
  workspaceId: string;
  callId: string;
  accountCrmId: string;
  dealCrmId: string;
  contactEmail: string;
  contactPhone: string;
  folderId: string;
  flowId: string;
  flowInstanceId: string;
  taskId: string;
  taskUserId: string;
  profileId: string;
  integrationId: string;
  meetingId: string;
  bulkAssignmentId: string;
  newCallId: string;
}

type Case = {
  status: number;
  run: (api: GongClient, f: Fixture, emulator: GongEmulator) => Promise<HttpAnswer>;
};

const today = (emulator: GongEmulator) => emulator.admin.now().slice(0, 10);
const daysAgo = (emulator: GongEmulator, days: number) =>
  new Date(Date.parse(emulator.admin.now()) - days * 86_400_000).toISOString().slice(0, 10);

/** GET with a JSON body (only /v2/crm/entities needs it): fetch refuses that, node:http does not. */
function getWithBody(url: string, auth: string, body: string): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      url,
      {
        method: 'GET',
        headers: {
          authorization: auth,
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          const headers = new Headers();
          for (const [name, value] of Object.entries(res.headers))
            if (typeof value === 'string') headers.set(name, value);
          resolve({
            status: res.statusCode ?? 0,
            headers,
            text,
            json: parseLossless(text) as HttpAnswer['json'],
          });
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

async function multipart(
  url: string,
  auth: string,
  method: string,
  field: string,
  content: string,
  fileName: string,
) {
  const form = new FormData();
  form.append(field, new Blob([content]), fileName);
  const response = await fetch(url, { method, headers: { authorization: auth }, body: form });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    text,
    json: parseLossless(text) as HttpAnswer['json'],
  };
}

const CASES: Record<string, Case> = {
  'gong.calls.list': {
    status: 200,
    run: (api) => api.get('/v2/calls', { fromDateTime: '2025-01-01T00:00:00Z' }),
  },
  'gong.calls.get': { status: 200, run: (api, f) => api.get(`/v2/calls/${f.callId}`) },
  'gong.calls.create': {
    status: 200,
    run: (api, f) =>
      api.post('/v2/calls', {
        clientUniqueId: 'pbx-000123',
        actualStart: '2026-03-02T13:00:00Z',
        direction: 'Outbound',
        primaryUser: f.userId,
        parties: [
          { userId: f.userId, emailAddress: f.userEmail },
          { name: 'Arya Stark', phoneNumber: '+1 425 555 2671' },
        ],
        title: 'Discovery call with Winterfell Logistics',
        duration: 1834,
      }),
  },
  'gong.calls.media.upload': {
    status: 201,
    run: (_api, f, emulator) =>
      multipart(
        `${emulator.defaultCompany.apiBaseUrl}/v2/calls/${f.newCallId}/media`,
        basicAuth(emulator.defaultCompany.accessKey, emulator.defaultCompany.accessKeySecret),
        'PUT',
        'mediaFile',
        'ID3 fake mp3 bytes',
        'call.mp3',
      ),
  },
  'gong.calls.extensive': {
    status: 200,
    run: (api) =>
      api.post('/v2/calls/extensive', {
        filter: { fromDateTime: '2026-01-01T00:00:00Z' },
        contentSelector: {
          context: 'Extended',
          contextTiming: ['TimeOfCall'],
          exposedFields: {
            parties: true,
            media: true,
            content: {
              brief: true,
              keyPoints: true,
              trackers: true,
              trackerOccurrences: true,
              callOutcome: true,
              topics: true,
              structure: true,
              outline: true,
              highlights: true,
              pointsOfInterest: true,
            },
            interaction: { speakers: true, video: true, personInteractionStats: true, questions: true },
            collaboration: { publicComments: true },
          },
        },
      }),
  },
  'gong.calls.transcripts': {
    status: 200,
    run: (api, f) => api.post('/v2/calls/transcript', { filter: { callIds: [f.callId] } }),
  },
  'gong.calls.manual-crm-associations.list': {
    status: 200,
    run: (api) => api.get('/v2/calls/manual-crm-associations', { fromDateTime: '2025-01-01T00:00:00Z' }),
  },
  'gong.calls.users-access.add': {
    status: 200,
    run: (api, f) =>
      api.put('/v2/calls/users-access', { callAccessList: [{ callId: f.callId, userIds: [f.managerId] }] }),
  },
  'gong.calls.users-access.list': {
    status: 200,
    run: (api, f) => api.post('/v2/calls/users-access', { filter: { callIds: [f.callId] } }),
  },
  'gong.calls.users-access.remove': {
    status: 200,
    run: (api, f) =>
      api.delete('/v2/calls/users-access', {
        callAccessList: [{ callId: f.callId, userIds: [f.managerId] }],
      }),
  },
  'gong.call-outcomes.list': { status: 200, run: (api) => api.get('/v2/call-outcomes') },
  'gong.users.list': { status: 200, run: (api) => api.get('/v2/users') },
  'gong.users.get': { status: 200, run: (api, f) => api.get(`/v2/users/${f.userId}`) },
  'gong.users.settings-history.get': {
    status: 200,
    run: (api, f) => api.get(`/v2/users/${f.userId}/settings-history`),
  },
  'gong.users.extensive': {
    status: 200,
    run: (api) =>
      api.post('/v2/users/extensive', { filter: { createdFromDateTime: '2020-01-01T00:00:00Z' } }),
  },
  'gong.stats.activity.aggregate': {
    status: 200,
    run: (api, _f, e) =>
      api.post('/v2/stats/activity/aggregate', { filter: { fromDate: daysAgo(e, 30), toDate: today(e) } }),
  },
  'gong.stats.activity.aggregate-by-period': {
    status: 200,
    run: (api, _f, e) =>
      api.post('/v2/stats/activity/aggregate-by-period', {
        filter: { fromDate: daysAgo(e, 60), toDate: today(e) },
        aggregationPeriod: 'MONTH',
      }),
  },
  'gong.stats.activity.day-by-day': {
    status: 200,
    run: (api, _f, e) =>
      api.post('/v2/stats/activity/day-by-day', { filter: { fromDate: daysAgo(e, 30), toDate: today(e) } }),
  },
  'gong.stats.activity.scorecards': {
    status: 200,
    run: (api) => api.post('/v2/stats/activity/scorecards', { filter: { reviewFromDate: '2025-01-01' } }),
  },
  'gong.stats.interaction': {
    status: 200,
    run: (api, _f, e) =>
      api.post('/v2/stats/interaction', { filter: { fromDate: daysAgo(e, 30), toDate: today(e) } }),
  },
  'gong.workspaces.list': { status: 200, run: (api) => api.get('/v2/workspaces') },
  'gong.settings.scorecards.list': { status: 200, run: (api) => api.get('/v2/settings/scorecards') },
  'gong.settings.trackers.list': {
    status: 200,
    run: (api, f) => api.get('/v2/settings/trackers', { workspaceId: f.workspaceId }),
  },
  'gong.library.folders.list': {
    status: 200,
    run: (api, f) => api.get('/v2/library/folders', { workspaceId: f.workspaceId }),
  },
  'gong.library.folder-content.get': {
    status: 200,
    run: (api, f) => api.get('/v2/library/folder-content', { folderId: f.folderId }),
  },
  'gong.coaching.list': {
    status: 200,
    run: (api, f) =>
      api.get('/v2/coaching', {
        'workspace-id': f.workspaceId,
        'manager-id': f.managerId,
        from: '2025-12-01T00:00:00Z',
        to: '2026-03-01T00:00:00Z',
      }),
  },
  'gong.logs.list': {
    status: 200,
    run: (api) => api.get('/v2/logs', { logType: 'UserActivityLog', fromDateTime: '2026-01-01T00:00:00Z' }),
  },
  'gong.meetings.create': {
    status: 200,
    run: (api, f) =>
      api.post('/v2/meetings', {
        startTime: '2026-03-10T16:00:00Z',
        endTime: '2026-03-10T16:30:00Z',
        title: 'Pricing review',
        invitees: [{ email: f.contactEmail, displayName: 'Customer' }],
        organizerEmail: f.userEmail,
      }),
  },
  'gong.meetings.update': {
    status: 200,
    run: (api, f) =>
      api.put(`/v2/meetings/${f.meetingId}`, {
        startTime: '2026-03-10T17:00:00Z',
        endTime: '2026-03-10T17:30:00Z',
        title: 'Pricing review (moved)',
        invitees: [{ email: f.contactEmail }],
        organizerEmail: f.userEmail,
      }),
  },
  'gong.meetings.delete': {
    status: 200,
    run: (api, f) => api.delete(`/v2/meetings/${f.meetingId}`, { organizerEmail: f.userEmail }),
  },
  'gong.meetings.integration.status': {
    status: 200,
    run: (api, f) =>
      api.post('/v2/meetings/integration/status', { emails: [f.userEmail, 'nobody@nowhere.example'] }),
  },
  'gong.crm.integrations.register': {
    status: 200,
    run: (api, f) => api.put('/v2/crm/integrations', { ownerEmail: f.userEmail, name: 'In-house CRM' }),
  },
  'gong.crm.integrations.list': { status: 200, run: (api) => api.get('/v2/crm/integrations') },
  'gong.crm.entity-schema.upload': {
    status: 200,
    run: (api, f) =>
      api.post(
        '/v2/crm/entity-schema',
        [
          { uniqueName: 'orderId', label: 'Order ID', type: 'ID', lastModified: '2026-03-01T08:00:00Z' },
          {
            uniqueName: 'category',
            label: 'Category',
            type: 'PICKLIST',
            orderedValueList: ['Customer', 'Partner'],
          },
        ],
        { integrationId: f.integrationId, objectType: 'ACCOUNT' },
      ),
  },
  'gong.crm.entity-schema.list': {
    status: 200,
    run: (api, f) =>
      api.get('/v2/crm/entity-schema', { integrationId: f.integrationId, objectType: 'ACCOUNT' }),
  },
  'gong.crm.entities.upload': {
    status: 201,
    run: (_api, f, emulator) =>
      multipart(
        `${emulator.defaultCompany.apiBaseUrl}/v2/crm/entities?integrationId=${f.integrationId}&objectType=ACCOUNT&clientRequestId=accounts-001`,
        basicAuth(emulator.defaultCompany.accessKey, emulator.defaultCompany.accessKeySecret),
        'POST',
        'dataFile',
        '{"objectId":"0013601230sV7grAAC","modifiedDate":"2026-03-01T08:00:00Z","name":"Winterfell Logistics"}\n',
        'accounts.ldjson',
      ),
  },
  'gong.crm.request-status.get': {
    status: 200,
    run: (api, f) =>
      api.get('/v2/crm/request-status', { integrationId: f.integrationId, clientRequestId: 'accounts-001' }),
  },
  'gong.crm.entities.get': {
    status: 200,
    run: (_api, f, emulator) =>
      getWithBody(
        `${emulator.defaultCompany.apiBaseUrl}/v2/crm/entities?integrationId=${f.integrationId}&objectType=ACCOUNT`,
        basicAuth(emulator.defaultCompany.accessKey, emulator.defaultCompany.accessKeySecret),
        '["0013601230sV7grAAC","missing"]',
      ),
  },
  'gong.crm.integrations.delete': {
    status: 201,
    run: (api, f) =>
      api.delete('/v2/crm/integrations', undefined, {
        integrationId: f.integrationId,
        clientRequestId: 'delete-001',
      }),
  },
  'gong.flows.list': { status: 200, run: (api, f) => api.get('/v2/flows', { flowOwnerEmail: f.userEmail }) },
  'gong.flows.folders.list': {
    status: 200,
    run: (api, f) => api.get('/v2/flows/folders', { flowFolderOwnerEmail: f.userEmail }),
  },
  'gong.flows.prospects.list': {
    status: 200,
    run: (api) => api.post('/v2/flows/prospects', { crmProspectsIds: ['0033x00003Fh9YtAAJ'] }),
  },
  'gong.flows.prospects.assign': {
    status: 200,
    run: (api, f) =>
      api.post('/v2/flows/prospects/assign', {
        crmProspectsIds: ['0033x00003Fh9YtAAJ'],
        flowId: f.flowId,
        flowInstanceOwnerEmail: f.userEmail,
      }),
  },
  'gong.flows.prospects.assign-cool-off-override': {
    status: 200,
    run: (api, f) =>
      api.post('/v2/flows/prospects/assign/cool-off-override', {
        crmProspectsIds: ['00Q3x000021nWJ8EAM'],
        flowId: f.flowId,
        flowInstanceOwnerEmail: f.userEmail,
      }),
  },
  'gong.flows.prospects.bulk-assignments.get': {
    status: 200,
    run: (api, f) => api.get(`/v2/flows/prospects/bulk-assignments/${f.bulkAssignmentId}`),
  },
  'gong.flows.prospects.unassign-by-instance-id': {
    status: 200,
    run: (api, f) =>
      api.post('/v2/flows/prospects/unassign-flows-by-instance-id', {
        flowInstanceIds: [f.flowInstanceId],
        unassignedByUserEmail: f.userEmail,
      }),
  },
  'gong.flows.prospects.unassign-by-crm-id': {
    status: 200,
    run: (api, f) =>
      api.post('/v2/flows/prospects/unassign-flows-by-crm-id', {
        crmProspectId: '0033x00003Fh9YtAAJ',
        flowId: f.flowId,
      }),
  },
  'gong.flows.steps.list': {
    status: 200,
    run: (api, f) => api.post('/v2/flows/steps', { flowIds: [f.flowId] }),
  },
  'gong.tasks.list': {
    status: 200,
    run: (api, f) =>
      api.post('/v2/tasks', {
        filter: { userId: f.taskUserId, types: ['FLOW', 'MANUAL'], taskAction: ['CALL'], status: ['OPEN'] },
      }),
  },
  'gong.tasks.update': {
    status: 200,
    run: (api, f) => api.patch(`/v2/tasks/${f.taskId}`, { userId: f.taskUserId, status: 'DONE' }),
  },
  'gong.data-privacy.email-address.references': {
    status: 200,
    run: (api, f) => api.get('/v2/data-privacy/data-for-email-address', { emailAddress: f.contactEmail }),
  },
  'gong.data-privacy.phone-number.references': {
    status: 200,
    run: (api, f) => api.get('/v2/data-privacy/data-for-phone-number', { phoneNumber: f.contactPhone }),
  },
  'gong.data-privacy.email-address.erase': {
    status: 200,
    run: (api) =>
      api.post('/v2/data-privacy/erase-data-for-email-address', undefined, {
        emailAddress: 'nobody@nowhere.example',
      }),
  },
  'gong.data-privacy.phone-number.erase': {
    status: 200,
    run: (api) =>
      api.post('/v2/data-privacy/erase-data-for-phone-number', undefined, { phoneNumber: '+10000000000' }),
  },
  'gong.permission-profiles.list': {
    status: 200,
    run: (api, f) => api.get('/v2/all-permission-profiles', { workspaceId: f.workspaceId }),
  },
  'gong.permission-profiles.get': {
    status: 200,
    run: (api, f) => api.get('/v2/permission-profile', { profileId: f.profileId }),
  },
  'gong.permission-profiles.create': {
    status: 200,
    run: (api, f) =>
      api.post(
        '/v2/permission-profile',
        {
          name: 'Sales reps (new)',
          description: 'Own calls',
          callsAccess: { permissionLevel: 'own' },
          scoreCalls: false,
        },
        { workspaceId: f.workspaceId },
      ),
  },
  'gong.permission-profiles.update': {
    status: 200,
    run: (api, f) =>
      api.put(
        '/v2/permission-profile',
        { name: 'Admin', description: 'Everything', downloadCallMedia: true },
        { profileId: f.profileId },
      ),
  },
  'gong.permission-profiles.users.list': {
    status: 200,
    run: (api, f) => api.get('/v2/permission-profile/users', { profileId: f.profileId }),
  },
  'gong.engagement.content-viewed.report': {
    status: 200,
    run: (api, f) =>
      api.put('/v2/customer-engagement/content/viewed', {
        reportingSystem: 'acme-docs',
        eventTimestamp: '2026-03-02T14:42:00Z',
        eventId: 'view-1',
        contentId: 'doc_1',
        contentUrl: 'https://docs.example/d/doc_1',
        contentTitle: 'Proposal v2',
        viewer: { email: f.contactEmail },
      }),
  },
  'gong.engagement.content-shared.report': {
    status: 200,
    run: (api, f) =>
      api.put('/v2/customer-engagement/content/shared', {
        reportingSystem: 'acme-docs',
        eventTimestamp: '2026-03-02T14:05:00Z',
        eventId: 'share-1',
        contentId: 'doc_1',
        contentUrl: 'https://docs.example/d/doc_1',
        contentTitle: 'Proposal v2',
        sharer: { email: f.userEmail },
        recipients: [{ email: f.contactEmail }],
      }),
  },
  'gong.engagement.custom-action.report': {
    status: 200,
    run: (api, f) =>
      api.put('/v2/customer-engagement/action', {
        reportingSystem: 'acme-esign',
        eventTimestamp: '2026-03-02T09:12:00Z',
        eventId: 'sign-1',
        actionName: 'Contract signed',
        actor: { email: f.contactEmail },
      }),
  },
  'gong.digital-interactions.create': {
    status: 200,
    run: (api, f) =>
      api.post('/v2/digital-interaction', {
        eventId: 'web-1',
        timestamp: '2026-03-02T14:20:05Z',
        eventType: 'page viewed',
        content: { contentTitle: 'Pricing', contentUrl: 'https://www.example/pricing' },
        person: { email: f.contactEmail },
      }),
  },
  'gong.integration-settings.update': {
    status: 200,
    run: (api) =>
      api.post('/v2/integration-settings', {
        integrationTypeSettings: [
          { integrationType: 'EMAIL_COMPOSER', allowedOrigin: 'https://partner.example' },
        ],
      }),
  },
  'gong.integration-settings.get': { status: 200, run: (api) => api.get('/v2/integration-settings') },
  'gong.entities.brief.get': {
    status: 200,
    run: (api, f) =>
      api.get('/v2/entities/get-brief', {
        briefName: 'Account overview',
        workspaceId: f.workspaceId,
        crmEntityType: 'ACCOUNT',
        crmEntityId: f.accountCrmId,
        timePeriod: 'ALL_CONVERSATIONS',
      }),
  },
  'gong.entities.ask': {
    status: 200,
    run: (api, f) =>
      api.get('/v2/entities/ask-entity', {
        question: 'What are the open objections?',
        workspaceId: f.workspaceId,
        crmEntityType: 'DEAL',
        crmEntityId: f.dealCrmId,
        timePeriod: 'ALL_CONVERSATIONS',
      }),
  },
};

describe('every catalog operation answers what the catalog expects', () => {
  let emulator: GongEmulator;
  let api: GongClient;
  const f = {} as Fixture;

  beforeAll(async () => {
    ({ emulator, api } = await startTestEmulator());
    const users = (await api.get('/v2/users')).json['users'] as {
      id: string;
      emailAddress: string;
      managerId: string | null;
    }[];
    const rep = users.find((user) => user.managerId)!;
    f.userId = rep.id;
    f.userEmail = rep.emailAddress;
    f.managerId = rep.managerId!;
    f.workspaceId = ((await api.get('/v2/workspaces')).json['workspaces'] as { id: string }[])[0]!.id;
    const calls = (
      await api.post('/v2/calls/extensive', {
        filter: {},
        contentSelector: { context: 'Extended', exposedFields: { parties: true } },
      })
    ).json['calls'] as {
      metaData: { id: string };
      context: { objects: { objectType: string; objectId: string }[] }[];
      parties: { affiliation: string; emailAddress: string | null; phoneNumber: string | null }[];
    }[];
    const withDeal = calls.find(
      (call) =>
        call.context[0]?.objects.some((object) => object.objectType === 'Opportunity') &&
        call.parties.some((party) => party.affiliation === 'External' && party.phoneNumber),
    )!;
    f.callId = withDeal.metaData.id;
    f.accountCrmId = withDeal.context[0]!.objects.find((object) => object.objectType === 'Account')!.objectId;
    f.dealCrmId = withDeal.context[0]!.objects.find(
      (object) => object.objectType === 'Opportunity',
    )!.objectId;
    const contact = withDeal.parties.find((party) => party.affiliation === 'External' && party.phoneNumber)!;
    f.contactEmail = contact.emailAddress!;
    f.contactPhone = contact.phoneNumber!;
    f.folderId = ((await api.get('/v2/library/folders')).json['folders'] as { id: string }[])[0]!.id;
    f.flowId = (
      (await api.get('/v2/flows', { flowOwnerEmail: f.userEmail })).json['flows'] as { id: string }[]
    )[0]!.id;
    f.profileId = (
      (await api.get('/v2/all-permission-profiles', { workspaceId: f.workspaceId })).json['profiles'] as {
        id: string;
      }[]
    )[0]!.id;
    for (const user of users) {
      const tasks = (
        await api.post('/v2/tasks', {
          filter: { userId: user.id, types: ['FLOW', 'MANUAL'], taskAction: ['CALL'], status: ['OPEN'] },
        })
      ).json['tasks'] as { id: string | number }[];
      if (tasks.length) {
        f.taskUserId = user.id;
        f.taskId = String(tasks[0]!.id);
        break;
      }
    }
  });
  afterAll(() => emulator.close());

  it('covers every catalog action', () => {
    expect([...GONG_ACTIONS.keys()].filter((name) => !(name in CASES))).toEqual([]);
  });

  const extrasSeen = new Set<string>();

  /** Values produced by one case and needed by a later one. */
  const harvest = (name: string, answer: HttpAnswer) => {
    const json = answer.json as Record<string, unknown>;
    if (name === 'gong.calls.create') f.newCallId = String(json['callId']);
    if (name === 'gong.meetings.create') f.meetingId = String(json['meetingId']);
    if (name === 'gong.crm.integrations.register') f.integrationId = String(json['integrationId']);
    if (name === 'gong.flows.prospects.assign') {
      f.bulkAssignmentId = String(json['bulkAssignmentId']);
      f.flowInstanceId = String(
        (json['prospectsAssigned'] as { flowInstanceId: string }[])[0]?.flowInstanceId,
      );
    }
  };

  for (const name of Object.keys(CASES)) {
    it(`${name}`, async () => {
      const action = GONG_ACTIONS.get(name);
      expect(action).toBeDefined();
      const answer = await CASES[name]!.run(api, f, emulator);
      expect({
        status: answer.status,
        body: answer.status === CASES[name]!.status ? 'ok' : answer.text,
      }).toEqual({
        status: CASES[name]!.status,
        body: 'ok',
      });
      expect(answer.json.requestId).toBe(answer.headers.get('x-traceid'));
      const parsed = action!.response.safeParse(answer.json);
      if (!parsed.success)
        throw new Error(
          `${name}: ${JSON.stringify(parsed.error.issues, null, 2)}\n${answer.text.slice(0, 2000)}`,
        );
      const extras = undescribedFields(action!.response, answer.json);
      const allowed = emulatorExtras(name);
      for (const field of extras) if (allowed.has(field)) extrasSeen.add(`${name} ${field}`);
      expect(extras.filter((field) => !allowed.has(field))).toEqual([]);
      harvest(name, answer);
    });
  }

  it('sent every documented emulator extra (the list in differences.ts holds no stale entry)', () => {
    const declared = DELIBERATE_DIFFERENCES.filter((difference) => difference.emulatorExtra).flatMap(
      (difference) =>
        difference.actions.flatMap((name) => difference.fields.map((field) => `${name} ${field}`)),
    );
    expect(declared.filter((entry) => !extrasSeen.has(entry))).toEqual([]);
  });

  it('emulator saw no internal errors', () => {
    expect(emulator.admin.internalErrors()).toEqual([]);
  });
});
