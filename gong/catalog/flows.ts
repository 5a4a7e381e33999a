import { z } from 'zod';
import {
  DEFAULT_READ_RETRY,
  DEFAULT_WRITE_RETRY,
  GongId,
  Int64IdInput,
  NullableBoolean,
  NullableNumber,
  NullableString,
  NullableStringArray,
  PageRecords,
  PaginationControls,
  RequestId,
} from './common';
import type { GongActionDefinition } from './types';

const FlowId = GongId.describe('The Engage flow ID (see gong.flows.list).');
const CrmProspectIds = z.array(z.string().min(1)).min(1);

const GongFlowSchema = z.looseObject({
  id: GongId,
  name: NullableString,
  folderId: NullableString,
  folderName: NullableString,
  visibility: NullableString,
  creationDate: NullableString,
  exclusive: NullableBoolean,
});

const AssignedFlow = z.looseObject({
  flowId: NullableString,
  flowName: NullableString,
  crmProspectId: NullableString,
  flowInstanceId: NullableString,
  flowInstanceOwnerEmail: NullableString,
  flowInstanceOwnerFullName: NullableString,
  flowInstanceCreateDate: NullableString,
  flowInstanceStatus: NullableString,
  workspaceId: NullableString,
  exclusive: NullableBoolean,
});

const AssignFlowResponse = z.looseObject({
  requestId: RequestId,
  prospectsAssigned: z.array(AssignedFlow).nullish(),
  prospectsNotAssigned: z
    .array(
      z.looseObject({
        flowId: NullableString,
        crmProspectId: NullableString,
        errorCode: NullableString,
        errorMessage: NullableString,
      }),
    )
    .nullish(),
});

const assignInput = {
  crmProspectsIds: CrmProspectIds.max(200).describe('CRM IDs of the contacts or leads to add (up to 200).'),
  flowId: FlowId,
  flowInstanceOwnerEmail: z.email().describe('Email of the Gong user who will own the flow to-dos.'),
};

const UnassignResponse = z.looseObject({
  requestId: RequestId,
  unassignedFlowInstanceIds: NullableStringArray,
});

const UnassignedByUserEmail = z
  .email()
  .optional()
  .describe('Email of the Gong user removing the prospects (not the prospect).');

export const listFlows = {
  name: 'gong.flows.list',
  summary:
    "Engage flows: every company flow plus the given user's personal flows and flows shared with them.",
  method: 'GET',
  path: '/v2/flows',
  inputIn: 'query',
  input: z.strictObject({
    flowOwnerEmail: z.email().describe('Email of the Gong user whose personal and shared flows to include.'),
    workspaceId: GongId.optional().describe('Only flows of this workspace.'),
    ...PaginationControls,
  }),
  response: z.looseObject({ requestId: RequestId, records: PageRecords, flows: z.array(GongFlowSchema) }),
  scopes: ['api:flows:read'],
  pagination: { itemsKey: 'flows' },
  semantics: 'read',
  timeoutMs: 120_000,
  retry: DEFAULT_READ_RETRY,
  example: { flowOwnerEmail: 'jon.snow@acme.com' },
  source: 'openapi-2024-11',
} satisfies GongActionDefinition;

export const listFlowFolders = {
  name: 'gong.flows.folders.list',
  summary: "Engage flow folders: company folders plus the given user's personal and shared folders.",
  method: 'GET',
  path: '/v2/flows/folders',
  inputIn: 'query',
  input: z.strictObject({
    flowFolderOwnerEmail: z
      .email()
      .describe('Email of the Gong user whose personal and shared folders to include.'),
    parentId: Int64IdInput.optional().describe('Only this folder and its child folders.'),
    workspaceId: GongId.optional().describe('Only folders of this workspace.'),
    ...PaginationControls,
  }),
  response: z.looseObject({
    requestId: RequestId,
    records: PageRecords,
    flowsFolders: z.array(
      z.looseObject({
        id: z.string(),
        name: NullableString,
        parentFolderId: NullableString,
        createdById: NullableString,
        visibility: NullableString,
      }),
    ),
  }),
  scopes: ['api:flows:read'],
  pagination: { itemsKey: 'flowsFolders' },
  semantics: 'read',
  timeoutMs: 120_000,
  retry: DEFAULT_READ_RETRY,
  example: { flowFolderOwnerEmail: 'jon.snow@acme.com' },
  source: 'help-center',
  docsUrl: 'https://help.gong.io/apidocs/list-gong-engage-flow-folders-v2flowsfolders-1',
  notes: 'Real answers carry the string "null" in `parentFolderId`/`createdById` of built-in folders.',
} satisfies GongActionDefinition;

