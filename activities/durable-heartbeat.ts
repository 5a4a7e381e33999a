import { ActivityCancelledError } from '@temporalio/client';

/** Sends one heartbeat and resolves once Temporal has stored it (`client.activity.heartbeat`). */
export type SendHeartbeat = (details: unknown) => Promise<void>;

/** How long recording a heartbeat may take; past it the caller does not rely on it (a write is not sent). */
const RECORD_TIMEOUT_MS = 5_000;

/**
 * An attempt's heartbeats, sent one after another and acknowledged, so a write can record "about to send"
 * and know the record is on the server before it sends. The SDK's own heartbeats (`Context.heartbeat`) are
 * throttled and never acknowledged, and one still in flight could land after the record and erase it: an
 * attempt that records here sends every heartbeat here.
 */
export class DurableHeartbeat {
  private details: unknown;
  private chain: Promise<void> = Promise.resolve();
  private beatQueued = false;
  /** Aborted when Temporal answers that the attempt was cancelled (the SDK learns that from its own heartbeats). */
  readonly cancelled = new AbortController();

  constructor(
    private readonly send: SendHeartbeat,
    initial: unknown,
  ) {
    this.details = initial;
  }

  /** A liveness beat with the current details; never more than one waits behind the one in flight. */
  beat(): void {
    if (this.beatQueued) return;
    this.beatQueued = true;
    this.chain = this.chain.then(async () => {
      this.beatQueued = false;
      try {
        await this.deliver(this.details);
      } catch {
        // Liveness only: the next beat tries again, and the heartbeat timeout judges.
      }
    });
  }

  /** Makes `details` the attempt's heartbeat; resolves once Temporal stored it, rejects if it could not. */
  record(details: unknown): Promise<void> {
    this.details = details;
    const recorded = this.chain.then(() => this.deliver(details));
    this.chain = recorded.catch(() => undefined);
    return recorded;
  }

  private async deliver(details: unknown): Promise<void> {
    try {
      await withTimeout(this.send(details), RECORD_TIMEOUT_MS);
    } catch (error) {
      if (error instanceof ActivityCancelledError) this.cancelled.abort(error);
      throw error;
    }
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`no acknowledgement from Temporal within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
