import { z } from 'zod';
import { GongApiError } from '../core/api-error';
import type { CompanyState } from '../core/company';
import { jsonNumber, parseJson } from '../core/json';
import type { CrmIntegrationRecord, CrmRequestRecord } from '../core/model';
import { defineOperations, type OperationContext } from './operation';
import { parseBody, requireQuery } from './validation';

const UPLOAD_TYPES = ['ACCOUNT', 'CONTACT', 'DEAL', 'LEAD', 'BUSINESS_USER', 'STAGE'];
const READ_TYPES = ['ACCOUNT', 'CONTACT', 'DEAL', 'LEAD'];
const FIELD_TYPES = [
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
] as const;

/** Async CRM requests move PENDING -> IN_PROGRESS -> DONE/FAILED on the emulated clock. */
export function requestStatus(
  request: CrmRequestRecord,
  now: number,
): 'PENDING' | 'IN_PROGRESS' | 'DONE' | 'FAILED' {
  if (now < request.startsAt) return 'PENDING';
  if (now < request.finishesAt) return 'IN_PROGRESS';
  return request.errors.length ? 'FAILED' : 'DONE';
}

/** An integration is gone once its asynchronous delete request has finished. */
function isActive(company: CompanyState, integration: CrmIntegrationRecord, now: number): boolean {
  if (integration.deleted) return false;
  for (const request of company.crmRequests.values())
    if (
      request.kind === 'delete' &&
      request.integrationId === integration.integrationId &&
      requestStatus(request, now) === 'DONE'
    )
      return false;
  return true;
}

function activeIntegration(ctx: OperationContext): CrmIntegrationRecord {
  const integrationId = requireQuery(ctx.query, 'integrationId');
  const integration = ctx.company.crmIntegrations.find(
    (candidate) => candidate.integrationId === integrationId,
  );
  if (!integration || !isActive(ctx.company, integration, ctx.now))
    throw new GongApiError(400, `Integration ${integrationId} does not exist`);
  return integration;
}

function objectType(ctx: OperationContext, allowed: string[]): string {
  const type = requireQuery(ctx.query, 'objectType');
  if (!allowed.includes(type)) throw new GongApiError(400, `objectType must be one of ${allowed.join(', ')}`);
  return type;
}

function newRequest(
  ctx: OperationContext,
  integrationId: string,
  kind: CrmRequestRecord['kind'],
): CrmRequestRecord {
  const clientRequestId = requireQuery(ctx.query, 'clientRequestId');
  if (ctx.company.crmRequests.has(clientRequestId))
    throw new GongApiError(409, `clientRequestId ${clientRequestId} was already used`);
  const settings = ctx.context.settings;
  const request: CrmRequestRecord = {
    clientRequestId,
    integrationId,
    kind,
    createdAt: ctx.now,
    startsAt: ctx.now + settings.crmPendingMs,
    finishesAt: ctx.now + settings.crmPendingMs + settings.crmProcessingMs,
    errors: [],
    successCount: 0,
  };
  ctx.company.crmRequests.set(clientRequestId, request);
  return request;
}

async function readRawBody(ctx: OperationContext): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of ctx.request.raw)
    chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  return Buffer.concat(chunks).toString('utf8');
}

/** Parses an LDJSON upload: one object per line, each with an `objectId`; bad lines become line errors. */
function ingest(
  integration: CrmIntegrationRecord,
  type: string,
  text: string,
  request: CrmRequestRecord,
): void {
  const objects = integration.objects.get(type) ?? new Map<string, Record<string, unknown>>();
  integration.objects.set(type, objects);
  text.split(/\r?\n/).forEach((line, index) => {
    if (!line.trim()) return;
    let value: unknown;
    try {
      value = parseJson(line);
    } catch {
      request.errors.push({ line: index + 1, description: 'Line is not valid JSON' });
      return;
    }
    const record =
      value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
    const id = record?.['objectId'];
    if (!record || (typeof id !== 'string' && typeof id !== 'number')) {
      request.errors.push({ line: index + 1, description: 'Missing required field: objectId' });
      return;
    }
    if (record['isDeleted'] === true) objects.delete(String(id));
    else objects.set(String(id), record);
    request.successCount++;
  });
}

