import { z } from 'zod';
import { GONG_MESSAGES, GongApiError } from '../core/api-error';
import { fullName, userById } from '../core/company';
import type { PermissionProfileRecord } from '../core/model';
import { defineOperations, type OperationContext } from './operation';
import { parseBody, requireQuery } from './validation';

/**
 * Every setting of a permission profile, with the value Gong gives one nobody set. Real Gong answers list,
 * get, create and update with all of them (recorded traffic, issue 18): the export's access objects and 33
 * booleans, plus 10 booleans and `orchestrateCreateAndManagePlays` (null) the export does not list.
 */
const FORECAST_KEYS = ['forecastAccess', 'forecastEditSubmissions', 'forecastEditTargets'] as const;

const PROFILE_FLAGS = [
  'scoreCalls',
  'overrideScore',
  'downloadCallMedia',
  'shareCallsWithCustomers',
  'manuallyScheduleAndUploadCalls',
  'privateCalls',
  'deleteCalls',
  'trimCalls',
  'listenInCalls',
  'deleteEmails',
  'callsAndSearch',
  'library',
  'deals',
  'createEditAndDeleteDealsBoards',
  'dealsInlineEditing',
  'account',
  'coaching',
  'usage',
  'teamStats',
  'initiatives',
  'market',
  'activity',
  'forecast',
  'forecastManage',
  'engageManageCompanyTemplates',
  'engageManageCompanySequences',
  'engageCreateAndManageRulesets',
  'engageSnoozeFlowToDosForOthers',
  'engageAllowCrmFieldsViewChange',
  'viewEngageAnalyticsActivity',
  'viewEngageAnalyticsPerformance',
  'viewEngageAnalyticsFlows',
  'manageGeneralBusinessSettings',
  'manageScorecards',
  'exportCallsAndCoachingDataToCSV',
  'crmDataInlineEditing',
  'crmDataImport',
  'viewRevenueAnalytics',
  'manageRevenueAnalytics',
  'engageReassignFlowToDosToOthers',
  'engageAssignFlowToDosToOthers',
  'dealsDataExport',
  'aiBuilder',
] as const;

type Settings = Record<string, unknown>;

const noAccess = () => ({ permissionLevel: 'none', teamLeadIds: null });

/** In the order Gong sends them. */
function defaultSettings(): Settings {
  return {
    callsAccess: noAccess(),
    libraryFolderAccess: {
      permissionLevel: 'none',
      libraryFolderIds: null,
      managePublicFolder: false,
      manageStreams: false,
      manageFolderCalls: false,
      shareFoldersAndStreams: false,
    },
    dealsAccess: noAccess(),
    forecastPermissions: Object.fromEntries(FORECAST_KEYS.map((key) => [key, noAccess()])),
    coachingAccess: noAccess(),
    insightsAccess: noAccess(),
    usageAccess: noAccess(),
    emailsAccess: noAccess(),
    ...Object.fromEntries(PROFILE_FLAGS.map((flag) => [flag, false])),
    orchestrateCreateAndManagePlays: null,
  };
}

const KNOWN_SETTINGS = new Set(Object.keys(defaultSettings()));

/**
 * The settings a request body gives, over `base`: unknown keys are ignored (Gong keeps none of them; a
 * profile `id` in the body does not rename the profile), access objects are merged key by key.
 */
