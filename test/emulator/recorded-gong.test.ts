import { request as httpRequest } from 'node:http';
import type { GongEmulator } from '../../emulator';
import { basicAuth, startTestEmulator, type GongClient } from './client';

/**
 * Requests real Gong answered in recorded traffic (issue 18), sent to the emulator: it must answer what Gong
 * answered, in shape, order of checks and wording. Each expected value below is copied from the recording.
 */

const none = { permissionLevel: 'none', teamLeadIds: null };

/** Gong's answer to creating a profile with only a name, a description and library access "none". */
const RECORDED_NEW_PROFILE = {
  id: '255233435199981513',
  name: 'Nango Test Profile',
  description: 'Test description',
  callsAccess: none,
  libraryFolderAccess: {
    permissionLevel: 'none',
    libraryFolderIds: null,
    managePublicFolder: false,
    manageStreams: false,
    manageFolderCalls: false,
    shareFoldersAndStreams: false,
  },
  dealsAccess: none,
  forecastPermissions: { forecastAccess: none, forecastEditSubmissions: none, forecastEditTargets: none },
  coachingAccess: none,
  insightsAccess: none,
  usageAccess: none,
  emailsAccess: none,
  scoreCalls: false,
  overrideScore: false,
  downloadCallMedia: false,
  shareCallsWithCustomers: false,
  manuallyScheduleAndUploadCalls: false,
  privateCalls: false,
  deleteCalls: false,
  trimCalls: false,
  listenInCalls: false,
  deleteEmails: false,
  callsAndSearch: false,
  library: false,
  deals: false,
  createEditAndDeleteDealsBoards: false,
  dealsInlineEditing: false,
  account: false,
  coaching: false,
  usage: false,
  teamStats: false,
  initiatives: false,
  market: false,
  activity: false,
  forecast: false,
  forecastManage: false,
  engageManageCompanyTemplates: false,
  engageManageCompanySequences: false,
  engageCreateAndManageRulesets: false,
  engageSnoozeFlowToDosForOthers: false,
  engageAllowCrmFieldsViewChange: false,
  viewEngageAnalyticsActivity: false,
  viewEngageAnalyticsPerformance: false,
  viewEngageAnalyticsFlows: false,
  manageGeneralBusinessSettings: false,
  manageScorecards: false,
  exportCallsAndCoachingDataToCSV: false,
  crmDataInlineEditing: false,
  crmDataImport: false,
  viewRevenueAnalytics: false,
  manageRevenueAnalytics: false,
  engageReassignFlowToDosToOthers: false,
  engageAssignFlowToDosToOthers: false,
  dealsDataExport: false,
  aiBuilder: false,
  orchestrateCreateAndManagePlays: null,
};

