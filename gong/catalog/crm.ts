import { z } from 'zod';
import {
  BaseResponse,
  DEFAULT_READ_RETRY,
  DEFAULT_WRITE_RETRY,
  FileSource,
  GongNumericId,
  Int64IdInput,
  NullableBoolean,
  NullableInt,
  NullableString,
  NullableStringArray,
  RequestId,
  keyedByInput,
} from './common';
import type { GongActionDefinition } from './types';

const IntegrationId = Int64IdInput.describe(
  'The generic CRM integration ID (from gong.crm.integrations.register or .list); pass it as a digit string.',
);

const ClientRequestId = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,128}$/, 'letters, digits, dashes and underscores only')
  .describe(
    'Your unique ID for this request (letters, digits, - and _): lets Gong refuse replays; track it with gong.crm.request-status.get.',
  );

const SchemaObjectType = z.enum(['ACCOUNT', 'CONTACT', 'DEAL', 'LEAD']);

const GenericCrmIntegration = z.looseObject({
  integrationId: GongNumericId,
  ownerEmail: NullableString,
  name: NullableString,
});

const AsyncProcessingResponse = z.looseObject({ requestId: RequestId, clientRequestId: NullableString });

export const listCrmIntegrations = {
  name: 'gong.crm.integrations.list',
  summary: 'The generic CRM integration registered with gong.crm.integrations.register (at most one).',
  method: 'GET',
  path: '/v2/crm/integrations',
  inputIn: 'none',
  input: z.strictObject({}),
  response: z.looseObject({ requestId: RequestId, integrations: z.array(GenericCrmIntegration) }),
  scopes: ['api:crm:integrations:read'],
  semantics: 'read',
  timeoutMs: 30_000,
  retry: DEFAULT_READ_RETRY,
  example: {},
  source: 'openapi-2024-11',
  notes: '`integrationId` is a JSON int64: gongflow keeps it as a digit string when above 2^53.',
} satisfies GongActionDefinition;

export const registerCrmIntegration = {
  name: 'gong.crm.integrations.register',
  summary: 'Register the generic CRM integration that CRM uploads belong to; returns its integrationId.',
  method: 'PUT',
  path: '/v2/crm/integrations',
  inputIn: 'body',
  input: z.strictObject({
    ownerEmail: z.email().describe('Email of the person responsible for the integration.'),
    name: z.string().min(1).describe('Integration name.'),
  }),
  response: z.looseObject({ requestId: RequestId, integrationId: GongNumericId }),
  scopes: ['api:crm:integration:register'],
  semantics: 'keyed',
  // One integration per company: a repeat answers 409, and the integration of this name and owner is ours.
  key: {
    field: 'name',
    repeated: { status: 409 },
    existing: {
      from: 'lookup',
      action: 'gong.crm.integrations.list',
      input: () => ({}),
      pick: (found, input) => {
        const integrations =
          (
            found as {
              integrations?: Array<{ integrationId: unknown; name?: unknown; ownerEmail?: unknown }>;
            }
          ).integrations ?? [];
        const ours = integrations.find(
          (integration) =>
            integration.name === input['name'] && integration.ownerEmail === input['ownerEmail'],
        );
        return ours ? { integrationId: ours.integrationId } : undefined;
      },
    },
  },
  timeoutMs: 30_000,
  retry: DEFAULT_WRITE_RETRY,
  example: { ownerEmail: 'revops@acme.com', name: 'ACME in-house CRM' },
  source: 'openapi-2024-11',
  notes:
    'Only one CRM integration per company, native ones (Salesforce, HubSpot) included: a second answers 409. Delete the old one first.',
} satisfies GongActionDefinition;

export const deleteCrmIntegration = {
  name: 'gong.crm.integrations.delete',
  summary: 'Delete the generic CRM integration and all its CRM objects, asynchronously (up to 24 hours).',
  method: 'DELETE',
  path: '/v2/crm/integrations',
  inputIn: 'query',
  input: z.strictObject({ integrationId: IntegrationId, clientRequestId: ClientRequestId }),
  response: AsyncProcessingResponse,
  scopes: ['api:crm:integration:delete'],
  semantics: 'keyed',
  key: keyedByInput('clientRequestId', (input) => ({ clientRequestId: input['clientRequestId'] })),
  timeoutMs: 30_000,
  retry: DEFAULT_WRITE_RETRY,
  example: { integrationId: '5517027188234206000', clientRequestId: 'delete-acme-crm-2024-05-02' },
  source: 'openapi-2024-11',
  notes: 'Answers 201; poll gong.crm.request-status.get until DONE. Reusing a clientRequestId answers 409.',
} satisfies GongActionDefinition;

