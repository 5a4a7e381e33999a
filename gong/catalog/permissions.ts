import { z } from 'zod';
import {
  DEFAULT_READ_RETRY,
  DEFAULT_WRITE_RETRY,
  GongId,
  NullableBoolean,
  NullableString,
  NullableStringArray,
  RequestId,
} from './common';
import type { GongActionDefinition } from './types';

const PermissionLevel = z.enum(['all', 'managers-team', 'report-to-them', 'own', 'none']);

const LevelAccessInput = z.strictObject({
  permissionLevel: PermissionLevel.describe('Whose data: all, managers-team, report-to-them, own or none.'),
  teamLeadIds: z
    .array(GongId)
    .optional()
    .describe('User IDs of the team leads, for the managers-team level.'),
});

const profileFlags = [
  ['scoreCalls', 'Score calls.'],
  ['downloadCallMedia', 'Download call media.'],
  ['shareCallsWithCustomers', 'Share calls with customers.'],
  ['manuallyScheduleAndUploadCalls', 'Schedule and upload calls manually.'],
  ['privateCalls', 'Make their own calls private.'],
  ['deleteCalls', 'Delete calls.'],
  ['trimCalls', 'Trim calls.'],
  ['listenInCalls', 'Listen in to live calls.'],
  ['deleteEmails', 'Delete emails.'],
  ['callsAndSearch', 'View and search calls.'],
  ['library', 'View library pages.'],
  ['deals', 'View deals pages.'],
  ['createEditAndDeleteDealsBoards', 'Create, edit and delete deals boards.'],
  ['dealsInlineEditing', 'Edit deals inline.'],
  ['account', 'View account pages.'],
  ['coaching', 'View coaching pages.'],
  ['usage', 'View usage pages.'],
  ['teamStats', 'View the team stats page.'],
  ['initiatives', 'View the initiatives page.'],
  ['market', 'View the market page.'],
  ['activity', 'View activity pages.'],
  ['forecast', 'View forecast pages.'],
  ['forecastManage', 'Manage forecast boards and upload targets.'],
  ['engageManageCompanyTemplates', 'Manage company email templates.'],
  ['engageManageCompanySequences', 'Manage company sequences.'],
  ['engageSnoozeFlowToDosForOthers', "Snooze others' flow to-dos."],
  ['manageGeneralBusinessSettings', 'Manage general business settings.'],
  ['manageScorecards', 'Manage scorecards.'],
  ['exportCallsAndCoachingDataToCSV', 'Export calls and coaching metrics to CSV.'],
  ['crmDataInlineEditing', 'Edit CRM data inline.'],
  ['crmDataImport', 'Import CRM data.'],
  ['viewRevenueAnalytics', 'View revenue analytics dashboards.'],
  ['manageRevenueAnalytics', 'Manage revenue analytics.'],
] as const;

/**
 * Booleans real Gong returns on every profile although the export does not list them (recorded traffic, issue
 * 18; `orchestrateCreateAndManagePlays` was null). Output only: whether Gong accepts them as input is unknown
 * (sent anyway, they draw an unknown-input warning, see docs/actions.md).
 */
export const observedProfileFlags = [
  'overrideScore',
  'engageCreateAndManageRulesets',
  'engageAllowCrmFieldsViewChange',
  'viewEngageAnalyticsActivity',
  'viewEngageAnalyticsPerformance',
  'viewEngageAnalyticsFlows',
  'engageReassignFlowToDosToOthers',
  'engageAssignFlowToDosToOthers',
  'dealsDataExport',
  'aiBuilder',
  'orchestrateCreateAndManagePlays',
] as const;

const flagInputs = Object.fromEntries(
  profileFlags.map(([key, text]) => [
    key,
    z.boolean().optional().describe(`Users with this profile can: ${text}`),
  ]),
) as Record<(typeof profileFlags)[number][0], z.ZodOptional<z.ZodBoolean>>;

