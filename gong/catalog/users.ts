import { z } from 'zod';
import { DEFAULT_READ_RETRY, GongId, PaginationControls, PageRecords, RequestId } from './common';
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
  settings: z.looseObject({}).nullable().optional(),
  managerId: GongId.nullable().optional(),
  meetingConsentPageUrl: z.string().nullable().optional(),
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
  idempotent: true,
  timeoutMs: 120_000,
  retry: DEFAULT_READ_RETRY,
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
  idempotent: true,
  timeoutMs: 30_000,
  retry: DEFAULT_READ_RETRY,
} satisfies GongActionDefinition;

export const usersActions = [listUsers, getUser];
