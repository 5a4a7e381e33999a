import { z } from 'zod';
import { GongApiError } from '../core/api-error';
import { isoTime } from '../core/clock';
import { fullName, userByEmail, userById } from '../core/company';
import type { FlowInstanceRecord, FlowRecord } from '../core/model';
import { defineOperations, type OperationContext } from './operation';
import { paginate } from './paging';
import { parseBody, requireQuery } from './validation';

function flowView(ctx: OperationContext, flow: FlowRecord) {
  const folder = ctx.company.flowFolders.find((candidate) => candidate.id === flow.folderId);
  return {
    id: flow.id,
    name: flow.name,
    folderId: flow.folderId,
    folderName: folder?.name ?? null,
    visibility: flow.visibility,
    creationDate: isoTime(flow.creationDate),
    exclusive: flow.exclusive,
  };
}

function instanceView(ctx: OperationContext, instance: FlowInstanceRecord) {
  const flow = ctx.company.flows.find((candidate) => candidate.id === instance.flowId);
  const owner = userById(ctx.company, instance.ownerUserId);
  return {
    flowId: instance.flowId,
    flowName: flow?.name ?? null,
    crmProspectId: instance.crmProspectId,
    flowInstanceId: instance.flowInstanceId,
    flowInstanceOwnerEmail: owner?.emailAddress ?? null,
    flowInstanceOwnerFullName: owner ? fullName(owner) : null,
    flowInstanceCreateDate: isoTime(instance.created),
    flowInstanceStatus: instance.status,
    workspaceId: flow?.workspaceId ?? null,
    exclusive: flow?.exclusive ?? false,
  };
}

function ownerOf(ctx: OperationContext, email: string) {
  const owner = userByEmail(ctx.company, email);
  if (!owner) throw new GongApiError(400, `User ${email} was not found`);
  return owner;
}

const AssignBody = z.looseObject({
  crmProspectsIds: z.array(z.string().min(1)).min(1).max(200),
  flowId: z.string().min(1),
  flowInstanceOwnerEmail: z.string().min(1),
});

/**
 * Assigns prospects to a flow. An exclusive flow refuses prospects already in another running flow
 * (InvalidState), unless the cool-off override is used for a prospect that just left one.
 */
function assign(ctx: OperationContext, override: boolean) {
  const body = parseBody(AssignBody, ctx.body);
  const flow = ctx.company.flows.find((candidate) => candidate.id === body.flowId);
  if (!flow) throw new GongApiError(404, 'Flow not found');
  const owner = ownerOf(ctx, body.flowInstanceOwnerEmail);
  const assigned: FlowInstanceRecord[] = [];
  const notAssigned: Record<string, unknown>[] = [];
  for (const prospectId of [...new Set(body.crmProspectsIds)]) {
    const current = ctx.company.flowInstances.filter((instance) => instance.crmProspectId === prospectId);
    if (current.some((instance) => instance.flowId === flow.id)) {
      notAssigned.push({
        flowId: flow.id,
        crmProspectId: prospectId,
        errorCode: 'InvalidState',
        errorMessage: 'The prospect is already assigned to this flow',
      });
      continue;
    }
    if (flow.exclusive && current.length && !override) {
      notAssigned.push({
        flowId: flow.id,
        crmProspectId: prospectId,
        errorCode: 'InvalidState',
        errorMessage: 'The prospect is already in another flow and this flow is exclusive',
      });
      continue;
    }
    const instance: FlowInstanceRecord = {
      flowInstanceId: ctx.company.ids.numericId(19),
      flowId: flow.id,
      crmProspectId: prospectId,
      ownerUserId: owner.id,
      created: ctx.now,
      status: 'Running',
    };
    ctx.company.flowInstances.push(instance);
    assigned.push(instance);
  }
  // Every assignment is also recorded as a bulk-assignment job (its ID is an emulator extra field).
  const bulkAssignmentId = ctx.company.ids.numericId(19);
  ctx.company.bulkAssignments.set(bulkAssignmentId, {
    id: bulkAssignmentId,
    created: ctx.now,
    flowId: flow.id,
    crmProspectIds: assigned.map((instance) => instance.crmProspectId),
    failures: notAssigned.map((failure) => ({
      prospectId: String(failure['crmProspectId']),
      error: String(failure['errorMessage']),
    })),
  });
  return {
    body: {
      prospectsAssigned: assigned.map((instance) => instanceView(ctx, instance)),
      prospectsNotAssigned: notAssigned,
      bulkAssignmentId,
    },
  };
}

function unassign(ctx: OperationContext, instances: FlowInstanceRecord[]) {
  const ids = new Set(instances.map((instance) => instance.flowInstanceId));
  ctx.company.flowInstances = ctx.company.flowInstances.filter(
    (instance) => !ids.has(instance.flowInstanceId),
  );
  return { body: { unassignedFlowInstanceIds: [...ids] } };
}