export const uploadCrmEntities = {
  name: 'gong.crm.entities.upload',
  summary: 'Insert, update or delete CRM objects of one type from an LDJSON file (processed asynchronously).',
  method: 'POST',
  path: '/v2/crm/entities',
  inputIn: 'multipart',
  queryFields: ['integrationId', 'objectType', 'clientRequestId'],
  input: z.strictObject({
    integrationId: IntegrationId,
    objectType: z
      .enum(['ACCOUNT', 'CONTACT', 'DEAL', 'LEAD', 'BUSINESS_USER', 'STAGE'])
      .describe('The type of every object in the file (case-sensitive).'),
    clientRequestId: ClientRequestId,
    dataFile: FileSource.describe(
      'LDJSON file, one object per line, one object type per file, up to 200 MB; each object needs objectId and modifiedDate.',
    ),
  }),
  response: AsyncProcessingResponse,
  scopes: ['api:crm:upload'],
  semantics: 'keyed',
  key: keyedByInput('clientRequestId', (input) => ({ clientRequestId: input['clientRequestId'] })),
  timeoutMs: 15 * 60_000,
  retry: DEFAULT_WRITE_RETRY,
  example: {
    integrationId: '5517027188234206000',
    objectType: 'ACCOUNT',
    clientRequestId: 'accounts-2024-05-02-001',
    dataFile: {
      content:
        '{"objectId":"0013601230sV7grAAC","modifiedDate":"2024-05-02T08:00:00Z","name":"Winterfell Logistics","domain":"winterfell.example"}\n',
      fileName: 'accounts.ldjson',
      contentType: 'application/x-ndjson',
    },
  },
  source: 'openapi-2024-02',
  notes:
    'In the 2024-02 export only, still served (Gong answers 400 "dataFile part is missing" without the file). Answers 201; poll gong.crm.request-status.get.',
} satisfies GongActionDefinition;

export const getCrmEntities = {
  name: 'gong.crm.entities.get',
  summary: 'Development aid: the CRM objects Gong stored for up to 100 CRM IDs (null for unknown IDs).',
  method: 'GET',
  path: '/v2/crm/entities',
  inputIn: 'body',
  queryFields: ['integrationId', 'objectType'],
  bodyField: 'objectsCrmIds',
  input: z.strictObject({
    integrationId: IntegrationId,
    objectType: SchemaObjectType.describe('The type of the requested objects.'),
    objectsCrmIds: z
      .array(z.string().min(1))
      .min(1)
      .max(100)
      .describe('CRM IDs of the objects (sent as the JSON body; Gong returns only the first 100).'),
  }),
  response: z.looseObject({
    requestId: RequestId,
    crmObjectsMap: z.record(z.string(), z.record(z.string(), z.unknown()).nullable()),
  }),
  scopes: ['api:crm:get-objects'],
  semantics: 'read',
  timeoutMs: 30_000,
  retry: DEFAULT_READ_RETRY,
  example: { integrationId: '5517027188234206000', objectType: 'DEAL', objectsCrmIds: ['1234', '8765'] },
  source: 'openapi-2024-11',
  stability: 'dev-only',
  notes:
    'A GET with a JSON body (Gong answers 415 without it): the client cannot use fetch, which forbids GET bodies.',
} satisfies GongActionDefinition;

export const listCrmEntitySchema = {
  name: 'gong.crm.entity-schema.list',
  summary: 'The schema fields uploaded for a CRM object type (or for all types).',
  method: 'GET',
  path: '/v2/crm/entity-schema',
  inputIn: 'query',
  input: z.strictObject({
    integrationId: IntegrationId,
    objectType: SchemaObjectType.optional().describe(
      'The object type (case-sensitive). Omitted: every type.',
    ),
  }),
  response: z.looseObject({
    requestId: RequestId,
    objectTypeToSelectedFields: z.record(
      z.string(),
      z.array(
        z.looseObject({
          name: NullableString,
          uniqueName: NullableString,
          label: NullableString,
          type: NullableString,
          lastModified: NullableString,
          isDeleted: NullableBoolean,
          referenceTo: NullableString,
          orderedValueList: NullableStringArray,
        }),
      ),
    ),
  }),
  scopes: ['api:crm:schema'],
  semantics: 'read',
  timeoutMs: 30_000,
  retry: DEFAULT_READ_RETRY,
  example: { integrationId: '5517027188234206000', objectType: 'ACCOUNT' },
  source: 'openapi-2024-11',
} satisfies GongActionDefinition;

