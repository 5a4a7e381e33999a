/**
 * The reservation updates a budget shard answered a moment ago, kept across its continue-as-new.
 *
 * A worker retries a reservation whose answer it did not get (an attempt's deadline passed, the reply was lost
 * under load) with the same update id. Temporal answers such a retry with the first answer only within the
 * run that gave it: once the shard has continued as new, the next run knows nothing of the id and would hand
 * out fresh slots, counting the company's request twice (a slot nobody sends at, a day's count one too high).
 * So each run remembers its recent answers by update id, and hands them to the next run.
 */
import type { ShardReservations } from './shard';

/** How long an answer is kept: past the worker's deadline for an attempt (20 s) and the retry reaching us. */
export const ANSWER_KEPT_MS = 60_000;
/**
 * Most answers carried into the next run (the newest): a shard answering dozens of updates a second keeps
 * the last few seconds, where the retries of lost replies fall, and its input stays far below Temporal's
 * payload limit (an answer is ~150 bytes for one company).
 */
export const MAX_ANSWERS_CARRIED = 500;

export interface AnsweredUpdate {
  updateId: string;
  /** When the shard answered (workflow time). */
  atMs: number;
  reservations: ShardReservations;
}

export class AnsweredUpdates {
  /** In answer order, so the oldest are first to go. */
  private readonly byId = new Map<string, AnsweredUpdate>();

  constructor(carried: readonly AnsweredUpdate[] = []) {
    for (const answer of carried) this.byId.set(answer.updateId, answer);
  }

  /** The answer already given to this update id, by this run or a run before it. */
  answerOf(updateId: string | undefined): ShardReservations | undefined {
    return updateId === undefined ? undefined : this.byId.get(updateId)?.reservations;
  }

  remember(updateId: string | undefined, atMs: number, reservations: ShardReservations): void {
    if (updateId === undefined) return;
    this.byId.set(updateId, { updateId, atMs, reservations });
    this.forgetOlderThan(atMs - ANSWER_KEPT_MS);
  }

  /** The answers the next run must know: those still within ANSWER_KEPT_MS, the newest MAX_ANSWERS_CARRIED. */
  carried(nowMs: number): AnsweredUpdate[] {
    this.forgetOlderThan(nowMs - ANSWER_KEPT_MS);
    return [...this.byId.values()].slice(-MAX_ANSWERS_CARRIED);
  }

  private forgetOlderThan(oldestKeptMs: number): void {
    for (const [updateId, answer] of this.byId) {
      if (answer.atMs >= oldestKeptMs) return;
      this.byId.delete(updateId);
    }
  }
}