describe('the emulator answers what real Gong answered', () => {
  let emulator: GongEmulator;
  let api: GongClient;
  let workspaceId: string;

  beforeAll(async () => {
    ({ emulator, api } = await startTestEmulator());
    workspaceId = ((await api.get('/v2/workspaces')).json['workspaces'] as { id: string }[])[0]!.id;
  });
  afterAll(() => emulator.close());

  describe('permission profiles', () => {
    it('answers a new profile with every setting Gong sends, unset ones at their defaults; the body id is ignored', async () => {
      const created = await api.post(
        '/v2/permission-profile',
        {
          id: '9999999999999999999',
          name: 'Nango Test Profile',
          description: 'Test description',
          libraryFolderAccess: { permissionLevel: 'none' },
        },
        { workspaceId },
      );
      expect(created.status).toBe(200);
      const profile = created.json['profile'] as Record<string, unknown>;
      expect(profile['id']).toMatch(/^\d{19}$/);
      expect(profile['id']).not.toBe('9999999999999999999');
      expect({ ...profile, id: 'new' }).toEqual({ ...RECORDED_NEW_PROFILE, id: 'new' });
      // Same order of fields as Gong.
      expect(Object.keys(profile)).toEqual(Object.keys(RECORDED_NEW_PROFILE));
      const listed = (await api.get('/v2/all-permission-profiles', { workspaceId })).json[
        'profiles'
      ] as Array<Record<string, unknown>>;
      for (const entry of listed) expect(Object.keys(entry)).toEqual(Object.keys(RECORDED_NEW_PROFILE));
    });

    it('keeps every other setting when an update names only the profile', async () => {
      const created = await api.post(
        '/v2/permission-profile',
        { name: 'Reviewers', scoreCalls: true, dealsAccess: { permissionLevel: 'own' } },
        { workspaceId },
      );
      const profileId = (created.json['profile'] as { id: string }).id;
      const updated = await api.put('/v2/permission-profile', { name: 'Reviewers (renamed)' }, { profileId });
      expect(updated.status).toBe(200);
      expect(updated.json['profile']).toEqual({
        ...RECORDED_NEW_PROFILE,
        id: profileId,
        name: 'Reviewers (renamed)',
        description: '',
        scoreCalls: true,
        dealsAccess: { permissionLevel: 'own', teamLeadIds: null },
      });
    });

    it('answers a bare 400 "Bad request" for a profileId beyond int64', async () => {
      const answer = await api.get('/v2/permission-profile/users', { profileId: '12345678901234567890' });
      expect({ status: answer.status, errors: answer.json.errors }).toEqual({
        status: 400,
        errors: ['Bad request'],
      });
    });
  });

  it('writes UserActivityLog records as Gong does, without impersonator fields nobody set', async () => {
    const answer = await api.get('/v2/logs', {
      logType: 'UserActivityLog',
      fromDateTime: '2026-01-01T00:00:00Z',
    });
    const entries = answer.json['logEntries'] as Array<Record<string, unknown>>;
    expect(entries.length).toBeGreaterThan(0);
    for (const entry of entries) {
      expect(Object.keys(entry)).toEqual([
        'userId',
        'userEmailAddress',
        'userFullName',
        'eventTime',
        'logRecord',
      ]);
      const record = entry['logRecord'] as Record<string, unknown>;
      expect(Object.keys(record)).toEqual([
        'auditId',
        'tableChanges',
        'customData',
        'remoteCallsAuditData',
        'action',
        'httpRequest',
        'workspaceId',
      ]);
      expect(record['auditId']).toMatch(/^\d{19}$/);
      expect(Object.keys(record['httpRequest'] as object)).toEqual([
        'referrerUri',
        'clientIp',
        'verb',
        'endpointUri',
        'body',
        'parameters',
      ]);
      expect(Object.keys((record['tableChanges'] as object[])[0]!)).toEqual([
        'preSnapshotTimestamp',
        'postSnapshotTimestamp',
        'rowChanges',
        'tableName',
      ]);
    }
  });

  describe('calls', () => {
    it('adds a call whose parties carry speakerId and affiliation (Gong answered 200)', async () => {
      const users = (await api.get('/v2/users')).json['users'] as Array<{ id: string; emailAddress: string }>;
      const host = users[0]!;
      const added = await api.post('/v2/calls', {
        clientUniqueId: 'nango-test-upload-call-004',
        actualStart: '2026-03-01T10:00:00Z',
        direction: 'Inbound',
        primaryUser: host.id,
        parties: [
          { speakerId: 's1', emailAddress: host.emailAddress, affiliation: 'Internal', userId: host.id },
          {
            speakerId: 's2',
            emailAddress: 'external@example.com',
            affiliation: 'External',
            name: 'External Caller',
          },
        ],
      });
      expect(added.status).toBe(200);
      expect(added.json['callId']).toMatch(/^\d{19}$/);
    });

    it('lists calls without fromDateTime and toDateTime, which the export marks required', async () => {
      const answer = await api.get('/v2/calls');
      expect(answer.status).toBe(200);
      expect((answer.json['records'] as { totalRecords: number }).totalRecords).toBeGreaterThan(100);
    });
  });

  describe('CRM uploads', () => {
    const auth = () => basicAuth(emulator.defaultCompany.accessKey, emulator.defaultCompany.accessKeySecret);

    it('refuses the upload body before looking at the integration: 415, then 400 "dataFile part is missing"', async () => {
      // integrationId 12345 does not exist, as in the recording: the body is judged first all the same.
      const url = `${emulator.defaultCompany.apiBaseUrl}/v2/crm/entities?clientRequestId=test-request-1&integrationId=12345&objectType=ACCOUNT`;
      const json = await fetch(url, {
        method: 'POST',
        headers: { authorization: auth(), 'content-type': 'application/json' },
        body: '{"objectId":"test-account-1"}',
      });
      expect({ status: json.status, body: await json.json() }).toMatchObject({
        status: 415,
        body: { errors: ['Unsupported Media Type'] },
      });
      const form = new FormData();
      form.append('note', 'no file');
      const noFile = await fetch(url, { method: 'POST', headers: { authorization: auth() }, body: form });
      expect({ status: noFile.status, body: await noFile.json() }).toMatchObject({
        status: 400,
        body: { errors: ['dataFile part is missing'] },
      });
    });

    it('answers a lookup without a JSON body 415 "Unsupported Media Type" even for an unknown integration', async () => {
      const status = await new Promise<{ status: number; text: string }>((resolve, reject) => {
        const req = httpRequest(
          `${emulator.defaultCompany.apiBaseUrl}/v2/crm/entities?integrationId=123&objectType=DEAL`,
          { method: 'GET', headers: { authorization: auth() } },
          (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (chunk: Buffer) => chunks.push(chunk));
            res.on('end', () =>
              resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString() }),
            );
          },
        );
        req.on('error', reject);
        req.end();
      });
      expect(status.status).toBe(415);
      expect(JSON.parse(status.text)).toMatchObject({ errors: ['Unsupported Media Type'] });
    });

    it("words a second integration's 409 as Gong does", async () => {
      const users = (await api.get('/v2/users')).json['users'] as Array<{ emailAddress: string }>;
      const first = await api.put('/v2/crm/integrations', {
        ownerEmail: users[0]!.emailAddress,
        name: 'One',
      });
      expect(first.status).toBe(200);
      const second = await api.put('/v2/crm/integrations', {
        ownerEmail: 'api@nango.dev',
        name: 'Nango Test Integration',
      });
      expect({ status: second.status, errors: second.json.errors }).toEqual({
        status: 409,
        errors: [
          'Your organization already has an active GENERIC CRM integration. Only 1 active integration is supported. Please disconnect the existing GENERIC CRM integration before creating a new Generic CRM integration',
        ],
      });
    });
  });
});
