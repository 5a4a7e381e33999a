import { z } from 'zod';
import {
  DEFAULT_READ_RETRY,
  GongId,
  IsoDateTimeInput,
  NullableString,
  PageRecords,
  PaginationControls,
  RequestId,
} from './common';
import type { GongActionDefinition } from './types';

export const listLogs = {
  name: 'gong.logs.list',
  summary:
    'Audit log entries of one type in a time range (access, user activity, call plays, external shares).',
  method: 'GET',
  path: '/v2/logs',
  inputIn: 'query',
  input: z.strictObject({
    logType: z
      .enum([
        'AccessLog',
        'UserActivityLog',
        'UserCallPlay',
        'ExternallySharedCallAccess',
        'ExternallySharedCallPlay',
      ])
      .describe('Which log.'),
    fromDateTime: IsoDateTimeInput.describe('Entries at or after this time.'),
    toDateTime: IsoDateTimeInput.optional().describe(
      'Entries before this time. Omitted: up to the latest entry.',
    ),
    ...PaginationControls,
  }),
  response: z.looseObject({
    requestId: RequestId,
    records: PageRecords,
    logEntries: z.array(
      z.looseObject({
        userId: GongId.nullish(),
        userEmailAddress: NullableString,
        userFullName: NullableString,
        impersonatorUserId: GongId.nullish(),
        impersonatorEmailAddress: NullableString,
        impersonatorFullName: NullableString,
        impersonatorCompanyId: GongId.nullish(),
        eventTime: NullableString,
        // Fields depend on the log type and the export lists none. A real UserActivityLog record holds auditId,
        // tableChanges, customData, remoteCallsAuditData, action, httpRequest and workspaceId (recorded traffic,
        // issue 18); the impersonator* fields above are left out, not null, when nobody impersonated.
        logRecord: z.record(z.string(), z.unknown()).nullish(),
      }),
    ),
  }),
  scopes: ['api:logs:read'],
  pagination: { itemsKey: 'logEntries' },
  semantics: 'read',
  timeoutMs: 300_000,
  retry: DEFAULT_READ_RETRY,
  example: {
    logType: 'UserActivityLog',
    fromDateTime: '2024-05-01T00:00:00Z',
    toDateTime: '2024-05-02T00:00:00Z',
  },
  source: 'openapi-2024-11',
  notes:
    '`logRecord` fields depend on the log type; a UserActivityLog record is the audit of one web request: `auditId`, `tableChanges`, `customData`, `remoteCallsAuditData`, `action`, `httpRequest` (`verb`, `endpointUri`, `clientIp`, `parameters` ...) and `workspaceId`.',
} satisfies GongActionDefinition;

export const logsActions = [listLogs];
