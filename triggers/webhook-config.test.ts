import type { Client } from '@temporalio/client';
import type { WebhookEndpointConfig } from '../workflows/triggers/webhook-endpoint';
import { WebhookConfigCache } from './webhook-config';

/** A Temporal client whose describe() answers are released by the test, one per read, in order. */
function endpointClient() {
  const reads: Array<(keys: string[]) => void> = [];
  const config = (urlKeySha256: string[]): WebhookEndpointConfig => ({
    connectionId: 'acme',
    urlKeySha256,
    publicKeys: [],
    subscriptions: [],
  });
  const client = {
    workflow: {
      getHandle: () => ({
        describe: () =>
          new Promise((resolve) =>
            reads.push((keys) =>
              resolve({ status: { name: 'RUNNING' }, memo: { webhookConfig: config(keys) } }),
            ),
          ),
      }),
    },
  } as unknown as Client;
  return {
    client,
    reads: () => reads.length,
    /** Answers read number `index` (0-based) with an endpoint holding these URL key hashes. */
    answer: async (index: number, keys: string[]) => {
      reads[index]?.(keys);
      await new Promise((resolve) => setImmediate(resolve));
    },
  };
}

const keysOf = async (read: Promise<WebhookEndpointConfig | undefined>) => (await read)?.urlKeySha256;

describe('WebhookConfigCache: a delivery is never checked against a configuration read more than maxAgeMs before it', () => {
  let now = 0;
  const clock = () => now;

  it('serves a fresh read without another; re-reads in the background past half the bound', async () => {
    now = 1_000;
    const endpoint = endpointClient();
    const cache = new WebhookConfigCache({ client: endpoint.client, maxAgeMs: 2_000, now: clock });
    const first = cache.get('acme');
    await endpoint.answer(0, ['old']);
    expect(await keysOf(first)).toEqual(['old']);
    now = 1_900;
    expect(await keysOf(cache.get('acme'))).toEqual(['old']);
    expect(endpoint.reads()).toBe(1);
    // Past half the bound: still served at once, and one read (not one per delivery) goes out behind it.
    now = 2_100;
    expect(await keysOf(cache.get('acme'))).toEqual(['old']);
    expect(await keysOf(cache.get('acme'))).toEqual(['old']);
    expect(endpoint.reads()).toBe(2);
    await endpoint.answer(1, ['new']);
    expect(await keysOf(cache.get('acme'))).toEqual(['new']);
  });

  it('past the bound, waits for a new read instead of serving the old one (a revoked key)', async () => {
    now = 10_000;
    const endpoint = endpointClient();
    const cache = new WebhookConfigCache({ client: endpoint.client, maxAgeMs: 2_000, now: clock });
    const first = cache.get('acme');
    await endpoint.answer(0, ['revoked']);
    await first;
    now = 12_000;
    let settled: string[] | undefined;
    const late = keysOf(cache.get('acme')).then((keys) => (settled = keys));
    await new Promise((resolve) => setImmediate(resolve));
    expect(settled).toBeUndefined();
    await endpoint.answer(1, []);
    expect(await late).toEqual([]);
  });

  it('does not join a read sent longer ago than the bound (a slow server)', async () => {
    now = 20_000;
    const endpoint = endpointClient();
    const cache = new WebhookConfigCache({ client: endpoint.client, maxAgeMs: 2_000, now: clock });
    const slow = cache.get('acme');
    now = 22_500;
    const later = cache.get('acme');
    expect(endpoint.reads()).toBe(2);
    await endpoint.answer(1, []);
    expect(await keysOf(later)).toEqual([]);
    // The slow answer, older, neither replaces the newer read nor serves past the bound.
    await endpoint.answer(0, ['revoked']);
    expect(await keysOf(slow)).toEqual(['revoked']);
    expect(await keysOf(cache.get('acme'))).toEqual([]);
  });
});