export const flowsOperations = defineOperations(
  {
    method: 'GET',
    path: '/v2/flows',
    scope: 'api:flows:read',
    handle(ctx) {
      const owner = ownerOf(ctx, requireQuery(ctx.query, 'flowOwnerEmail'));
      const workspaceId = ctx.query['workspaceId'];
      const flows = ctx.company.flows.filter(
        (flow) =>
          (flow.visibility !== 'Personal' || flow.ownerUserId === owner.id) &&
          (!workspaceId || flow.workspaceId === workspaceId),
      );
      const page = paginate(ctx, 'flows.list', flows);
      return { body: { records: page.records, flows: page.items.map((flow) => flowView(ctx, flow)) } };
    },
  },
  {
    method: 'GET',
    path: '/v2/flows/folders',
    scope: 'api:flows:read',
    handle(ctx) {
      const owner = ownerOf(ctx, requireQuery(ctx.query, 'flowFolderOwnerEmail'));
      const workspaceId = ctx.query['workspaceId'];
      const parentId = ctx.query['parentId'];
      const folders = ctx.company.flowFolders.filter(
        (folder) =>
          (folder.visibility !== 'Personal' || folder.createdById === owner.id) &&
          (!workspaceId || folder.workspaceId === workspaceId) &&
          (!parentId || folder.id === parentId || folder.parentFolderId === parentId),
      );
      const page = paginate(ctx, 'flows.folders', folders);
      return {
        body: {
          records: page.records,
          flowsFolders: page.items.map((folder) => ({
            id: folder.id,
            name: folder.name,
            parentFolderId: folder.parentFolderId,
            createdById: folder.createdById,
            visibility: folder.visibility,
          })),
        },
      };
    },
  },
  {
    method: 'POST',
    path: '/v2/flows/prospects',
    scope: 'api:flows:read',
    handle(ctx) {
      const body = parseBody(z.looseObject({ crmProspectsIds: z.array(z.string()).min(1) }), ctx.body);
      const wanted = new Set(body.crmProspectsIds);
      return {
        body: {
          prospectsAssigned: ctx.company.flowInstances
            .filter((instance) => wanted.has(instance.crmProspectId))
            .map((instance) => instanceView(ctx, instance)),
        },
      };
    },
  },
  {
    method: 'POST',
    path: '/v2/flows/prospects/assign',
    scope: 'api:flows:write',
    handle: (ctx) => assign(ctx, false),
  },
  {
    method: 'POST',
    path: '/v2/flows/prospects/assign/cool-off-override',
    scope: 'api:flows:write',
    handle: (ctx) => assign(ctx, true),
  },
  {
    method: 'GET',
    path: '/v2/flows/prospects/bulk-assignments/:id',
    scope: 'api:flows:read',
    handle(ctx) {
      const id = ctx.params['id'] ?? '';
      const job = ctx.company.bulkAssignments.get(id);
      if (!job) throw new GongApiError(404, `Flow prospects bulk assignment ${id} not found`);
      return {
        body: {
          bulkAssignmentId: job.id,
          status: 'COMPLETED',
          totalProspects: job.crmProspectIds.length + job.failures.length,
          succeeded: job.crmProspectIds.length,
          failed: job.failures.length,
          errors: job.failures,
        },
      };
    },
  },
  {
    method: 'POST',
    path: '/v2/flows/prospects/unassign-flows-by-instance-id',
    scope: 'api:flows:write',
    handle(ctx) {
      const body = parseBody(
        z.looseObject({
          flowInstanceIds: z.array(z.string()).min(1).max(200),
          unassignedByUserEmail: z.string().nullish(),
        }),
        ctx.body,
      );
      if (body.unassignedByUserEmail) ownerOf(ctx, body.unassignedByUserEmail);
      const instances = body.flowInstanceIds.map((id) =>
        ctx.company.flowInstances.find((instance) => instance.flowInstanceId === id),
      );
      if (instances.some((instance) => !instance))
        throw new GongApiError(400, 'One or more of the given flowInstanceIds does not exist');
      return unassign(
        ctx,
        instances.filter((instance) => instance !== undefined),
      );
    },
  },
  {
    method: 'POST',
    path: '/v2/flows/prospects/unassign-flows-by-crm-id',
    scope: 'api:flows:write',
    handle(ctx) {
      const body = parseBody(
        z.looseObject({
          crmProspectId: z.string().min(1),
          flowId: z.string().nullish(),
          unassignedByUserEmail: z.string().nullish(),
        }),
        ctx.body,
      );
      if (body.unassignedByUserEmail) ownerOf(ctx, body.unassignedByUserEmail);
      if (body.flowId && !ctx.company.flows.some((flow) => flow.id === body.flowId))
        throw new GongApiError(404, `Flow not found: flowId=${body.flowId}`);
      return unassign(
        ctx,
        ctx.company.flowInstances.filter(
          (instance) =>
            instance.crmProspectId === body.crmProspectId &&
            (!body.flowId || instance.flowId === body.flowId),
        ),
      );
    },
  },
  {
    method: 'POST',
    path: '/v2/flows/steps',
    scope: 'api:flows:read',
    handle(ctx) {
      const body = parseBody(z.looseObject({ flowIds: z.array(z.string()).min(1) }), ctx.body);
      const flows = body.flowIds.map((id) => ctx.company.flows.find((flow) => flow.id === id));
      const missing = body.flowIds.find((_, index) => !flows[index]);
      if (missing) throw new GongApiError(404, `Flow not found: flowId=${missing}`);
      return {
        body: {
          flows: flows
            .filter((flow) => flow !== undefined)
            .map((flow) => ({
              ...flowView(ctx, flow),
              // Only the fields integrators read (number, type, name): Gong documents none.
              steps: flow.steps.map((step, index) => ({
                number: index + 1,
                type: step.type,
                name: `Day ${String(step.dayOffset + 1)}: ${step.type.toLowerCase()}`,
              })),
            })),
        },
      };
    },
  },
);
