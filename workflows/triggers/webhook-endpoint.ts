import {
  condition,
  defineQuery,
  defineSignal,
  makeContinueAsNewFunc,
  patched,
  setHandler,
  upsertMemo,
} from '@temporalio/workflow';
import { planRef, type Plan } from '../../definitions/plan';
import { historyFull, UNBOUNDED_RUN_MAX_EVENTS } from './history-bound';

/**
 * A connection's Gong webhook endpoint, as a small entity workflow: the receiver's configuration (hashes
 * of URL keys, rule public keys, which definitions a processed call starts) lives durably in Temporal,
 * not in a database. The endpoint publishes it in its memo (WEBHOOK_CONFIG_MEMO), which HTTP receivers read
 * with describe: a server round trip with no worker in it, unlike a query. Receivers report deliveries with
 * signals. URL keys are secrets, so only their SHA-256 is kept (history is not a place for secrets); the memo,
 * like every payload, is encrypted by the payload codec.
 */
export interface WebhookSubscription {
  /** Trigger key inside the definition (see triggers/ids.ts). */
  key: string;
  plan: Plan;
  triggerIndex: number;
  /** Runs' task queue. */
  taskQueue: string;
  auth: 'jwt' | 'url-key' | 'either';
  paused: boolean;
}

export interface WebhookEndpointConfig {
  connectionId: string;
  urlKeySha256: string[];
  /** Bare base64 SPKI, as Gong's "Show public key" displays it. */
  publicKeys: string[];
  subscriptions: WebhookSubscription[];
}

export interface WebhookDeliveryReport {
  at: string;
  callId: string | null;
  test: boolean;
  /** started / duplicate / filtered / rejected / test / unauthorized / malformed. */
  outcome: string;
}

export interface WebhookEndpointState {
  config: WebhookEndpointConfig;
  lastDelivery: WebhookDeliveryReport | null;
  lastTestDelivery: WebhookDeliveryReport | null;
  counts: Record<string, number>;
}

export type WebhookEndpointChange =
  | { type: 'addUrlKey'; sha256: string }
  | { type: 'removeUrlKey'; sha256: string }
  | { type: 'addPublicKey'; publicKey: string }
  | { type: 'removePublicKey'; publicKey: string }
  | { type: 'subscribe'; subscription: WebhookSubscription }
  | { type: 'unsubscribe'; definition: string; key: string }
  | { type: 'pause' | 'resume'; definition: string; key: string };

/** The memo field holding the endpoint's `WebhookEndpointConfig` (absent: read it with the query). */
export const WEBHOOK_CONFIG_MEMO = 'webhookConfig';

/**
 * A configuration larger than this (JSON characters: mostly the subscribed plans) is not published: Temporal
 * refuses memos over 2 MB by default (`limit.memoSize.error`), which would fail the endpoint's workflow task.
 * Receivers then read it with the query, as before the memo existed.
 */
export const MAX_PUBLISHED_CONFIG_CHARS = 1_000_000;

/**
 * Events an endpoint run holds before it continues as new (~125 delivery reports). Each report is a signal
 * and a workflow task; a worker that does not hold the endpoint in its cache replays the whole run for the
 * next one (~0.4-0.8 ms of CPU an event, `bench/poller-replay.bench.ts`). Higher than a poller's bound: each
 * continue-as-new copies the configuration (every subscribed plan) into the next run.
 */
export const ENDPOINT_RUN_MAX_EVENTS = 500;
/** Endpoints recorded before the bound continued at 5,000 events: they replay that way. */
const BOUNDED_HISTORY_PATCH = 'gongflow-webhook-bounded-history';

/** Endpoints that ran before the memo existed replay without it; they publish at their next change. */
const PUBLISH_CONFIG_PATCH = 'gongflow-webhook-config-memo';

export const configureWebhookSignal = defineSignal<[WebhookEndpointChange[]]>('configure');
export const webhookDeliveredSignal = defineSignal<[WebhookDeliveryReport]>('delivered');
/** Several deliveries' reports in one signal: receivers gather them for a moment (one signal, not one each). */
export const webhookDeliveriesSignal = defineSignal<[WebhookDeliveryReport[]]>('deliveries');
export const webhookConfigQuery = defineQuery<WebhookEndpointConfig>('webhookConfig');
export const webhookStatusQuery = defineQuery<
  Omit<WebhookEndpointState, 'config'> & {
    connectionId: string;
    urlKeys: number;
    publicKeys: number;
    subscriptions: Array<{ definition: string; key: string; auth: string; paused: boolean }>;
  }
