import type { GongEmulator } from '../../emulator';
import { startTestEmulator, type GongClient } from './client';

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
});
