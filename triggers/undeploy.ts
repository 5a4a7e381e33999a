import {
  isGrpcServiceError,
  ScheduleNotFoundError,
  WorkflowNotFoundError,
  type Client,
} from '@temporalio/client';
import { GongflowError } from '../core/errors';
import { visibilityString } from '../core/visibility';
import { isUnansweredQuery } from '../temporal/unanswered-query';
import type { WebhookEndpointChange, WebhookEndpointConfig } from '../workflows/triggers/webhook-endpoint';
import { POLLER_WORKFLOW, pollerWorkflowId, scheduleId, webhookEndpointWorkflowId } from './ids';
import { POLLED_KINDS } from './kinds';

/** One trigger an undeploy (or a deploy that dropped it) removed, and what became of it. */
export interface RemovedTrigger {
  type: 'poller' | 'schedule' | 'webhook';
  /** Temporal workflow or schedule id that held it. */
  id: string;
  definition: string;
  key: string;
  connection: string;
  detail: string;
}

export interface UndeployTarget {
  /** Only this deployment's triggers (its task queue): another deployment's are not ours to remove. */
  taskQueue: string;
  definition: string;
  connection: string;
  /** Only this trigger of the definition. */
  key?: string;
  /** Keep these triggers (a deploy keeps what the new version still declares). */
  keep?: readonly string[];
}

/**
 * Removes a definition's triggers on a connection, so none of them starts a run again: the webhook
 * subscription leaves the connection's endpoint (the endpoint, and its keys, close with the last one),
 * pollers are terminated, schedules deleted. Each is found by what Temporal holds, not by a definition
 * file, so a trigger of a version whose file is gone is found too.
 */
export async function undeployTriggers(client: Client, target: UndeployTarget): Promise<RemovedTrigger[]> {
  const wanted = (key: string): boolean =>
    (target.key === undefined || key === target.key) && !(target.keep ?? []).includes(key);
  // The webhook first: it is the one whose state must be read, so a failure stops before anything is gone.
  const removed = await removeWebhookSubscriptions(client, target, wanted);
  removed.push(...(await removePollers(client, target, wanted)));
  removed.push(...(await removeSchedules(client, target, wanted)));
  return removed;
}

async function removeWebhookSubscriptions(
  client: Client,
  target: UndeployTarget,
  wanted: (key: string) => boolean,
): Promise<RemovedTrigger[]> {
  const id = webhookEndpointWorkflowId(target.connection);
  const handle = client.workflow.getHandle(id);
  let config: WebhookEndpointConfig;
  try {
    if ((await handle.describe()).status.name !== 'RUNNING') return [];
    config = await handle.query<WebhookEndpointConfig>('webhookConfig');
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) return [];
    if (isUnansweredQuery(error))
      throw new GongflowError(
        'TRIGGER_ENDPOINT_UNREADABLE',
        `The webhook endpoint of connection ${target.connection} did not answer: no trigger was removed.`,
        { hint: `Start a gongflow worker on task queue ${target.taskQueue}, then undeploy again.` },
      );
    throw error;
  }
  const leaving = config.subscriptions.filter(
    (subscription) =>
      subscription.plan.name === target.definition &&
      subscription.taskQueue === target.taskQueue &&
      wanted(subscription.key),
  );
  if (leaving.length === 0) return [];
  const changes: WebhookEndpointChange[] = leaving.map((subscription) => ({
    type: 'unsubscribe',
    definition: target.definition,
    key: subscription.key,
  }));
  await handle.signal('configure', changes);
  const closes = leaving.length === config.subscriptions.length;
  return leaving.map((subscription) => ({
    type: 'webhook' as const,
    id,
    definition: target.definition,
    key: subscription.key,
    connection: target.connection,
    detail: closes
      ? `webhook subscription removed; it was the connection's last, so its endpoint closed and its ${config.urlKeySha256.length} URL key(s) and ${config.publicKeys.length} public key(s) are forgotten (deliveries answer 404 WEBHOOK_NOT_CONFIGURED)`
      : `webhook subscription removed; the connection's endpoint and keys stay for its ${config.subscriptions.length - leaving.length} other subscription(s)`,
  }));
}