export const listProspectFlows = {
  name: 'gong.flows.prospects.list',
  summary: 'The Engage flow instances the given prospects (CRM contacts or leads) are in.',
  method: 'POST',
  path: '/v2/flows/prospects',
  inputIn: 'body',
  input: z.strictObject({
    crmProspectsIds: CrmProspectIds.describe('CRM IDs of the prospects.'),
  }),
  response: z.looseObject({ requestId: RequestId, prospectsAssigned: z.array(AssignedFlow) }),
  scopes: ['api:flows:read'],
  semantics: 'read',
  timeoutMs: 60_000,
  retry: DEFAULT_READ_RETRY,
  example: { crmProspectsIds: ['0033x00003Fh9YtAAJ', '00Q3x000021nWJ8EAM'] },
  source: 'openapi-2024-11',
} satisfies GongActionDefinition;

export const assignProspects = {
  name: 'gong.flows.prospects.assign',
  summary:
    'Add up to 200 prospects (CRM contacts or leads) to an Engage flow; failures are listed per prospect.',
  method: 'POST',
  path: '/v2/flows/prospects/assign',
  inputIn: 'body',
  input: z.strictObject(assignInput),
  response: AssignFlowResponse,
  scopes: ['api:flows:write'],
  semantics: 'unsafe',
  timeoutMs: 60_000,
  retry: DEFAULT_WRITE_RETRY,
  example: {
    crmProspectsIds: ['0033x00003Fh9YtAAJ'],
    flowId: '1695493301223590792',
    flowInstanceOwnerEmail: 'jon.snow@acme.com',
  },
  source: 'openapi-2024-11',
} satisfies GongActionDefinition;

export const assignProspectsCoolOffOverride = {
  name: 'gong.flows.prospects.assign-cool-off-override',
  summary: "As gong.flows.prospects.assign, bypassing the company's cool-off period between flows.",
  method: 'POST',
  path: '/v2/flows/prospects/assign/cool-off-override',
  inputIn: 'body',
  input: z.strictObject(assignInput),
  response: AssignFlowResponse,
  scopes: ['api:flows:write'],
  scopeSource: 'integrators',
  semantics: 'unsafe',
  timeoutMs: 60_000,
  retry: DEFAULT_WRITE_RETRY,
  example: {
    crmProspectsIds: ['0033x00003Fh9YtAAJ'],
    flowId: '1695493301223590792',
    flowInstanceOwnerEmail: 'jon.snow@acme.com',
  },
  source: 'observed',
  notes:
    'Known from integrators and real Gong answers (404 "Flow not found"), not from a Gong reference page.',
} satisfies GongActionDefinition;

export const getBulkAssignment = {
  name: 'gong.flows.prospects.bulk-assignments.get',
  summary: 'Status and results of a bulk prospects-to-flow assignment job.',
  method: 'GET',
  path: '/v2/flows/prospects/bulk-assignments/{id}',
  inputIn: 'query',
  input: z.strictObject({ id: z.string().min(1).describe('The bulk assignment ID.') }),
  response: z.looseObject({
    requestId: RequestId,
    bulkAssignmentId: NullableString,
    status: NullableString,
    totalProspects: NullableNumber,
    succeeded: NullableNumber,
    failed: NullableNumber,
    errors: z.array(z.looseObject({ prospectId: NullableString, error: NullableString })).nullish(),
  }),
  scopes: ['api:flows:read'],
  scopeSource: 'integrators',
  semantics: 'read',
  timeoutMs: 30_000,
  retry: DEFAULT_READ_RETRY,
  example: { id: '8201946620153870521' },
  source: 'observed',
  notes:
    'Known from integrators and real Gong answers (404 "Flow prospects bulk assignment <id> not found"); response fields unverified.',
} satisfies GongActionDefinition;