>('triggerStatus');

export async function webhookEndpoint(args: {
  connectionId: string;
  state?: WebhookEndpointState;
}): Promise<void> {
  const state: WebhookEndpointState = args.state ?? {
    config: { connectionId: args.connectionId, urlKeySha256: [], publicKeys: [], subscriptions: [] },
    lastDelivery: null,
    lastTestDelivery: null,
    counts: {},
  };
  const { config } = state;
  const same = (definition: string, key: string) => (subscription: WebhookSubscription) =>
    subscription.plan.name === definition && subscription.key === key;
  /**
   * Undeploying the last subscription closes the endpoint, and its keys go with it: an endpoint nothing
   * subscribes to would only keep accepting (and refusing) deliveries. A deploy after that starts afresh.
   * Only `unsubscribe` sets it, which no endpoint received before undeploy existed: old histories replay.
   */
  let retired = false;
  /** Whether this run keeps its memo: continue-as-new then carries it (Temporal does not copy memos). */
  let published = false;
  // A null field is removed from the memo: receivers fall back to the query.
  const memo = () => ({
    [WEBHOOK_CONFIG_MEMO]: JSON.stringify(config).length <= MAX_PUBLISHED_CONFIG_CHARS ? config : null,
  });
  const publish = () => {
    if (!patched(PUBLISH_CONFIG_PATCH)) return;
    published = true;
    upsertMemo(memo());
  };

  setHandler(configureWebhookSignal, (changes) => {
    for (const change of changes) {
      switch (change.type) {
        case 'addUrlKey':
          if (!config.urlKeySha256.includes(change.sha256)) config.urlKeySha256.push(change.sha256);
          break;
        case 'removeUrlKey':
          config.urlKeySha256 = config.urlKeySha256.filter((hash) => hash !== change.sha256);
          break;
        case 'addPublicKey':
          if (!config.publicKeys.includes(change.publicKey)) config.publicKeys.push(change.publicKey);
          break;
        case 'removePublicKey':
          config.publicKeys = config.publicKeys.filter((key) => key !== change.publicKey);
          break;
        case 'subscribe': {
          const { plan, key } = change.subscription;
          config.subscriptions = config.subscriptions.filter((entry) => !same(plan.name, key)(entry));
          config.subscriptions.push(change.subscription);
          break;
        }
        case 'unsubscribe':
          config.subscriptions = config.subscriptions.filter(
            (entry) => !same(change.definition, change.key)(entry),
          );
          retired = config.subscriptions.length === 0;
          break;
        case 'pause':
        case 'resume':
          for (const entry of config.subscriptions.filter(same(change.definition, change.key)))
            entry.paused = change.type === 'pause';
          break;
      }
    }
    publish();
  });
  const count = (report: WebhookDeliveryReport) => {
    state.counts[report.outcome] = (state.counts[report.outcome] ?? 0) + 1;
    if (report.test) state.lastTestDelivery = report;
    else state.lastDelivery = report;
  };
  setHandler(webhookDeliveredSignal, count);
  setHandler(webhookDeliveriesSignal, (reports) => reports.forEach(count));
  setHandler(webhookConfigQuery, () => config);
  setHandler(webhookStatusQuery, () => ({
    connectionId: config.connectionId,
    urlKeys: config.urlKeySha256.length,
    publicKeys: config.publicKeys.length,
    subscriptions: config.subscriptions.map((entry) => ({
      definition: planRef(entry.plan),
      key: entry.key,
      auth: entry.auth,
      paused: entry.paused,
    })),
    lastDelivery: state.lastDelivery,
    lastTestDelivery: state.lastTestDelivery,
    counts: state.counts,
  }));

  // Unless a signal of this first task already did: a continued run (or one whose deploy signal has not come).
  if (!published) publish();

  // A subscribe that arrives with (or after) the last unsubscribe keeps the endpoint open.
  const closing = () => retired && config.subscriptions.length === 0;
  const maxEvents = patched(BOUNDED_HISTORY_PATCH) ? ENDPOINT_RUN_MAX_EVENTS : UNBOUNDED_RUN_MAX_EVENTS;
  await condition(() => closing() || historyFull(maxEvents));
  if (closing()) return;
  const next = makeContinueAsNewFunc<typeof webhookEndpoint>(published ? { memo: memo() } : {});
  await next({ connectionId: args.connectionId, state });
}
