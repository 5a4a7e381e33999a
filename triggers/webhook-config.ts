import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { WEBHOOK_CONFIG_MEMO, type WebhookEndpointConfig } from '../workflows/triggers/webhook-endpoint';
import { webhookEndpointWorkflowId } from './ids';

export interface WebhookConfigCacheOptions {
  client: Client;
  /**
   * The revocation bound: a delivery is checked against a configuration read at most this long before it
   * arrived (default 2 s; 0 reads it for every delivery).
   */
  maxAgeMs?: number;
  /** A configuration this old is re-read in the background while it still serves (default maxAgeMs / 2). */
  refreshAfterMs?: number;
  /** Clock (tests); default Date.now. */
  now?: () => number;
}

interface Read {
  /** When the read was sent: the configuration is at least as new as the endpoint's at this instant. */
  issuedAt: number;
  config: Promise<WebhookEndpointConfig | undefined>;
}

/**
 * A connection's webhook configuration as its endpoint workflow publishes it in its memo, read with describe
 * (a round trip to the Temporal server only; a query also goes through a worker, the p99 tail measured in
 * BENCHMARKS.md). Reads are refreshed ahead, in the background, once half the bound has passed, so steady
 * deliveries never wait for one; a delivery waits only when no read of the last `maxAgeMs` exists (the first
 * one, or after a quiet spell). An endpoint that has not published yet (started before the memo existed and
 * not reconfigured since, or just deployed) is read with the query, as before.
 */
export class WebhookConfigCache {
  private readonly done = new Map<string, { issuedAt: number; config: WebhookEndpointConfig | undefined }>();
  private readonly reading = new Map<string, Read>();
  private readonly maxAgeMs: number;
  private readonly refreshAfterMs: number;
  private readonly now: () => number;

  constructor(private readonly options: WebhookConfigCacheOptions) {
    this.maxAgeMs = options.maxAgeMs ?? 2_000;
    this.refreshAfterMs = options.refreshAfterMs ?? this.maxAgeMs / 2;
    this.now = options.now ?? Date.now;
  }

  /** The configuration, read at most `maxAgeMs` ago; undefined when no endpoint runs for the connection. */
  get(connectionId: string): Promise<WebhookEndpointConfig | undefined> {
    const now = this.now();
    const done = this.done.get(connectionId);
    if (done && now - done.issuedAt < this.maxAgeMs) {
      if (now - done.issuedAt >= this.refreshAfterMs)
        void this.read(connectionId, now).config.catch(() => undefined); // the next delivery retries
      return Promise.resolve(done.config);
    }
    return this.read(connectionId, now).config;
  }

  /** One read at a time per connection; one sent too long ago to bound this delivery is not joined. */
  private read(connectionId: string, now: number): Read {
    const pending = this.reading.get(connectionId);
    if (pending && now - pending.issuedAt < this.maxAgeMs) return pending;
    const issuedAt = now;
    const config = readWebhookConfig(this.options.client, connectionId).then((value) => {
      const previous = this.done.get(connectionId);
      if (!previous || previous.issuedAt <= issuedAt)
        this.done.set(connectionId, { issuedAt, config: value });
      return value;
    });
    const read: Read = { issuedAt, config };
    this.reading.set(connectionId, read);
    const settle = () => {
      if (this.reading.get(connectionId) === read) this.reading.delete(connectionId);
    };
    void config.then(settle, settle);
    return read;
  }
}

/**
 * What receivers verify deliveries with: the configuration the endpoint published in its memo (its query
 * when it has not published one); undefined when no endpoint runs for the connection.
 */
export async function readWebhookConfig(
  client: Client,
  connectionId: string,
): Promise<WebhookEndpointConfig | undefined> {
  const handle = client.workflow.getHandle(webhookEndpointWorkflowId(connectionId));
  try {
    const description = await handle.describe();
    // A closed endpoint (the last subscription undeployed, or terminated) accepts nothing.
    if (description.status.name !== 'RUNNING') return undefined;
    const published = description.memo?.[WEBHOOK_CONFIG_MEMO];
    if (published) return published as WebhookEndpointConfig;
    return await handle.query<WebhookEndpointConfig>('webhookConfig');
  } catch (failure) {
    if (failure instanceof WorkflowNotFoundError) return undefined;
    throw failure;
  }
}
