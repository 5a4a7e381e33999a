import type { GongBudget, SendOutcome } from '../../gong/budget/temporal-budget';
import type { Reservation } from '../../gong/budget/reservation';

/** One Gong request's wait for its budget slot, as the benchmark reads it back. */
export interface SlotWait {
  /** The company's key (its Gong API host). */
  company: string;
  /** When the request asked for its slot (epoch ms). */
  askedAtMs: number;
  /** From asking to its slot (the reservation's round trip, then the wait until the slot's instant). */
  waitMs: number;
  /** From asking to the reservation's answer (the rest of `waitMs` is the wait for the slot's instant). */
  roundTripMs: number;
  /** False: no slot came (the ask was abandoned, e.g. by the worker's shutdown); `waitMs` is how long it waited. */
  answered: boolean;
}

/**
 * A budget that notes how long each request waited for its slot, per company: whether some companies'
 * calls wait longer than others' (starvation) is a question of these waits, which the emulator's request
 * log cannot answer (it sees when a request arrived, not when it was ready).
 */
export class MeasuredBudget implements GongBudget {
  readonly waits: SlotWait[] = [];

  constructor(private readonly inner: GongBudget) {}

  async reserve(companyKey: string, signal?: AbortSignal): Promise<Reservation> {
    const askedAtMs = Date.now();
    let reservation: Reservation;
    try {
      reservation = await this.inner.reserve(companyKey, signal);
    } catch (error) {
      const waitMs = Date.now() - askedAtMs;
      this.waits.push({ company: companyKey, askedAtMs, waitMs, roundTripMs: waitMs, answered: false });
      throw error;
    }
    const answeredAtMs = Date.now();
    if (reservation.kind === 'slot')
      this.waits.push({
        company: companyKey,
        askedAtMs,
        waitMs: Math.max(reservation.atMs, answeredAtMs) - askedAtMs,
        roundTripMs: answeredAtMs - askedAtMs,
        answered: true,
      });
    return reservation;
  }

  observe(companyKey: string, outcome: SendOutcome): void {
    this.inner.observe(companyKey, outcome);
  }

  release(companyKey: string, atMs: number): Promise<void> {
    return this.inner.release(companyKey, atMs);
  }
}
