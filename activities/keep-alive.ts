import { Context } from '@temporalio/activity';
import { ACTIVITY_HEARTBEAT_INTERVAL_MS } from '../core/heartbeats';

export interface KeepAlive {
  /** The activity heartbeated by itself (page progress): the next liveness beat can wait. */
  touch(): void;
  stop(): void;
}

/**
 * Heartbeats (`beat`) whenever the activity has not for a while, for as long as it runs: through budget
 * waits, a slow Gong answer, an upload. The heartbeat timeout is short (a lost worker's work is retried within
 * seconds), so liveness cannot depend on where the activity happens to be waiting. The first beat comes only
 * after a quiet interval: the SDK sends an activity's first heartbeat at once and throttles the next, so an
 * early empty beat would hold back the first page's progress, the one a retry resumes from.
 */
export function keepAlive(beat: () => void, heartbeatTimeoutMs: number | undefined): KeepAlive {
  if (!heartbeatTimeoutMs) return { touch: () => undefined, stop: () => undefined };
  const intervalMs = Math.max(250, Math.min(ACTIVITY_HEARTBEAT_INTERVAL_MS, heartbeatTimeoutMs / 3));
  let last = Date.now();
  const ticker = setInterval(
    () => {
      if (Date.now() - last < intervalMs) return;
      last = Date.now();
      beat();
    },
    Math.max(100, intervalMs / 4),
  );
  return {
    touch: () => {
      last = Date.now();
    },
    stop: () => clearInterval(ticker),
  };
}

/** Runs an activity's `work`, heartbeating (without details) whenever it has not for a while. */
export async function whileAlive<T>(work: () => Promise<T>): Promise<T> {
  const context = Context.current();
  const alive = keepAlive(() => context.heartbeat(), context.info.heartbeatTimeoutMs);
  try {
    return await work();
  } finally {
    alive.stop();
  }
}
