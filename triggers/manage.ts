import type { Client } from '@temporalio/client';
import { optionalTsToDate } from '@temporalio/common/lib/time';
import { GongflowError } from '../core/errors';
import { visibilityString } from '../core/visibility';
import { isUnansweredQuery } from '../temporal/unanswered-query';
import type { PollerStatus } from '../workflows/triggers/poller';
import type { WebhookEndpointChange } from '../workflows/triggers/webhook-endpoint';
import {
  collect,
  deployedPollers,
  deployedSchedules,
  runsOn,
  withNarrowestFilter,
  type DeployedTarget,
} from './deployed';
import { isGrpcNotFound } from '../core/grpc-status';
import { POLLER_WORKFLOW, WEBHOOK_ENDPOINT_WORKFLOW, webhookEndpointWorkflowId } from './ids';

/** One row of `gongflow triggers`. */
export interface TriggerRow {
  type: 'poller' | 'schedule' | 'webhook';
  id: string;
  definition: string;
  key: string;
  connection: string;
  status: string;
  lastEvent: string | null;
  cursor: string | null;
  detail: string;
}

/**
 * Which triggers to list: those of one deployment (its task queue), all of them or those of one
 * definition / connection / trigger key. Other deployments sharing the namespace are not ours to list: their
 * payloads are encrypted with keys this process does not hold, and their workers answer their own operators.
 */
export interface TriggerFilter {
  taskQueue: string;
  definition?: string;
  connection?: string;
  key?: string;
}

/**
 * How long one trigger's status query may take. A query is answered by a worker; when no worker polls the
 * trigger's task queue, Temporal holds the query for 30 s. One dead task queue must not stall the listing.
 */
const STATUS_QUERY_DEADLINE_MS = 5_000;
const STATUS_QUERY_CONCURRENCY = 8;

interface WebhookEndpointStatus {
  connectionId: string;
  urlKeys: number;
  publicKeys: number;
  subscriptions: Array<{ definition: string; key: string; auth: string; paused: boolean }>;
  lastDelivery: { at: string; callId: string | null; outcome: string } | null;
  lastTestDelivery: { at: string; callId: string | null } | null;
  counts: Record<string, number>;
}

/** Every deployed trigger with its state, read from Temporal (workflow queries and schedule descriptions). */
export async function listTriggers(client: Client, filter: TriggerFilter): Promise<TriggerRow[]> {
  const matches = (definition: string, key: string, connection: string): boolean =>
    (filter.definition === undefined || definition.split('@')[0] === filter.definition) &&
    (filter.key === undefined || key === filter.key) &&
    (filter.connection === undefined || connection === filter.connection);

  const pollers: Array<{ id: string; definition: string; key: string; connection: string }> = [];
  const target = deployedTarget(filter);
  const pollerIds = target
    ? await deployedPollers(client, target)
    : (
        await collect(
          client.workflow.list({
            query: `WorkflowType = '${POLLER_WORKFLOW}' AND ExecutionStatus = 'Running' AND ${taskQueueClause(filter)}`,
          }),
        )
      ).map((execution) => execution.workflowId);
  for (const id of pollerIds) {
    const [, definition = '', key = '', connection = ''] = id.split('/');
    if (matches(definition, key, connection)) pollers.push({ id, definition, key, connection });
  }
  const endpoints: Array<{ id: string; connection: string }> = [];
  if (filter.connection !== undefined) {
    // A connection has one endpoint, at an id derived from it: read by id, so one configured a moment ago
    // (not listed yet) is found.
    const id = webhookEndpointWorkflowId(filter.connection);
    if (await runsOn(client, id, filter.taskQueue)) endpoints.push({ id, connection: filter.connection });
  } else {
    for await (const execution of client.workflow.list({
      query: `WorkflowType = '${WEBHOOK_ENDPOINT_WORKFLOW}' AND ExecutionStatus = 'Running' AND ${taskQueueClause(filter)}`,
    }))
      endpoints.push({
        id: execution.workflowId,
        connection: execution.workflowId.slice(webhookEndpointWorkflowId('').length),
      });
  }

  const rows: TriggerRow[] = [];
  const pollerRows = await mapConcurrently(pollers, async (poller): Promise<TriggerRow> => {
    const status = await queryStatus<PollerStatus>(client, poller.id);
    if (status instanceof Error) return unknownRow('poller', poller, status);
    return {
      type: 'poller',
      id: poller.id,
      definition: status.definition,
      key: poller.key,
      connection: status.connection,
      status: status.status + (status.backfillNext ? ` (backfilling from ${status.backfillNext})` : ''),
      lastEvent: status.lastEvent
        ? `${status.lastEvent.id} ${status.lastEvent.outcome} at ${status.lastEvent.at}`
        : null,
      cursor: status.cursor,
      detail: `${status.stats.started} started, ${status.stats.duplicates} duplicate, ${status.stats.filtered} filtered, ${status.stats.gongRequests} Gong requests${status.lastError ? `; last error: ${status.lastError}` : ''}`,
    };
  });
  rows.push(...pollerRows);

  const endpointRows = await mapConcurrently(endpoints, async (endpoint): Promise<TriggerRow[]> => {
    const status = await queryStatus<WebhookEndpointStatus>(client, endpoint.id);
    if (status instanceof Error)
      return [unknownRow('webhook', { ...endpoint, definition: '', key: '' }, status)];
    return status.subscriptions
      .filter((subscription) => matches(subscription.definition, subscription.key, status.connectionId))
      .map((subscription) => ({
        type: 'webhook' as const,
        id: endpoint.id,
        definition: subscription.definition,
        key: subscription.key,
        connection: status.connectionId,
        status: subscription.paused ? 'paused' : 'running',
        lastEvent: status.lastDelivery
          ? `${status.lastDelivery.callId ?? '-'} ${status.lastDelivery.outcome} at ${status.lastDelivery.at}`
          : null,
        cursor: null,
        detail: `auth ${subscription.auth} (${status.publicKeys} public key(s), ${status.urlKeys} URL key(s)); deliveries: ${deliveryCounts(status.counts)}${status.lastTestDelivery ? `; last test ${status.lastTestDelivery.at}` : ''}`,
      }));
  });
  rows.push(...endpointRows.flat());

  // One definition on one connection (what pause, resume and backfill act on) is read by id as well as
  // listed, so a trigger deployed a moment ago is found; the whole deployment's listing is the listing.
  const scheduleIds = target
    ? await deployedSchedules(client, target)
    : await listedSchedules(client, filter);
  const schedules = scheduleIds.flatMap((id) => {
    const [, definition = '', key = '', connection = ''] = id.split('/');
    return matches(definition, key, connection) ? [{ id, definition, key, connection }] : [];
  });
  // Described as many at a time as pollers are queried: one by one, 1,000 schedules took 8 s to list.
  const scheduleRows = await mapConcurrently(schedules, async ({ id, ...names }) => {
    const row = await scheduleRow(client, id, filter.taskQueue);
    return row ? [{ ...row, ...names }] : [];
  });
  rows.push(...scheduleRows.flat());
  return rows.sort((a, b) =>
    `${a.definition}${a.key}${a.connection}`.localeCompare(`${b.definition}${b.key}${b.connection}`),
  );
}

