import type { Client } from '@temporalio/client';
import { parseGongJson } from '../gong/client/json';
import { triggerMetrics } from '../observability/metrics';
import type { WebhookDeliveryReport, WebhookSubscription } from '../workflows/triggers/webhook-endpoint';
import { TRIGGER_KINDS, WebhookSettingsSchema } from './kinds';
import { startEventRun, type EventRunOutcome } from './start-event-run';
import { WebhookConfigCache } from './webhook-config';
import { WebhookDeliveryReports } from './webhook-delivery-reports';
import { authenticateDelivery } from './webhook-verify';

export interface WebhookDelivery {
  connectionId: string;
  rawBody: Buffer;
  /**
   * The URL Gong addressed, built from the configured public URL (never from the request's Host header,
   * which the sender chooses); undefined when no public URL is configured: signed deliveries are refused.
   */
  receivedUrl: string | undefined;
  authorization: string | undefined;
  urlKey: string | undefined;
}

export interface WebhookAnswer {
  status: number;
  body:
    | { error: { code: string; message: string; hint?: string } }
    | {
        ok: true;
        test: boolean;
        callId: string;
        runs: Array<{ definition: string; outcome: string; workflowId: string }>;
      };
}

export interface WebhookReceiverOptions {
  client: Client;
  /**
   * The oldest configuration a delivery may be checked against (default 2 s; 0 reads it for every delivery):
   * a revoked key is refused at most this long after the endpoint dropped it (see WebhookConfigCache).
   */
  configCacheMs?: number;
  /** How long delivery reports are gathered before one signal carries them (default 500 ms). */
  reportFlushMs?: number;
  /** Clock for token expiry (tests); default Date.now. */
  now?: () => number;
}

/**
 * The Gong automation-rule receiver, free of HTTP framework: authenticate, parse, then start one run
 * per subscribed definition with the call's idempotent workflow id, and answer 2xx only once every start
 * is durable in Temporal (a failure answers 5xx so nothing is acknowledged that did not start).
 */
export class GongWebhookReceiver {
  private readonly configs: WebhookConfigCache;
  private readonly reports: WebhookDeliveryReports;

  constructor(private readonly options: WebhookReceiverOptions) {
    this.configs = new WebhookConfigCache({
      client: options.client,
      ...(options.configCacheMs !== undefined ? { maxAgeMs: options.configCacheMs } : {}),
    });
    this.reports = new WebhookDeliveryReports(options.client, options.reportFlushMs);
  }

  /** Sends the delivery reports still gathered (the server is closing). */
  close(): Promise<void> {
    return this.reports.flush();
  }

  async receive(delivery: WebhookDelivery): Promise<WebhookAnswer> {
    const config = await this.configs.get(delivery.connectionId);
    if (!config || config.subscriptions.length === 0) {
      return error(
        404,
        'WEBHOOK_NOT_CONFIGURED',
        `No Gong webhook trigger is deployed on connection "${delivery.connectionId}".`,
        'Deploy a definition with a gong.call.processed trigger: gongflow triggers deploy <file> --connection <id>.',
      );
    }
    if (delivery.authorization && delivery.receivedUrl === undefined) {
      this.report(delivery.connectionId, { callId: null, test: false, outcome: 'unauthorized' });
      return error(
        503,
        'WEBHOOK_PUBLIC_URL_UNSET',
        'A signed delivery names the URL it was sent to, and this server has no public URL to check it against.',
        'Set http.publicUrl in temporal.yaml to the URL Gong reaches gongflow at (e.g. https://gongflow.example.com), then restart the server.',
      );
    }
    const allowed = allowedMethods(config.subscriptions);
    const auth = await authenticateDelivery(
      {
        rawBody: delivery.rawBody,
        receivedUrl: delivery.receivedUrl ?? '',
        authorization: delivery.authorization,
        urlKey: delivery.urlKey,
        allowed,
        nowMs: (this.options.now ?? Date.now)(),
      },
      config,
    );
    if (!auth.ok) {
      this.report(delivery.connectionId, { callId: null, test: false, outcome: 'unauthorized' });
      return error(
        401,
        auth.code,
        auth.message,
        "Check the rule's URL key or public key: gongflow triggers deploy ... --public-key / --url-key.",
      );
    }
    const parsed = parseDelivery(delivery.rawBody);
    if (!parsed.ok) {
      this.report(delivery.connectionId, { callId: null, test: false, outcome: 'malformed' });
      return error(400, parsed.code, parsed.message, parsed.hint);
    }
    const { payload, callId } = parsed;
    const runs: Array<{ definition: string; outcome: string; workflowId: string }> = [];
    const outcomes: EventRunOutcome[] = await Promise.all(
      config.subscriptions.map(async (subscription) => {
        const settings = WebhookSettingsSchema.parse(
          subscription.plan.triggers[subscription.triggerIndex]?.settings ?? {},
        );
        const trigger = subscription.plan.triggers[subscription.triggerIndex];
        if (subscription.paused || !trigger) return { status: 'filtered', workflowId: '' } as const;
        if (payload.isTest && !settings.includeTest) return { status: 'filtered', workflowId: '' } as const;
        // A test delivery gets its own run id per delivery, so "Test now" can be pressed twice.
        const eventId = payload.isTest ? `test-${callId}-${(this.options.now ?? Date.now)()}` : callId;
        return startEventRun(this.options.client, {
          plan: subscription.plan,
          trigger,
          connectionId: delivery.connectionId,
          taskQueue: subscription.taskQueue,
          event: {
            kind: trigger.kind,
            eventId,
            connection: delivery.connectionId,
            ...(payload.isTest ? { test: true } : {}),
            ...payload,
          },
        });
      }),
    );
    outcomes.forEach((outcome, index) => {
      const subscription = config.subscriptions[index] as WebhookSubscription;
      runs.push({
        definition: subscription.plan.name,
        outcome: payload.isTest && outcome.status === 'filtered' ? 'test' : outcome.status,
        workflowId: outcome.workflowId,
      });
    });
    const outcome = runs.some((run) => run.outcome === 'started')
      ? 'started'
      : (runs[0]?.outcome ?? 'filtered');
    this.report(delivery.connectionId, { callId, test: payload.isTest, outcome });
    return { status: 200, body: { ok: true, test: payload.isTest, callId, runs } };
  }