const profileInputFields = {
  id: GongId.optional().describe(
    "In the export's body; Gong ignores it (a create with an id got a new one, recorded traffic).",
  ),
  name: z.string().min(1).describe('Profile name.'),
  description: z.string().optional().describe('Profile description.'),
  callsAccess: LevelAccessInput.optional().describe('Which calls users can access.'),
  libraryFolderAccess: z
    .strictObject({
      permissionLevel: z.enum(['none', 'all', 'specific-folders']).describe('Which library folders.'),
      libraryFolderIds: z.array(GongId).optional().describe('The folders, for specific-folders.'),
      managePublicFolder: z.boolean().optional().describe('Manage the public folder.'),
      manageStreams: z.boolean().optional().describe('Manage streams.'),
      manageFolderCalls: z.boolean().optional().describe('Add calls to folders and archive them.'),
      shareFoldersAndStreams: z.boolean().optional().describe('Share folders and streams with teammates.'),
    })
    .optional()
    .describe('Library folder access; the manage/share flags need a level other than none.'),
  dealsAccess: LevelAccessInput.optional().describe('Which deals users can access.'),
  forecastPermissions: z
    .strictObject({
      forecastAccess: LevelAccessInput.optional().describe('Whose forecast submissions users can view.'),
      forecastEditSubmissions: LevelAccessInput.optional().describe('Whose submissions users can edit.'),
      forecastEditTargets: LevelAccessInput.optional().describe('Whose targets users can edit.'),
    })
    .optional()
    .describe('Forecast permissions.'),
  coachingAccess: LevelAccessInput.optional().describe('Whose coaching data users can access.'),
  insightsAccess: LevelAccessInput.optional().describe('Whose insights users can access.'),
  usageAccess: LevelAccessInput.optional().describe('Whose usage data users can access.'),
  emailsAccess: LevelAccessInput.optional().describe('Whose emails users can access.'),
  ...flagInputs,
};

const LevelAccess = z.looseObject({ permissionLevel: NullableString, teamLeadIds: NullableStringArray });

const GongPermissionProfileSchema = z.looseObject({
  id: GongId,
  name: NullableString,
  description: NullableString,
  callsAccess: LevelAccess.nullish(),
  libraryFolderAccess: z
    .looseObject({
      permissionLevel: NullableString,
      libraryFolderIds: NullableStringArray,
      managePublicFolder: NullableBoolean,
      manageStreams: NullableBoolean,
      manageFolderCalls: NullableBoolean,
      shareFoldersAndStreams: NullableBoolean,
    })
    .nullish(),
  dealsAccess: LevelAccess.nullish(),
  forecastPermissions: z
    .looseObject({
      forecastAccess: LevelAccess.nullish(),
      forecastEditSubmissions: LevelAccess.nullish(),
      forecastEditTargets: LevelAccess.nullish(),
    })
    .nullish(),
  coachingAccess: LevelAccess.nullish(),
  insightsAccess: LevelAccess.nullish(),
  usageAccess: LevelAccess.nullish(),
  emailsAccess: LevelAccess.nullish(),
  ...Object.fromEntries(profileFlags.map(([key]) => [key, NullableBoolean])),
  ...Object.fromEntries(observedProfileFlags.map((key) => [key, NullableBoolean])),
});

const ProfileResponse = z.looseObject({ requestId: RequestId, profile: GongPermissionProfileSchema });
const ProfileId = GongId.describe('The permission profile ID (see gong.permission-profiles.list).');
const scopeNote = "Gong's spec states no scope; the scope is the one integrators request.";

const exampleProfile = {
  name: 'Sales reps',
  description: 'Reps see their own calls and deals',
  callsAccess: { permissionLevel: 'own' },
  dealsAccess: { permissionLevel: 'own' },
  libraryFolderAccess: { permissionLevel: 'all' },
  scoreCalls: false,
  downloadCallMedia: false,
  callsAndSearch: true,
  library: true,
  deals: true,
} as const;