export const crmOperations = defineOperations(
  {
    method: 'PUT',
    path: '/v2/crm/integrations',
    scope: 'api:crm:integration:register',
    handle(ctx) {
      const body = parseBody(
        z.looseObject({ ownerEmail: z.string().min(1), name: z.string().min(1) }),
        ctx.body,
      );
      if (ctx.company.crmIntegrations.some((integration) => isActive(ctx.company, integration, ctx.now)))
        throw new GongApiError(
          409,
          'Your organization already has an active GENERIC CRM integration. Only 1 active integration is supported. Please disconnect the existing GENERIC CRM integration before creating a new Generic CRM integration',
        );
      const integration: CrmIntegrationRecord = {
        integrationId: ctx.company.ids.numericId(19),
        ownerEmail: body.ownerEmail,
        name: body.name,
        deleted: false,
        objects: new Map(),
        schema: new Map(),
      };
      ctx.company.crmIntegrations.push(integration);
      return { body: { integrationId: jsonNumber(integration.integrationId) } };
    },
  },
  {
    method: 'GET',
    path: '/v2/crm/integrations',
    scope: 'api:crm:integrations:read',
    handle: (ctx) => ({
      body: {
        integrations: ctx.company.crmIntegrations
          .filter((integration) => isActive(ctx.company, integration, ctx.now))
          .map((integration) => ({
            integrationId: jsonNumber(integration.integrationId),
            ownerEmail: integration.ownerEmail,
            name: integration.name,
          })),
      },
    }),
  },
  {
    method: 'DELETE',
    path: '/v2/crm/integrations',
    scope: 'api:crm:integration:delete',
    handle(ctx) {
      const integration = activeIntegration(ctx);
      const request = newRequest(ctx, integration.integrationId, 'delete');
      return { status: 201, body: { clientRequestId: request.clientRequestId } };
    },
  },
  {
    method: 'POST',
    path: '/v2/crm/entities',
    scope: 'api:crm:upload',
    async handle(ctx) {
      // Gong reads the body before the query: a bad upload gets 415/400 even for an unknown integration
      // (recorded traffic, issue 18).
      if (!ctx.request.isMultipart()) throw new GongApiError(415, 'Unsupported Media Type');
      let text: string | null = null;
      for await (const part of ctx.request.parts())
        if (part.type === 'file' && part.fieldname === 'dataFile')
          text = (await part.toBuffer()).toString('utf8');
        else if (part.type === 'file') await part.toBuffer();
      if (text === null) throw new GongApiError(400, 'dataFile part is missing');
      const integration = activeIntegration(ctx);
      const type = objectType(ctx, UPLOAD_TYPES);
      requireQuery(ctx.query, 'clientRequestId');
      const request = newRequest(ctx, integration.integrationId, 'upload');
      ingest(integration, type, text, request);
      return { status: 201, body: { clientRequestId: request.clientRequestId } };
    },
  },
  {
    method: 'GET',
    path: '/v2/crm/entities',
    scope: 'api:crm:get-objects',
    async handle(ctx) {
      // The JSON body is checked before the integration, as Gong does (recorded: 415 for integrationId 123).
      const contentType = ctx.request.headers['content-type'] ?? '';
      const text = await readRawBody(ctx);
      if (!contentType.includes('json') || !text.trim())
        throw new GongApiError(415, 'Unsupported Media Type');
      const integration = activeIntegration(ctx);
      const type = objectType(ctx, READ_TYPES);
      let ids: unknown;
      try {
        ids = parseJson(text);
      } catch {
        throw new GongApiError(400, 'Malformed request');
      }
      if (!Array.isArray(ids))
        throw new GongApiError(400, 'The request body must be a JSON array of CRM IDs');
      const objects = integration.objects.get(type);
      const map: Record<string, unknown> = {};
      for (const id of ids.slice(0, 100).map(String)) map[id] = objects?.get(id) ?? null;
      return { body: { crmObjectsMap: map } };
    },
  },
  {
    method: 'GET',
    path: '/v2/crm/entity-schema',
    scope: 'api:crm:schema',
    handle(ctx) {
      const integration = activeIntegration(ctx);
      const type = objectType(ctx, UPLOAD_TYPES);
      const fields = [...(integration.schema.get(type)?.values() ?? [])].filter(
        (field) => field['isDeleted'] !== true,
      );
      return { body: { objectTypeToSelectedFields: { [type]: fields } } };
    },
  },
  {
    method: 'POST',
    path: '/v2/crm/entity-schema',
    scope: 'api:crm:schema',
    handle(ctx) {
      const integration = activeIntegration(ctx);
      const type = objectType(ctx, UPLOAD_TYPES);
      const fields = parseBody(
        z.array(
          z.looseObject({
            uniqueName: z.string().min(1),
            label: z.string().min(1),
            type: z.enum(FIELD_TYPES),
            lastModified: z.string().nullish(),
            isDeleted: z.boolean().nullish(),
            referenceTo: z.string().nullish(),
            orderedValueList: z.array(z.string()).nullish(),
          }),
        ),
        ctx.body ?? [],
      );
      const schema = integration.schema.get(type) ?? new Map<string, Record<string, unknown>>();
      integration.schema.set(type, schema);
      for (const field of fields) schema.set(field.uniqueName, { ...field });
      return { body: {} };
    },
  },
  {
    method: 'GET',
    path: '/v2/crm/request-status',
    scope: 'api:crm:upload',
    handle(ctx) {
      const integrationId = requireQuery(ctx.query, 'integrationId');
      const clientRequestId = requireQuery(ctx.query, 'clientRequestId');
      const request = ctx.company.crmRequests.get(clientRequestId);
      if (!request || request.integrationId !== integrationId)
        throw new GongApiError(404, `Request ${clientRequestId} was not found`);
      const status = requestStatus(request, ctx.now);
      const finished = status === 'DONE' || status === 'FAILED';
      return {
        body: {
          status,
          errors: finished ? request.errors.slice(0, 20) : [],
          totalErrorCount: finished ? request.errors.length : 0,
          totalSuccessCount: finished ? request.successCount : 0,
        },
      };
    },
  },
);
