import { ScheduleNotFoundError, WorkflowNotFoundError, type Client } from '@temporalio/client';
import { GongflowError } from '../core/errors';
import { isUnansweredQuery } from '../temporal/unanswered-query';
import type { WebhookEndpointChange, WebhookEndpointConfig } from '../workflows/triggers/webhook-endpoint';
import { isGrpcNotFound } from '../core/grpc-status';
import { deployedPollers, deployedSchedules, type DeployedTarget } from './deployed';
import { webhookEndpointWorkflowId } from './ids';

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

export interface UndeployTarget extends DeployedTarget {
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
  for (const workflowId of await deployedPollers(client, target)) {
    const [, definition = '', key = '', connection = ''] = workflowId.split('/');
    if (!wanted(key)) continue;
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
  for (const id of await deployedSchedules(client, target)) {
    const [, definition = '', key = '', connection = ''] = id.split('/');
    if (!wanted(key)) continue;
    try {
      await client.schedule.getHandle(id).delete();
    } catch (error) {
      // Found a moment ago, deleted meanwhile.
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
