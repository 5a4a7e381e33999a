import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { GrpcStatus, grpcStatusOf, isGrpcNotFound } from '../core/grpc-status';
import { visibilityString } from '../core/visibility';
import { POLLER_WORKFLOW, pollerWorkflowId, scheduleId } from './ids';
import { POLLED_KINDS } from './kinds';

/**
 * Finding a deployment's pollers and schedules of one definition on one connection: the listing (which finds
 * any key, including one past a gap) merged with a read by id (which finds what the listing has not caught up
 * with). Undeploy, a new version's deploy, `triggers pause/resume/backfill` and a filtered `triggers` listing
 * all go through here, so a trigger deployed a moment ago is never "not deployed" to any of them.
 */
export interface DeployedTarget {
  /** Only this deployment's triggers (its task queue). */
  taskQueue: string;
  definition: string;
  connection: string;
  /** Only this trigger of the definition. */
  key?: string;
}

/** Running poller workflow ids of the target (listed and probed), unfiltered by key beyond `target.key`. */
export async function deployedPollers(client: Client, target: DeployedTarget): Promise<string[]> {
  const running = `WorkflowType = '${POLLER_WORKFLOW}' AND ExecutionStatus = 'Running' AND TaskQueue = ${visibilityString(target.taskQueue)}`;
  const executions = await withNarrowestFilter(
    (filter) => collect(client.workflow.list({ query: filter ? `${running} AND ${filter}` : running })),
    [
      // Every poller carries these (deployTriggers sets them at start): a deploy reads only its own.
      `GongflowDefinition = ${visibilityString(target.definition)} AND GongflowConnection = ${visibilityString(target.connection)}`,
      `WorkflowId STARTS_WITH ${visibilityString(`gongflow-poller/${target.definition}/`)}`,
    ],
  );
  const probed = await probeDeployed(target, POLLED_KINDS, pollerWorkflowId, (id) =>
    runsOn(client, id, target.taskQueue),
  );
  return ofTarget(target, 'gongflow-poller', [
    ...executions.map((execution) => execution.workflowId),
    ...probed,
  ]);
}

/**
 * Schedule ids of the target (listed and probed) whose action starts runs on the target's task queue, read raw
 * (the action's payloads may be encrypted with another deployment's keys), once per schedule.
 */
export async function deployedSchedules(client: Client, target: DeployedTarget): Promise<string[]> {
  const ofDefinition = `ScheduleId STARTS_WITH ${visibilityString(`gongflow-schedule/${target.definition}/`)}`;
  const summaries = await withNarrowestFilter(
    (filter) => collect(client.schedule.list(filter ? { query: filter } : {})),
    [
      // Schedules deployed since they carry search attributes name their connection; older ones (no
      // attribute) are listed too, so an undeploy still finds a schedule a previous release created.
      `${ofDefinition} AND (GongflowConnection = ${visibilityString(target.connection)} OR GongflowConnection IS NULL)`,
      ofDefinition,
    ],
  );
  const taskQueues = new Map<string, Promise<string | undefined>>();
  const taskQueueOf = (id: string): Promise<string | undefined> => {
    let taskQueue = taskQueues.get(id);
    if (!taskQueue) {
      taskQueue = client.workflowService
        .describeSchedule({ namespace: client.options.namespace, scheduleId: id })
        .then((raw) => raw.schedule?.action?.startWorkflow?.taskQueue?.name ?? undefined);
      taskQueues.set(id, taskQueue);
    }
    return taskQueue;
  };
  const isOurs = async (id: string): Promise<boolean> => (await taskQueueOf(id)) === target.taskQueue;
  const probed = await probeDeployed(target, ['schedule'], scheduleId, isOurs);
  const candidates = ofTarget(target, 'gongflow-schedule', [
    ...summaries.map((summary) => summary.scheduleId),
    ...probed,
  ]);
  const ids: string[] = [];
  for (const id of candidates) {
    try {
      if (await isOurs(id)) ids.push(id);
    } catch (error) {
      // Listed a moment ago, deleted meanwhile (schedule listings are eventually consistent).
      if (!isGrpcNotFound(error)) throw error;
    }
  }
  return ids;
}

/** Whether the workflow `id` is running on this task queue (read by id: consistent). */
export async function runsOn(client: Client, id: string, taskQueue: string): Promise<boolean> {
  try {
    const description = await client.workflow.getHandle(id).describe();
    return description.status.name === 'RUNNING' && description.taskQueue === taskQueue;
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) return false;
    throw error;
  }
}

/** The ids (deduplicated, in order) that name the target's definition, connection and key. */
function ofTarget(target: DeployedTarget, prefix: string, ids: readonly string[]): string[] {
  return [...new Set(ids)].filter((id) => {
    const [idPrefix, definition = '', key = '', connection = ''] = id.split('/');
    return (
      idPrefix === prefix &&
      definition === target.definition &&
      connection === target.connection &&
      (target.key === undefined || key === target.key)
    );
  });
}

/**
 * The ids of the triggers a deploy would have given these kinds on the target's definition and connection,
 * read one by one. Listings are eventually consistent: a poller or schedule deployed a moment ago may not be
 * listed yet, and an undeploy (or a new version's deploy) that missed it would leave it starting runs of the old
 * plan. Describing by id is consistent. Keys are the kind, then `kind#2`, `kind#3`... (triggerKey), so each kind
 * is probed until the first key that is not deployed; the listing still finds what a gap would hide.
 */
async function probeDeployed(
  target: DeployedTarget,
  kinds: readonly string[],
  idOf: (definition: string, key: string, connection: string) => string,
  deployed: (id: string) => Promise<boolean>,
): Promise<string[]> {
  const exists = async (id: string): Promise<boolean> => {
    try {
      return await deployed(id);
    } catch (error) {
      if (error instanceof WorkflowNotFoundError || isGrpcNotFound(error)) return false;
      throw error;
    }
  };
  const idFor = (key: string): string => idOf(target.definition, key, target.connection);
  if (target.key !== undefined) {
    const { key } = target;
    const id = idFor(key);
    const ofKinds = kinds.some((kind) => key === kind || key.startsWith(`${kind}#`));
    return ofKinds && (await exists(id)) ? [id] : [];
  }
  const found: string[] = [];
  for (const kind of kinds) {
    for (let occurrence = 1; ; occurrence += 1) {
      const id = idFor(occurrence === 1 ? kind : `${kind}#${occurrence}`);
      if (!(await exists(id))) break;
      found.push(id);
    }
  }
  return found;
}

/**
 * Lists with the first filter the server accepts, narrowest first, so a deploy reads only its own triggers.
 * Unfiltered, deploying N triggers read O(N²) listings (1,000 pollers took over 14 minutes); filtered by the
 * definition's id prefix only, one definition deployed on 1,000 connections still did (a listing of ~250
 * pollers outlasted the CLI's 10 s deadline on a loaded dev server). A server without the search attributes
 * registered, or without STARTS_WITH in its visibility (before Temporal 1.23), refuses a filter with
 * INVALID_ARGUMENT: the next one is tried, and at last the unfiltered listing. The callers check each id anyway.
 */
export async function withNarrowestFilter<T>(
  list: (filter: string | undefined) => Promise<T[]>,
  filters: readonly string[],
): Promise<T[]> {
  for (const filter of filters) {
    try {
      return await list(filter);
    } catch (error) {
      if (grpcStatusOf(error) !== GrpcStatus.INVALID_ARGUMENT) throw error;
    }
  }
  return list(undefined);
}

export async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const item of items) all.push(item);
  return all;
}