async function removePollers(
  client: Client,
  target: UndeployTarget,
  wanted: (key: string) => boolean,
): Promise<RemovedTrigger[]> {
  const removed: RemovedTrigger[] = [];
  const running = `WorkflowType = '${POLLER_WORKFLOW}' AND ExecutionStatus = 'Running' AND TaskQueue = ${visibilityString(target.taskQueue)}`;
  const executions = await withNarrowestFilter(
    (filter) => collect(client.workflow.list({ query: filter ? `${running} AND ${filter}` : running })),
    [
      // Every poller carries these (deployTriggers sets them at start): a deploy reads only its own.
      `GongflowDefinition = ${visibilityString(target.definition)} AND GongflowConnection = ${visibilityString(target.connection)}`,
      `WorkflowId STARTS_WITH ${visibilityString(`gongflow-poller/${target.definition}/`)}`,
    ],
  );
  const listed = executions.map((execution) => execution.workflowId);
  const probed = await probeDeployed(target, POLLED_KINDS, pollerWorkflowId, async (id) => {
    const description = await client.workflow.getHandle(id).describe();
    return description.status.name === 'RUNNING' && description.taskQueue === target.taskQueue;
  });
  for (const workflowId of new Set([...listed, ...probed])) {
    const [, definition = '', key = '', connection = ''] = workflowId.split('/');
    if (definition !== target.definition || connection !== target.connection || !wanted(key)) continue;
    try {
      await client.workflow.getHandle(workflowId).terminate('trigger undeployed');
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) continue; // it closed meanwhile
      throw error;
    }
    removed.push({
      type: 'poller',
      id: workflowId,
      definition,
      key,
      connection,
      detail: 'poller stopped (its workflow terminated); runs it started are not touched',
    });
  }
  return removed;
}

async function removeSchedules(
  client: Client,
  target: UndeployTarget,
  wanted: (key: string) => boolean,
): Promise<RemovedTrigger[]> {
  const removed: RemovedTrigger[] = [];
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
  // Each schedule's task queue, read once (the probe's reads serve the loop). Raw: the action's payloads may
  // be encrypted with another deployment's keys.
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
  const listed = summaries.map((summary) => summary.scheduleId);
  const probed = await probeDeployed(
    target,
    ['schedule'],
    scheduleId,
    async (id) => (await taskQueueOf(id)) === target.taskQueue,
  );
  for (const id of new Set([...listed, ...probed])) {
    const [prefix, definition = '', key = '', connection = ''] = id.split('/');
    if (prefix !== 'gongflow-schedule' || definition !== target.definition) continue;
    if (connection !== target.connection || !wanted(key)) continue;
    try {
      if ((await taskQueueOf(id)) !== target.taskQueue) continue;
      await client.schedule.getHandle(id).delete();
    } catch (error) {
      // Listed a moment ago, deleted meanwhile (schedule listings are eventually consistent).
      if (error instanceof ScheduleNotFoundError || isGrpcNotFound(error)) continue;
      throw error;
    }
    removed.push({
      type: 'schedule',
      id,
      definition,
      key,
      connection,
      detail: 'schedule deleted: no further fires; runs already started are not touched',
    });
  }
  return removed;
}

/**
 * The ids of the triggers a deploy would have given these kinds on the target's definition and connection,
 * read one by one. Listings are eventually consistent: a poller or schedule deployed a moment ago may not be
 * listed yet, and an undeploy (or a new version's deploy) that missed it would leave it starting runs of the old
 * plan. Describing by id is consistent. Keys are the kind, then `kind#2`, `kind#3`... (triggerKey), so each kind
 * is probed until the first key that is not deployed; the listing still finds what a gap would hide.
 */
async function probeDeployed(
  target: UndeployTarget,
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
async function withNarrowestFilter<T>(
  list: (filter: string | undefined) => Promise<T[]>,
  filters: readonly string[],
): Promise<T[]> {
  for (const filter of filters) {
    try {
      return await list(filter);
    } catch (error) {
      if (!isInvalidArgument(error)) throw error;
    }
  }
  return list(undefined);
}

/** gRPC status 3, INVALID_ARGUMENT, raw or wrapped by the SDK's ServiceError. */
function isInvalidArgument(error: unknown): boolean {
  const cause: unknown = isGrpcServiceError(error) ? error : (error as { cause?: unknown }).cause;
  return isGrpcServiceError(cause) && Number(cause.code) === 3;
}

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const item of items) all.push(item);
  return all;
}

/** gRPC status 5, NOT_FOUND. */
function isGrpcNotFound(error: unknown): boolean {
  return isGrpcServiceError(error) && Number(error.code) === 5;
}
