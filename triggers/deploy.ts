import { ScheduleAlreadyRunning, type Client, type ScheduleOptions } from '@temporalio/client';
import { defineSearchAttributeKey, SearchAttributeType, TypedSearchAttributes } from '@temporalio/common';
import { GongflowError } from '../core/errors';
import { planRef, type Plan, type TriggerPlan } from '../definitions/plan';
import { resolveRunInput } from '../definitions/run-input';
import { prepareEvent, scheduleEvent } from './event';
import type { OrchestrationArgs } from '../workflows/orchestration';
import type { PollerArgs } from '../workflows/triggers/poller';
import type { WebhookEndpointChange, WebhookSubscription } from '../workflows/triggers/webhook-endpoint';
import {
  isPolledKind,
  isTriggerKind,
  PollerSettingsSchema,
  ScheduleSettingsSchema,
  TRIGGER_KINDS,
  WebhookSettingsSchema,
} from './kinds';
import {
  POLLER_WORKFLOW,
  pollerWorkflowId,
  scheduleId,
  triggerKey,
  WEBHOOK_ENDPOINT_WORKFLOW,
  webhookEndpointWorkflowId,
} from './ids';
import { undeployTriggers, type RemovedTrigger } from './undeploy';
import { webhookKeyChanges, webhookUrl } from './webhook-keys';

export interface DeployTriggersOptions {
  plan: Plan;
  connectionId: string;
  /** Task queue of the workers running pollers and runs. */
  taskQueue: string;
  /** Gong rule public key (bare base64 SPKI) for signed deliveries. */
  publicKey?: string;
  /** A URL key for the rule's destination URL; `true` generates one. */
  urlKey?: string | true;
  /** Base URL Gong reaches the gongflow API at, for the printed webhook URL. */
  publicUrl?: string;
}

export interface DeployResult {
  deployed: DeployedTrigger[];
  /** Triggers an earlier version deployed on this connection that this version no longer declares. */
  removed: RemovedTrigger[];
}

export interface DeployedTrigger {
  key: string;
  kind: string;
  /** Workflow or schedule id holding the trigger's state. */
  id: string;
  /** What to do next, e.g. the URL to paste into the Gong rule. */
  note?: string;
}

const ORCHESTRATION_WORKFLOW = 'orchestration';

/**
 * Deploys every trigger of a plan for one connection: pollers as long-running workflows, schedules as
 * Temporal Schedules, the webhook as a subscription in the connection's endpoint workflow. Idempotent:
 * deploying again (e.g. a new version) reconfigures in place and keeps cursors and dedupe state, and
 * removes the triggers an earlier version had that this one dropped (they would run the old plan forever).
 */
export async function deployTriggers(client: Client, options: DeployTriggersOptions): Promise<DeployResult> {
  const { plan, connectionId } = options;
  checkBeforeDeploy(options);
  const deployed: DeployedTrigger[] = [];
  for (const [index, trigger] of plan.triggers.entries()) {
    const key = triggerKey(plan.triggers, index);
    if (isPolledKind(trigger.kind)) deployed.push(await deployPoller(client, options, trigger, index, key));
    else if (trigger.kind === 'schedule')
      deployed.push(await deploySchedule(client, options, trigger, index, key));
    else if (trigger.kind === 'gong.call.processed')
      deployed.push(await deployWebhook(client, options, trigger, index, key));
    else
      deployed.push({
        key,
        kind: trigger.kind,
        id: '-',
        note: `started on demand: gongflow run / POST /runs (connection ${connectionId})`,
      });
  }
  const removed = await undeployTriggers(client, {
    taskQueue: options.taskQueue,
    definition: plan.name,
    connection: connectionId,
    keep: plan.triggers.map((_, index) => triggerKey(plan.triggers, index)),
  });
  return { deployed, removed };
}

/**
 * Everything that can be refused is refused before anything is deployed, so a bad definition never leaves
 * half of its triggers running: unknown kinds, settings, a schedule mapping that fails on a sample fire, a
 * webhook without a public URL or with a key that is not one.
 */