export const listPermissionProfiles = {
  name: 'gong.permission-profiles.list',
  summary: "A workspace's permission profiles, alphabetically.",
  method: 'GET',
  path: '/v2/all-permission-profiles',
  inputIn: 'query',
  input: z.strictObject({ workspaceId: GongId.describe('The workspace (see gong.workspaces.list).') }),
  response: z.looseObject({ requestId: RequestId, profiles: z.array(GongPermissionProfileSchema) }),
  scopes: ['api:permission-profile:read'],
  scopeSource: 'integrators',
  semantics: 'read',
  timeoutMs: 30_000,
  retry: DEFAULT_READ_RETRY,
  example: { workspaceId: '623457276584334' },
  source: 'openapi-2024-11',
  notes: scopeNote,
} satisfies GongActionDefinition;

export const getPermissionProfile = {
  name: 'gong.permission-profiles.get',
  summary: 'One permission profile.',
  method: 'GET',
  path: '/v2/permission-profile',
  inputIn: 'query',
  input: z.strictObject({ profileId: ProfileId }),
  response: ProfileResponse,
  scopes: ['api:permission-profile:read'],
  scopeSource: 'integrators',
  semantics: 'read',
  timeoutMs: 30_000,
  retry: DEFAULT_READ_RETRY,
  example: { profileId: '3843152912968920037' },
  source: 'openapi-2024-11',
  notes: scopeNote,
} satisfies GongActionDefinition;

export const createPermissionProfile = {
  name: 'gong.permission-profiles.create',
  summary: 'Create a permission profile in a workspace.',
  method: 'POST',
  path: '/v2/permission-profile',
  inputIn: 'body',
  queryFields: ['workspaceId'],
  input: z.strictObject({
    workspaceId: GongId.describe('The workspace to create the profile in (sent in the query string).'),
    ...profileInputFields,
  }),
  response: ProfileResponse,
  scopes: ['api:permission-profile:write'],
  scopeSource: 'integrators',
  semantics: 'unsafe',
  timeoutMs: 30_000,
  retry: DEFAULT_WRITE_RETRY,
  example: { workspaceId: '623457276584334', ...exampleProfile },
  source: 'openapi-2024-11',
  notes: scopeNote,
} satisfies GongActionDefinition;

export const updatePermissionProfile = {
  name: 'gong.permission-profiles.update',
  summary: 'Update a permission profile; returns the whole profile after the change.',
  method: 'PUT',
  path: '/v2/permission-profile',
  inputIn: 'body',
  queryFields: ['profileId'],
  input: z.strictObject({
    profileId: ProfileId.describe('The profile to update (sent in the query string).'),
    ...profileInputFields,
    name: z.string().min(1).optional().describe('New profile name.'),
  }),
  response: ProfileResponse,
  scopes: ['api:permission-profile:write'],
  scopeSource: 'integrators',
  semantics: 'idempotent',
  timeoutMs: 30_000,
  retry: DEFAULT_READ_RETRY,
  example: { profileId: '3843152912968920037', ...exampleProfile, downloadCallMedia: true },
  source: 'openapi-2024-11',
  notes: scopeNote,
} satisfies GongActionDefinition;

export const listPermissionProfileUsers = {
  name: 'gong.permission-profiles.users.list',
  summary: 'The users whose access a permission profile controls.',
  method: 'GET',
  path: '/v2/permission-profile/users',
  inputIn: 'query',
  input: z.strictObject({ profileId: ProfileId }),
  response: z.looseObject({
    requestId: RequestId,
    users: z.array(z.looseObject({ id: GongId, fullName: NullableString, emailAddress: NullableString })),
  }),
  scopes: ['api:users:read'],
  semantics: 'read',
  timeoutMs: 30_000,
  retry: DEFAULT_READ_RETRY,
  example: { profileId: '3843152912968920037' },
  source: 'openapi-2024-11',
} satisfies GongActionDefinition;

export const permissionsActions = [
  listPermissionProfiles,
  getPermissionProfile,
  createPermissionProfile,
  updatePermissionProfile,
  listPermissionProfileUsers,
];