export const uploadCrmEntitySchema = {
  name: 'gong.crm.entity-schema.upload',
  summary: 'Set the custom fields of a CRM object type: send every field each time; isDeleted removes one.',
  method: 'POST',
  path: '/v2/crm/entity-schema',
  inputIn: 'body',
  queryFields: ['integrationId', 'objectType'],
  bodyField: 'fields',
  input: z.strictObject({
    integrationId: IntegrationId,
    objectType: SchemaObjectType.describe('The object type whose schema to set (case-sensitive).'),
    fields: z
      .array(
        z.strictObject({
          uniqueName: z.string().min(1).describe('Unique field name in the CRM.'),
          label: z.string().min(1).describe('Label shown in Gong.'),
          type: z
            .enum([
              'DATE',
              'DATETIME',
              'NUMBER',
              'PERCENT',
              'CURRENCY',
              'ID',
              'URL',
              'STRING',
              'BOOLEAN',
              'PHONENUMBER',
              'EMAILADDRESS',
              'PICKLIST',
              'REFERENCE',
              'STRINGARRAY',
            ])
            .describe('Field type; changing it creates a new field and drops the old data.'),
          lastModified: z
            .string()
            .optional()
            .describe('When the field last changed (ISO-8601, no milliseconds).'),
          isDeleted: z.boolean().optional().describe('True deletes the field and its values everywhere.'),
          referenceTo: z
            .enum(['ACCOUNT', 'CONTACT', 'DEAL', 'LEAD', 'USER'])
            .optional()
            .describe('The referenced object type (REFERENCE fields only).'),
          orderedValueList: z
            .array(z.string())
            .optional()
            .describe('The values, in order (PICKLIST fields only).'),
        }),
      )
      .min(1)
      .describe('Every field of the schema (sent as the JSON body); omitting a known field is an error.'),
  }),
  response: BaseResponse,
  scopes: ['api:crm:schema'],
  semantics: 'idempotent',
  timeoutMs: 60_000,
  retry: DEFAULT_READ_RETRY,
  example: {
    integrationId: '5517027188234206000',
    objectType: 'ACCOUNT',
    fields: [
      { uniqueName: 'orderId', label: 'Order ID', type: 'ID', lastModified: '2024-05-02T08:00:00Z' },
      {
        uniqueName: 'category',
        label: 'Category',
        type: 'PICKLIST',
        orderedValueList: ['Customer', 'Partner', 'Competitor'],
        lastModified: '2024-05-02T08:00:00Z',
      },
    ],
  },
  source: 'openapi-2024-11',
} satisfies GongActionDefinition;

export const getCrmRequestStatus = {
  name: 'gong.crm.request-status.get',
  summary: 'Status of an asynchronous CRM upload or integration deletion, with up to 20 line errors.',
  method: 'GET',
  path: '/v2/crm/request-status',
  inputIn: 'query',
  input: z.strictObject({
    integrationId: IntegrationId,
    clientRequestId: ClientRequestId.describe('The clientRequestId of the upload or deletion.'),
  }),
  response: z.looseObject({
    requestId: RequestId,
    status: z.enum(['PENDING', 'IN_PROGRESS', 'DONE', 'FAILED']).or(z.string()),
    errors: z.array(z.looseObject({ line: NullableInt, description: NullableString })).nullish(),
    totalErrorCount: NullableInt,
    totalSuccessCount: NullableInt,
  }),
  scopes: ['api:crm:upload'],
  semantics: 'read',
  timeoutMs: 30_000,
  retry: DEFAULT_READ_RETRY,
  example: { integrationId: '5517027188234206000', clientRequestId: 'accounts-2024-05-02-001' },
  source: 'openapi-2024-11',
  notes: 'A single error on line 0 is a general processing error: fix and upload the whole file again.',
} satisfies GongActionDefinition;

export const crmActions = [
  listCrmIntegrations,
  registerCrmIntegration,
  deleteCrmIntegration,
  uploadCrmEntities,
  getCrmEntities,
  listCrmEntitySchema,
  uploadCrmEntitySchema,
  getCrmRequestStatus,
];
