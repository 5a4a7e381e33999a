import { createHash } from 'node:crypto';

/**
 * Every made-up key of the right shape costs a Temporal lookup. A client (by address) whose keys keep
 * failing is refused for a while before any lookup: `maxFailures` failures within `windowMs` block it
 * until the window has passed. Keys that were valid recently still go through, so one noisy client
 * behind a shared address does not lock out the others.
 */
export class UnknownKeyLimiter {
  private readonly failures = new Map<string, number[]>();
  private readonly valid = new Map<string, number>();

  constructor(
    private readonly options: { windowMs: number; maxFailures: number; now?: () => number } = {
      windowMs: 10_000,
      maxFailures: 20,
    },
  ) {}

  /** Milliseconds until `client` may try unknown keys again, or 0 when it may now. */
  retryAfterMs(client: string, key: string): number {
    const now = this.now();
    const validUntil = this.valid.get(fingerprint(key));
    if (validUntil !== undefined && validUntil > now) return 0;
    const recent = this.recent(client, now);
    if (recent.length < this.options.maxFailures) return 0;
    return Math.max(1, recent[0]! + this.options.windowMs - now);
  }

  failed(client: string): void {
    const now = this.now();
    const recent = this.recent(client, now);
    recent.push(now);
    this.failures.set(client, recent.slice(-this.options.maxFailures));
    if (this.failures.size > 10_000) this.prune(now);
  }

  succeeded(key: string): void {
    this.valid.set(fingerprint(key), this.now() + 10 * this.options.windowMs);
    if (this.valid.size > 10_000) this.prune(this.now());
  }

  private recent(client: string, now: number): number[] {
    return (this.failures.get(client) ?? []).filter((at) => at > now - this.options.windowMs);
  }

  private prune(now: number): void {
    for (const [client, times] of this.failures) {
      if (times.every((at) => at <= now - this.options.windowMs)) this.failures.delete(client);
    }
    for (const [key, until] of this.valid) if (until <= now) this.valid.delete(key);
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }
}

function fingerprint(key: string): string {
  return createHash('sha256').update(key).digest('base64url');
}