/**
 * The ids of gongflow's schedules, listed: only the named definition's when there is one (its id prefix), so
 * listing one definition of a large fleet does not read every schedule of the namespace.
 */
async function listedSchedules(client: Client, filter: TriggerFilter): Promise<string[]> {
  const prefix = `gongflow-schedule/${filter.definition === undefined ? '' : `${filter.definition}/`}`;
  const summaries = await withNarrowestFilter(
    (query) => collect(client.schedule.list(query ? { query } : {})),
    [`ScheduleId STARTS_WITH ${visibilityString(prefix)}`],
  );
  return summaries.map((summary) => summary.scheduleId).filter((id) => id.startsWith(prefix));
}

/** The one definition on one connection the filter names, if it names both. */
function deployedTarget(filter: TriggerFilter): DeployedTarget | undefined {
  if (filter.definition === undefined || filter.connection === undefined) return undefined;
  return {
    taskQueue: filter.taskQueue,
    definition: filter.definition,
    connection: filter.connection,
    ...(filter.key !== undefined ? { key: filter.key } : {}),
  };
}

/** A visibility clause that keeps one deployment's workflows (the value is quoted, never spliced raw). */
function taskQueueClause(filter: TriggerFilter): string {
  return `TaskQueue = ${visibilityString(filter.taskQueue)}`;
}

/**
 * A schedule's row, or undefined when it starts runs on another deployment's task queue. Read from the raw
 * description: what the row shows (paused, recent and next actions) carries no payload, so a schedule whose
 * input another deployment encrypted is still listed by its own operator and skipped by the others.
 */
async function scheduleRow(
  client: Client,
  scheduleId: string,
  taskQueue: string,
): Promise<Omit<TriggerRow, 'definition' | 'key' | 'connection'> | undefined> {
  let raw: Awaited<ReturnType<Client['workflowService']['describeSchedule']>>;
  try {
    raw = await client.workflowService.describeSchedule({ namespace: client.options.namespace, scheduleId });
  } catch (error) {
    // Listed a moment ago, deleted since (an undeploy meanwhile): not a trigger any more.
    if (isGrpcNotFound(error)) return undefined;
    throw error;
  }
  if (raw.schedule?.action?.startWorkflow?.taskQueue?.name !== taskQueue) return undefined;
  const last = raw.info?.recentActions?.at(-1);
  const next = optionalTsToDate(raw.info?.futureActionTimes?.[0])?.toISOString() ?? null;
  const lastAt = optionalTsToDate(last?.actualTime)?.toISOString();
  return {
    type: 'schedule',
    id: scheduleId,
    status: raw.schedule.state?.paused ? 'paused' : 'running',
    lastEvent: last && lastAt ? `${last.startWorkflowResult?.workflowId ?? '-'} at ${lastAt}` : null,
    cursor: next,
    detail: `next ${next ?? '-'}; ${Number(raw.info?.actionCount ?? 0)} run(s) started`,
  };
}

