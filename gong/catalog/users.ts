import { z } from 'zod';
import {
  NO_RESULTS_404,
  DEFAULT_READ_RETRY,
  GongId,
  IsoDateTimeInput,
  NullableBoolean,
  NullableString,
  PaginationControls,
  PageRecords,
  RequestId,
} from './common';
import type { GongActionDefinition } from './types';

export const GongUserSchema = z.looseObject({
  id: GongId,
  emailAddress: z.string().nullable().optional(),
  created: z.string().nullable().optional(),
  active: z.boolean().nullable().optional(),
  emailAliases: z.array(z.string()).nullable().optional(),
  trustedEmailAddress: z.string().nullable().optional(),
  firstName: z.string().nullable().optional(),
  lastName: z.string().nullable().optional(),
  title: z.string().nullable().optional(),
  phoneNumber: z.string().nullable().optional(),
  extension: z.string().nullable().optional(),
  personalMeetingUrls: z.array(z.string()).nullable().optional(),
  settings: z
    .looseObject({
      webConferencesRecorded: NullableBoolean,
      preventWebConferenceRecording: NullableBoolean,
      telephonyCallsImported: NullableBoolean,
      emailsImported: NullableBoolean,
      preventEmailImport: NullableBoolean,
      nonRecordedMeetingsImported: NullableBoolean,
      gongConnectEnabled: NullableBoolean,
    })
    .nullable()
    .optional(),
  managerId: GongId.nullable().optional(),
  meetingConsentPageUrl: z.string().nullable().optional(),
  // In every real answer (null so far), not in the export (recorded traffic): its shape is unknown.
  conferencingProviders: z.unknown().describe('Seen in real answers, always null so far; not in the export.'),
  spokenLanguages: z
    .array(z.looseObject({ language: z.string(), primary: z.boolean() }))
    .nullable()
    .optional(),
});

export const listUsers = {
  name: 'gong.users.list',
  summary: "List all of the company's users, following every page.",
  method: 'GET',
  path: '/v2/users',
  inputIn: 'query',
  input: z.strictObject({
    includeAvatars: z
      .boolean()
      .optional()
      .describe('Include avatars (synthetic users for Gong staff accessing the instance).'),
    ...PaginationControls,
  }),
  response: z.looseObject({ requestId: RequestId, records: PageRecords, users: z.array(GongUserSchema) }),
  scopes: ['api:users:read'],
  pagination: { itemsKey: 'users' },
  semantics: 'read',
  timeoutMs: 120_000,
  retry: DEFAULT_READ_RETRY,
  example: { includeAvatars: false },
  source: 'openapi-2024-11',
  docsUrl: 'https://help.gong.io/apidocs/list-all-users-v2users',
} satisfies GongActionDefinition;

export const getUser = {
  name: 'gong.users.get',
  summary: 'Retrieve one user by ID.',
  method: 'GET',
  path: '/v2/users/{id}',
  inputIn: 'query',
  input: z.strictObject({ id: GongId.describe("The user's Gong ID.") }),
  response: z.looseObject({ requestId: RequestId, user: GongUserSchema }),
  scopes: ['api:users:read'],
  semantics: 'read',
  timeoutMs: 30_000,
  retry: DEFAULT_READ_RETRY,
  example: { id: '234599484848423' },
  source: 'openapi-2024-11',
} satisfies GongActionDefinition;

export const getUserSettingsHistory = {
  name: 'gong.users.settings-history.get',
  summary: "A user's settings changes over time (recording, email import, active ...).",
  method: 'GET',
  path: '/v2/users/{id}/settings-history',
  inputIn: 'query',
  input: z.strictObject({ id: GongId.describe("The user's Gong ID.") }),
  response: z.looseObject({
    requestId: RequestId,
    userSettingsHistory: z.array(
      z.looseObject({ setting: z.string(), value: z.boolean().nullish(), time: NullableString }),
    ),
  }),
  scopes: ['api:users:read'],
  semantics: 'read',
  timeoutMs: 30_000,
  retry: DEFAULT_READ_RETRY,
  example: { id: '234599484848423' },
  source: 'openapi-2024-11',
} satisfies GongActionDefinition;

export const listUsersExtensive = {
  name: 'gong.users.extensive',
  summary: 'List users by filter (IDs, creation time, avatars), following every page.',
  method: 'POST',
  path: '/v2/users/extensive',
  inputIn: 'body',
  input: z.strictObject({
    filter: z
      .strictObject({
        createdFromDateTime: IsoDateTimeInput.optional().describe(
          'Only users created at or after this time.',
        ),
        createdToDateTime: IsoDateTimeInput.optional().describe('Only users created before this time.'),
        includeAvatars: z
          .boolean()
          .optional()
          .describe(
            'Include avatars (synthetic users for Gong staff accessing the instance). Default false.',
          ),
        userIds: z.array(GongId).min(1).optional().describe('Only these users.'),
      })
      .describe('Which users. `{}` means every user.'),
    ...PaginationControls,
  }),
  response: z.looseObject({ requestId: RequestId, records: PageRecords, users: z.array(GongUserSchema) }),
  scopes: ['api:users:read'],
  pagination: { itemsKey: 'users' },
  emptyOn404Messages: NO_RESULTS_404.users,
  semantics: 'read',
  timeoutMs: 120_000,
  retry: DEFAULT_READ_RETRY,
  example: { filter: { createdFromDateTime: '2024-01-01T00:00:00Z' } },
  source: 'openapi-2024-11',
} satisfies GongActionDefinition;

export const usersActions = [listUsers, getUser, getUserSettingsHistory, listUsersExtensive];