function checkBeforeDeploy(options: DeployTriggersOptions): void {
  const { plan, connectionId } = options;
  for (const [index, trigger] of plan.triggers.entries()) {
    const key = triggerKey(plan.triggers, index);
    if (!isTriggerKind(trigger.kind)) {
      throw new GongflowError(
        'TRIGGER_UNKNOWN_KIND',
        `${planRef(plan)}: trigger kind "${trigger.kind}" is not supported.`,
        {
          hint: `Supported kinds: ${Object.keys(TRIGGER_KINDS).join(', ')}.`,
        },
      );
    }
    if (isPolledKind(trigger.kind)) settingsOf(PollerSettingsSchema, plan, key, trigger);
    if (trigger.kind === 'schedule') {
      settingsOf(ScheduleSettingsSchema, plan, key, trigger);
      checkScheduleMapping(plan, trigger, key, scheduleId(plan.name, key, connectionId), connectionId);
    }
    if (trigger.kind === 'gong.call.processed') {
      settingsOf(WebhookSettingsSchema, plan, key, trigger);
      if (!options.publicUrl)
        throw new GongflowError(
          'TRIGGER_PUBLIC_URL_REQUIRED',
          `${planRef(plan)} trigger ${key}: a Gong webhook needs the public URL gongflow is reached at.`,
          {
            hint: 'Set http.publicUrl in temporal.yaml (the servers receiving webhooks check signed deliveries against it) or pass --public-url https://gongflow.example.com.',
          },
        );
      // Validates the keys given (a generated URL key is made once, when the webhook is deployed).
      webhookKeyChanges({
        publicKey: options.publicKey,
        urlKey: typeof options.urlKey === 'string' ? options.urlKey : undefined,
      });
    }
  }
}

function settingsOf<T>(
  schema: {
    safeParse(
      value: unknown,
    ):
      | { success: true; data: T }
      | { success: false; error: { issues: Array<{ path: PropertyKey[]; message: string }> } };
  },
  plan: Plan,
  key: string,
  trigger: TriggerPlan,
): T {
  const parsed = schema.safeParse(trigger.settings);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new GongflowError(
    'TRIGGER_INVALID_SETTINGS',
    `${planRef(plan)} trigger ${key}: ${issue?.path.map(String).join('.') ?? ''} ${issue?.message ?? 'invalid'}.`,
  );
}

async function deployPoller(
  client: Client,
  options: DeployTriggersOptions,
  trigger: TriggerPlan,
  index: number,
  key: string,
): Promise<DeployedTrigger> {
  const { plan, connectionId } = options;
  const { since, ...settings } = settingsOf(PollerSettingsSchema, plan, key, trigger);
  const workflowId = pollerWorkflowId(plan.name, key, connectionId);
  const args: PollerArgs = {
    plan,
    triggerIndex: index,
    kind: trigger.kind as PollerArgs['kind'],
    connectionId,
    taskQueue: options.taskQueue,
    settings: { ...settings, ...(since !== undefined ? { sinceMs: Date.parse(since) } : {}) },
  };
  // Start, or reconfigure the running poller in place (its cursor and dedupe state survive a redeploy).
  await client.workflow.signalWithStart(POLLER_WORKFLOW, {
    workflowId,
    taskQueue: options.taskQueue,
    args: [args],
    signal: 'reconfigure',
    signalArgs: [{ plan, triggerIndex: index, taskQueue: options.taskQueue, settings: args.settings }],
    typedSearchAttributes: triggerAttributes(plan, connectionId, trigger.kind),
    staticSummary: `${trigger.kind} poller of ${planRef(plan)} on ${connectionId}`,
  });
  return {
    key,
    kind: trigger.kind,
    id: workflowId,
    note: `polls every ${Math.round(settings.every / 1000)}s, look-back ${Math.round(settings.lookback / 60_000)}m`,
  };
}

async function deploySchedule(
  client: Client,
  options: DeployTriggersOptions,
  trigger: TriggerPlan,
  index: number,
  key: string,
): Promise<DeployedTrigger> {
  const { plan, connectionId } = options;
  const settings = settingsOf(ScheduleSettingsSchema, plan, key, trigger);
  const id = scheduleId(plan.name, key, connectionId);
  // No input here: each run maps it from its own fire time (workflows/scheduled-fire.ts).
  const orchestration: OrchestrationArgs = {
    plan,
    connectionId,
    schedule: { scheduleId: id, triggerIndex: index },
  };
  const schedule: ScheduleOptions = {
    scheduleId: id,
    spec: {
      cronExpressions: Array.isArray(settings.cron) ? settings.cron : [settings.cron],
      timezone: settings.timezone,
      // Temporal's schedule jitter delays each fire's start; the run keeps the fire's nominal time, which
      // is what trigger.scheduledTime reads.
      ...(settings.jitter > 0 ? { jitter: settings.jitter } : {}),
    },
    action: {
      type: 'startWorkflow',
      workflowType: ORCHESTRATION_WORKFLOW,
      taskQueue: options.taskQueue,
      workflowId: `gongflow-scheduled/${plan.name}/${connectionId}`,
      args: [orchestration],
      typedSearchAttributes: triggerAttributes(plan, connectionId, 'schedule'),
    },
    policies: { overlap: overlapPolicy(settings.overlap), catchupWindow: settings.catchup },
    state: { paused: settings.paused, note: `${planRef(plan)} on ${connectionId}` },
    // On the schedule itself (the action's are its runs'): a deploy lists only its connection's schedules.
    typedSearchAttributes: triggerAttributes(plan, connectionId, 'schedule'),
  };
  try {
    await client.schedule.create(schedule);
  } catch (error) {
    if (!(error instanceof ScheduleAlreadyRunning)) throw error;
    await client.schedule.getHandle(id).update((previous) => ({
      ...previous,
      spec: schedule.spec,
      action: schedule.action,
      policies: { ...previous.policies, ...schedule.policies },
      // A schedule created before schedules carried them gets them on its next deploy.
      typedSearchAttributes: schedule.typedSearchAttributes,
    }));
  }
  const jitter = settings.jitter > 0 ? `, starts up to ${Math.ceil(settings.jitter / 1000)}s late` : '';
  return {
    key,
    kind: 'schedule',
    id,
    note: `${[settings.cron].flat().join(' | ')} (${settings.timezone}${jitter})`,
  };
}