  /** Delivery counters in the endpoint workflow: best effort, never delays or fails the answer. */
  private report(connectionId: string, report: Omit<WebhookDeliveryReport, 'at'>): void {
    triggerMetrics.webhookDeliveries.inc({ outcome: report.outcome });
    this.reports.add(connectionId, report);
  }
}

function allowedMethods(subscriptions: WebhookSubscription[]): 'jwt' | 'url-key' | 'either' {
  const methods = new Set(subscriptions.map((subscription) => subscription.auth));
  return methods.size === 1 ? (subscriptions[0]?.auth ?? 'either') : 'either';
}

type ParsedDelivery =
  | { ok: true; callId: string; payload: { isTest: boolean; callData: Record<string, unknown> } }
  | { ok: false; code: 'WEBHOOK_MALFORMED' | 'WEBHOOK_BAD_CALL_ID'; message: string; hint?: string };

/**
 * Gong call ids are decimal digit strings (int64 today, 19 digits). The id becomes part of the run's
 * workflow id, so anything else (a path like `x/../../y`, or thousands of digits past Temporal's id limit)
 * is refused here rather than becoming a strange run or a 500.
 */
const CALL_ID = /^[0-9]{1,30}$/;

function parseDelivery(rawBody: Buffer): ParsedDelivery {
  let body: unknown;
  try {
    body = parseGongJson(rawBody.toString('utf8'));
  } catch (failure) {
    return {
      ok: false,
      code: 'WEBHOOK_MALFORMED',
      message: `The body is not JSON: ${(failure as Error).message}`,
    };
  }
  const parsed = TRIGGER_KINDS['gong.call.processed'].payload.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return {
      ok: false,
      code: 'WEBHOOK_MALFORMED',
      message:
        `The body is not a Gong webhook payload ({isTest, callData: {metaData: {id}}}): ${issue?.path.join('.') ?? ''} ${issue?.message ?? ''}`.trim(),
    };
  }
  const callId = parsed.data.callData.metaData.id;
  if (!CALL_ID.test(callId))
    return {
      ok: false,
      code: 'WEBHOOK_BAD_CALL_ID',
      message: `callData.metaData.id is not a Gong call id (${callId.length > 40 ? `${callId.slice(0, 40)}... (${callId.length} characters)` : JSON.stringify(callId)}).`,
      hint: 'Gong call ids are 1 to 30 decimal digits; the delivery was not sent by a Gong automation rule as is.',
    };
  return {
    ok: true,
    callId,
    payload: { isTest: parsed.data.isTest, callData: parsed.data.callData },
  };
}

function error(status: number, code: string, message: string, hint?: string): WebhookAnswer {
  return { status, body: { error: { code, message, ...(hint ? { hint } : {}) } } };
}
