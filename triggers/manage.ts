import type { Client } from '@temporalio/client';
import { GongflowError } from '../core/errors';
import type { PollerStatus } from '../workflows/triggers/poller';
import type { WebhookEndpointChange } from '../workflows/triggers/webhook-endpoint';
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

/** Every deployed trigger with its state, read from Temporal (workflow queries and schedule descriptions). */
export async function listTriggers(client: Client): Promise<TriggerRow[]> {
  const rows: TriggerRow[] = [];
  for await (const execution of client.workflow.list({
    query: `WorkflowType = '${POLLER_WORKFLOW}' AND ExecutionStatus = 'Running'`,
  })) {
    const [, definition = '', key = '', connection = ''] = execution.workflowId.split('/');
    try {
      const status = await client.workflow
        .getHandle(execution.workflowId)
        .query<PollerStatus>('triggerStatus');
      rows.push({
        type: 'poller',
        id: execution.workflowId,
        definition: status.definition,
        key,
        connection: status.connection,
        status: status.status + (status.backfillNext ? ` (backfilling from ${status.backfillNext})` : ''),
        lastEvent: status.lastEvent
          ? `${status.lastEvent.id} ${status.lastEvent.outcome} at ${status.lastEvent.at}`
          : null,
        cursor: status.cursor,
        detail: `${status.stats.started} started, ${status.stats.duplicates} duplicate, ${status.stats.filtered} filtered, ${status.stats.gongRequests} Gong requests${status.lastError ? `; last error: ${status.lastError}` : ''}`,
      });
    } catch (error) {
      rows.push({
        type: 'poller',
        id: execution.workflowId,
        definition,
        key,
        connection,
        status: 'unknown',
        lastEvent: null,
        cursor: null,
        detail: (error as Error).message,
      });
    }
  }
  for await (const execution of client.workflow.list({
    query: `WorkflowType = '${WEBHOOK_ENDPOINT_WORKFLOW}' AND ExecutionStatus = 'Running'`,
  })) {
    let status: {
      connectionId: string;
      urlKeys: number;
      publicKeys: number;
      subscriptions: Array<{ definition: string; key: string; auth: string; paused: boolean }>;
      lastDelivery: { at: string; callId: string | null; outcome: string } | null;
      lastTestDelivery: { at: string; callId: string | null } | null;
      counts: Record<string, number>;
    };
    try {
      status = await client.workflow.getHandle(execution.workflowId).query('triggerStatus');
    } catch (error) {
      // No worker answers for this endpoint (e.g. its task queue is gone): list it, don't fail the listing.
      rows.push({
        type: 'webhook',
        id: execution.workflowId,
        definition: '',
        key: '',
        connection: '',
        status: 'unknown',
        lastEvent: null,
        cursor: null,
        detail: (error as Error).message,
      });
      continue;
    }
    for (const subscription of status.subscriptions) {
      rows.push({
        type: 'webhook',
        id: execution.workflowId,
        definition: subscription.definition,
        key: subscription.key,
        connection: status.connectionId,
        status: subscription.paused ? 'paused' : 'running',
        lastEvent: status.lastDelivery
          ? `${status.lastDelivery.callId ?? '-'} ${status.lastDelivery.outcome} at ${status.lastDelivery.at}`
          : null,
        cursor: null,
        detail: `auth ${subscription.auth} (${status.publicKeys} public key(s), ${status.urlKeys} URL key(s)); deliveries ${JSON.stringify(status.counts)}${status.lastTestDelivery ? `; last test ${status.lastTestDelivery.at}` : ''}`,
      });
    }
  }
  for await (const summary of client.schedule.list()) {
    if (!summary.scheduleId.startsWith('gongflow-schedule/')) continue;
    const [, definition = '', key = '', connection = ''] = summary.scheduleId.split('/');
    const description = await client.schedule.getHandle(summary.scheduleId).describe();
    const last = description.info.recentActions.at(-1);
    rows.push({
      type: 'schedule',
      id: summary.scheduleId,
      definition,
      key,
      connection,
      status: description.state.paused ? 'paused' : 'running',
      lastEvent: last ? `${last.action.workflow.workflowId} at ${last.takenAt.toISOString()}` : null,
      cursor: description.info.nextActionTimes[0]?.toISOString() ?? null,
      detail: `next ${description.info.nextActionTimes[0]?.toISOString() ?? '-'}; ${description.info.numActionsTaken} run(s) started`,
    });
  }
  return rows.sort((a, b) =>
    `${a.definition}${a.key}${a.connection}`.localeCompare(`${b.definition}${b.key}${b.connection}`),
  );
}

export type TriggerAction = { type: 'pause' } | { type: 'resume' } | { type: 'backfill'; from: string };

/** Pauses, resumes or backfills the matching triggers of a definition on a connection. */
export async function controlTriggers(
  client: Client,
  target: { definition: string; connection: string; key?: string },
  action: TriggerAction,
): Promise<TriggerRow[]> {
  const rows = (await listTriggers(client)).filter(
    (row) =>
      row.definition.split('@')[0] === target.definition &&
      row.connection === target.connection &&
      (target.key === undefined || row.key === target.key),
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
    throw new GongflowError(
      'TRIGGER_NOT_FOUND',
      `No ${action.type === 'backfill' ? 'poller or schedule' : 'trigger'} of ${target.definition}${target.key ? ` (${target.key})` : ''} is deployed on connection ${target.connection}.`,
      {
        hint: "List deployed triggers with `gongflow triggers`; webhooks cannot be backfilled (Gong does not resend): backfill the definition's poller.",
      },
    );
  return affected;
}