function mergeSettings(base: Settings, body: Record<string, unknown>): Settings {
  const merged = { ...base };
  for (const [key, value] of Object.entries(body)) {
    if (!KNOWN_SETTINGS.has(key) || value === undefined) continue;
    const current = merged[key];
    if (isRecord(current) && isRecord(value)) {
      merged[key] =
        key === 'forecastPermissions'
          ? Object.fromEntries(
              Object.entries(current).map(([inner, level]) => [
                inner,
                isRecord(level) && isRecord(value[inner]) ? { ...level, ...value[inner] } : level,
              ]),
            )
          : { ...current, ...value };
    } else merged[key] = value;
  }
  return merged;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** What Gong answers for a profile: every setting, in Gong's order, the unset ones at their defaults. */
function profileView(profile: PermissionProfileRecord) {
  return {
    id: profile.id,
    name: profile.name,
    description: profile.description,
    ...mergeSettings(defaultSettings(), profile.settings),
  };
}

/** Gong parses `profileId` as an int64: anything else (20 digits above 2^63) is a bare 400 (recorded). */
const INT64_MAX = 2n ** 63n - 1n;

function findProfile(ctx: OperationContext): PermissionProfileRecord {
  const profileId = requireQuery(ctx.query, 'profileId');
  if (!/^-?\d{1,20}$/.test(profileId) || BigInt(profileId) > INT64_MAX)
    throw new GongApiError(400, GONG_MESSAGES.badRequest);
  const profile = ctx.company.permissionProfiles.find((candidate) => candidate.id === profileId);
  if (!profile) throw new GongApiError(400, `Permission profile ${profileId} does not exist`);
  return profile;
}

const ProfileBody = z.looseObject({ name: z.string().min(1), description: z.string().nullish() });
const ProfileUpdateBody = z.looseObject({
  name: z.string().min(1).nullish(),
  description: z.string().nullish(),
});

function settingsOf(body: Record<string, unknown>): Settings {
  const { id: _id, name: _name, description: _description, ...settings } = body;
  return settings;
}

export const permissionsOperations = defineOperations(
  {
    method: 'GET',
    path: '/v2/all-permission-profiles',
    scope: 'api:permission-profile:read',
    handle(ctx) {
      const workspaceId = requireQuery(ctx.query, 'workspaceId');
      if (!ctx.company.workspaces.some((workspace) => workspace.id === workspaceId))
        throw new GongApiError(400, `Workspace ${workspaceId} does not exist`);
      const profiles = ctx.company.permissionProfiles
        .filter((profile) => profile.workspaceId === workspaceId)
        .sort((a, b) => a.name.localeCompare(b.name));
      return { body: { profiles: profiles.map(profileView) } };
    },
  },
  {
    method: 'GET',
    path: '/v2/permission-profile',
    scope: 'api:permission-profile:read',
    handle: (ctx) => ({ body: { profile: profileView(findProfile(ctx)) } }),
  },
  {
    method: 'POST',
    path: '/v2/permission-profile',
    scope: 'api:permission-profile:write',
    handle(ctx) {
      const workspaceId = requireQuery(ctx.query, 'workspaceId');
      if (!ctx.company.workspaces.some((workspace) => workspace.id === workspaceId))
        throw new GongApiError(400, `Workspace ${workspaceId} does not exist`);
      const body = parseBody(ProfileBody, ctx.body);
      if (
        ctx.company.permissionProfiles.some(
          (profile) => profile.workspaceId === workspaceId && profile.name === body.name,
        )
      )
        throw new GongApiError(400, `A permission profile named ${body.name} already exists`);
      const profile: PermissionProfileRecord = {
        id: ctx.company.ids.numericId(19),
        workspaceId,
        name: body.name,
        description: body.description ?? '',
        userIds: [],
        settings: mergeSettings({}, settingsOf(body)),
      };
      ctx.company.permissionProfiles.push(profile);
      return { body: { profile: profileView(profile) } };
    },
  },
  {
    method: 'PUT',
    path: '/v2/permission-profile',
    scope: 'api:permission-profile:write',
    handle(ctx) {
      const profile = findProfile(ctx);
      const body = parseBody(ProfileUpdateBody, ctx.body);
      // A body with only a new name leaves every other setting as it was (recorded).
      profile.name = body.name ?? profile.name;
      profile.description = body.description ?? profile.description;
      profile.settings = mergeSettings(profile.settings, settingsOf(body));
      return { body: { profile: profileView(profile) } };
    },
  },
  {
    method: 'GET',
    path: '/v2/permission-profile/users',
    scope: 'api:users:read',
    handle(ctx) {
      const profile = findProfile(ctx);
      return {
        body: {
          users: profile.userIds.flatMap((id) => {
            const user = userById(ctx.company, id);
            return user ? [{ id: user.id, fullName: fullName(user), emailAddress: user.emailAddress }] : [];
          }),
        },
      };
    },
  },
);