export const unassignByInstanceId = {
  name: 'gong.flows.prospects.unassign-by-instance-id',
  summary: 'Remove prospects from up to 200 flow instances; returns the instances actually removed.',
  method: 'POST',
  path: '/v2/flows/prospects/unassign-flows-by-instance-id',
  inputIn: 'body',
  input: z.strictObject({
    flowInstanceIds: z
      .array(z.string().min(1))
      .min(1)
      .max(200)
      .describe('Flow instance IDs (from gong.flows.prospects.list), up to 200.'),
    unassignedByUserEmail: UnassignedByUserEmail,
  }),
  response: UnassignResponse,
  scopes: ['api:flows:write'],
  semantics: 'idempotent',
  timeoutMs: 60_000,
  retry: DEFAULT_READ_RETRY,
  example: { flowInstanceIds: ['1234361284629356'], unassignedByUserEmail: 'jon.snow@acme.com' },
  source: 'help-center',
  docsUrl:
    'https://help.gong.io/apidocs/unassign-flows-by-flow-instance-id-v2flowsprospectsunassign-flows-by-instance-id-1',
  notes: 'Instances that could not be removed are absent from the answer and stay assigned.',
} satisfies GongActionDefinition;

export const unassignByCrmId = {
  name: 'gong.flows.prospects.unassign-by-crm-id',
  summary: 'Remove a prospect from one flow, or from every flow when no flowId is given.',
  method: 'POST',
  path: '/v2/flows/prospects/unassign-flows-by-crm-id',
  inputIn: 'body',
  input: z.strictObject({
    crmProspectId: z.string().min(1).describe('CRM ID of the prospect.'),
    flowId: FlowId.optional().describe('Only this flow. Omitted: every flow the prospect is in.'),
    unassignedByUserEmail: UnassignedByUserEmail,
  }),
  response: UnassignResponse,
  scopes: ['api:flows:write'],
  semantics: 'idempotent',
  timeoutMs: 60_000,
  retry: DEFAULT_READ_RETRY,
  example: { crmProspectId: '0033x00003Fh9YtAAJ', flowId: '1695493301223590792' },
  source: 'help-center',
  docsUrl:
    'https://help.gong.io/apidocs/unassign-flows-by-crm-prospect-id-v2flowsprospectsunassign-flows-by-crm-id-1',
} satisfies GongActionDefinition;

export const listFlowSteps = {
  name: 'gong.flows.steps.list',
  summary: 'Engage flows with their steps (type, delay, email subject and body ...).',
  method: 'POST',
  path: '/v2/flows/steps',
  inputIn: 'body',
  input: z.strictObject({ flowIds: z.array(GongId).min(1).describe('The flow IDs.') }),
  response: z.looseObject({
    requestId: RequestId,
    flows: z.array(
      GongFlowSchema.extend({
        steps: z
          .array(z.looseObject({ number: NullableNumber, type: NullableString, name: NullableString }))
          .nullish(),
      }),
    ),
  }),
  scopes: ['api:flows:read'],
  scopeSource: 'integrators',
  semantics: 'read',
  timeoutMs: 60_000,
  retry: DEFAULT_READ_RETRY,
  example: { flowIds: ['1695493301223590792'] },
  source: 'observed',
  notes:
    'Known from integrators and real Gong answers (404 "Flow not found: flowId=<id>"); step fields unverified.',
} satisfies GongActionDefinition;

export const flowsActions = [
  listFlows,
  listFlowFolders,
  listProspectFlows,
  assignProspects,
  assignProspectsCoolOffOverride,
  getBulkAssignment,
  unassignByInstanceId,
  unassignByCrmId,
  listFlowSteps,
];