/**
 * A schedule's input mapping runs at every fire, far from anyone reading errors: try it now on a sample fire
 * (this instant), so a mapping that cannot work, or an input the plan does not accept, fails the deploy.
 */
function checkScheduleMapping(
  plan: Plan,
  trigger: TriggerPlan,
  key: string,
  id: string,
  connectionId: string,
): void {
  const sample = scheduleEvent({
    scheduleId: id,
    connectionId,
    at: new Date(Math.floor(Date.now() / 1000) * 1000),
  });
  const prepared = prepareEvent(trigger, sample);
  if (!prepared.accepted && prepared.reason === 'invalid')
    throw new GongflowError(
      'TRIGGER_INPUT_MAPPING',
      `${planRef(plan)} trigger ${key}: the input mapping fails for a fire at ${String(sample['scheduledTime'])}: ${prepared.message.split('\n')[0]}.`,
      {
        hint: "Fix the trigger's input: (or filter:) expressions; a schedule fire is { kind, eventId, connection, scheduledTime } with scheduledTime an ISO-8601 string, e.g. timestamp(trigger.scheduledTime).",
      },
    );
  if (!prepared.accepted) return;
  const resolved = resolveRunInput(plan, prepared.input);
  if (!resolved.ok)
    throw new GongflowError(
      'RUN_INVALID_INPUT',
      `${planRef(plan)} trigger ${key}: ${resolved.errors.join('; ')}.`,
      {
        hint: "Map the run input in the trigger's input: or give the inputs defaults.",
      },
    );
}

function overlapPolicy(overlap: string): NonNullable<NonNullable<ScheduleOptions['policies']>['overlap']> {
  const map = {
    skip: 'SKIP',
    bufferOne: 'BUFFER_ONE',
    bufferAll: 'BUFFER_ALL',
    cancelOther: 'CANCEL_OTHER',
    terminateOther: 'TERMINATE_OTHER',
    allowAll: 'ALLOW_ALL',
  } as const;
  return map[overlap as keyof typeof map] ?? 'SKIP';
}

async function deployWebhook(
  client: Client,
  options: DeployTriggersOptions,
  trigger: TriggerPlan,
  index: number,
  key: string,
): Promise<DeployedTrigger> {
  const { plan, connectionId } = options;
  // Whichever credentials are configured on the connection verify; the subscription does not narrow them.
  const auth: WebhookSubscription['auth'] = 'either';
  const changes: WebhookEndpointChange[] = [
    {
      type: 'subscribe',
      subscription: { key, plan, triggerIndex: index, taskQueue: options.taskQueue, auth, paused: false },
    },
  ];
  const credentials = webhookKeyChanges(options);
  changes.push(...credentials.changes);
  const workflowId = webhookEndpointWorkflowId(connectionId);
  await client.workflow.signalWithStart(WEBHOOK_ENDPOINT_WORKFLOW, {
    workflowId,
    taskQueue: options.taskQueue,
    args: [{ connectionId }],
    signal: 'configure',
    signalArgs: [changes],
    staticSummary: `Gong webhook endpoint of connection ${connectionId}`,
  });
  const base = webhookUrl(options.publicUrl ?? '', connectionId); // checkBeforeDeploy required it
  return {
    key,
    kind: trigger.kind,
    id: workflowId,
    note: credentials.urlKey
      ? `Gong rule URL: ${base}?key=${credentials.urlKey} (shown once: gongflow keeps only its hash)`
      : `Gong rule URL: ${base}${options.publicKey ? '' : ' (add a key before deliveries verify: --public-key / --url-key, or gongflow triggers keys add)'}`,
  };
}

const attributes = {
  definition: defineSearchAttributeKey('GongflowDefinition', SearchAttributeType.KEYWORD),
  connection: defineSearchAttributeKey('GongflowConnection', SearchAttributeType.KEYWORD),
  trigger: defineSearchAttributeKey('GongflowTrigger', SearchAttributeType.KEYWORD),
};

function triggerAttributes(plan: Plan, connectionId: string, kind: string): TypedSearchAttributes {
  return new TypedSearchAttributes([
    { key: attributes.definition, value: plan.name },
    { key: attributes.connection, value: connectionId },
    { key: attributes.trigger, value: kind },
  ]);
}