/** A trigger's `triggerStatus` query, bounded: an Error when no worker answers in time. */
async function queryStatus<T>(client: Client, workflowId: string): Promise<T | Error> {
  try {
    return await client.withDeadline(Date.now() + STATUS_QUERY_DEADLINE_MS, () =>
      client.workflow.getHandle(workflowId).query<T>('triggerStatus'),
    );
  } catch (error) {
    return error instanceof Error ? error : new Error(String(error));
  }
}

function unknownRow(
  type: 'poller' | 'webhook',
  trigger: { id: string; definition: string; key: string; connection: string },
  error: Error,
): TriggerRow {
  return {
    type,
    id: trigger.id,
    definition: trigger.definition,
    key: trigger.key,
    connection: trigger.connection,
    status: 'unknown',
    lastEvent: null,
    cursor: null,
    detail: isUnansweredQuery(error)
      ? `no worker answered within ${STATUS_QUERY_DEADLINE_MS / 1000} s (${error.message}): is a gongflow worker running on the trigger's task queue?`
      : `its status could not be read: ${error.message}`,
  };
}

/** Runs `work` over `items` with at most STATUS_QUERY_CONCURRENCY in flight, keeping order. */
async function mapConcurrently<T, R>(items: readonly T[], work: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const lanes = Array.from({ length: Math.min(STATUS_QUERY_CONCURRENCY, items.length) }, async () => {
    for (let index = next++; index < items.length; index = next++) {
      const item = items[index] as T;
      results[index] = await work(item);
    }
  });
  await Promise.all(lanes);
  return results;
}

export type TriggerAction = { type: 'pause' } | { type: 'resume' } | { type: 'backfill'; from: string };

/** Pauses, resumes or backfills the matching triggers of a definition on a connection. */
export async function controlTriggers(
  client: Client,
  target: { taskQueue: string; definition: string; connection: string; key?: string },
  action: TriggerAction,
): Promise<TriggerRow[]> {
  // A poller whose worker is down still takes signals (they wait in its history); an unreadable webhook
  // endpoint does not say which subscriptions it holds, so it cannot be targeted.
  const rows = (await listTriggers(client, target)).filter(
    (row) => !(row.type === 'webhook' && row.status === 'unknown'),
  );
  if (action.type === 'backfill' && Number.isNaN(Date.parse(action.from)))
    throw new GongflowError('TRIGGER_BAD_DATE', `--from "${action.from}" is not a date.`, {
      hint: 'Use ISO-8601, e.g. 2026-01-01 or 2026-01-01T00:00:00Z.',
    });
  const affected: TriggerRow[] = [];
  for (const row of rows) {
    if (row.type === 'poller') {
      const handle = client.workflow.getHandle(row.id);
      if (action.type === 'backfill')
        await handle.signal('backfill', { from: new Date(action.from).toISOString() });
      else await handle.signal(action.type);
      affected.push(row);
    } else if (row.type === 'schedule' && action.type !== 'backfill') {
      const handle = client.schedule.getHandle(row.id);
      if (action.type === 'pause') await handle.pause('paused with gongflow triggers pause');
      else await handle.unpause('resumed with gongflow triggers resume');
      affected.push(row);
    } else if (row.type === 'schedule' && action.type === 'backfill') {
      await client.schedule
        .getHandle(row.id)
        .backfill({ start: new Date(action.from), end: new Date(), overlap: 'ALLOW_ALL' });
      affected.push(row);
    } else if (row.type === 'webhook' && action.type !== 'backfill') {
      const change: WebhookEndpointChange = {
        type: action.type,
        definition: target.definition,
        key: row.key,
      };
      await client.workflow
        .getHandle(webhookEndpointWorkflowId(row.connection))
        .signal('configure', [change]);
      affected.push(row);
    }
  }
  if (affected.length === 0)
    throw triggerNotDeployed(target.definition, target.connection, target.key, action.type);
  return affected;
}

/** TRIGGER_NOT_FOUND: nothing of the definition (or of that trigger) is deployed on the connection. */
export function triggerNotDeployed(
  definition: string,
  connection: string,
  key?: string,
  action?: TriggerAction['type'],
): GongflowError {
  return new GongflowError(
    'TRIGGER_NOT_FOUND',
    `No ${action === 'backfill' ? 'poller or schedule' : 'trigger'} of ${definition}${key ? ` (${key})` : ''} is deployed on connection ${connection}.`,
    {
      hint:
        action === 'backfill'
          ? "List deployed triggers with `gongflow triggers`; webhooks cannot be backfilled (Gong does not resend): backfill the definition's poller."
          : 'List deployed triggers with `gongflow triggers`.',
    },
  );
}

/** `3 started, 1 unauthorized` (or `none`): what a webhook endpoint's deliveries did, for people. */
export function deliveryCounts(counts: Record<string, number>): string {
  const parts = Object.entries(counts)
    .filter(([, count]) => count > 0)
    .map(([outcome, count]) => `${count} ${outcome}`);
  return parts.length > 0 ? parts.join(', ') : 'none';
}
