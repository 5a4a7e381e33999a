/**
 * A company's rate leased to one worker for a few seconds, so that worker reserves the company's next slots
 * itself, with no update to the shard. With runs spread over many companies most Gong calls found their
 * company idle and paid a whole update (a round trip through a workflow task) for a slot that was "now";
 * a run's next calls usually come back to the same worker within seconds (BENCHMARKS.md, "Many companies":
 * 5 s leases answered 71-72% of the asks with one worker, 42-43% with three).
 *
 * The lease keeps every guarantee of the slots because it *is* slots: the same spacing, counted the same
 * way. The shard grants it only to a company with nothing queued ahead (no slot ahead, none released, no
 * other lease running); the holder's slots are `intervalMs` apart from `fromMs` and each at least
 * `intervalMs` before `untilMs`, where the shard moves the company's queue, so any other worker's slot
 * comes after the lease. Its slots are counted on the company's day when granted (`prepaid`, only while
 * LEASE_QUOTA_RESERVE more would be left), and what the holder did not use is given back when it returns
 * the lease. A holder that never returns it (it crashed) leaves its prepaid slots counted: the quota errs on
 * the safe side. Pure and deterministic: the shard workflow runs the shard side.
 */
import type { BudgetLimits, BudgetState } from './reservation';

/**
 * How long a lease lasts unless the worker asks for another length (within LEASE_BOUNDS_MS). Another worker's
 * call to the company waits at most this long for it.
 */
export const LEASE_MS = 5_000;
export const LEASE_BOUNDS_MS = { min: 1_000, max: 30_000 } as const;

/** The length a lease is granted for, from what a worker asked (anything else: the default). */
export function leaseLength(askedMs: unknown): number {
  if (typeof askedMs !== 'number' || !Number.isFinite(askedMs)) return LEASE_MS;
  return Math.min(LEASE_BOUNDS_MS.max, Math.max(LEASE_BOUNDS_MS.min, askedMs));
}

const DAY_MS = 86_400_000;

/**
 * A lease is granted only while at least this many requests of the day would be left after its prepaid
 * ones. Near the end of a company's quota the count must be exact: another worker told "quota spent" while a
 * lease holds slots it will not use would wait for the next UTC day.
 */
export const LEASE_QUOTA_RESERVE = 100;

/** A lease as the shard grants it (after the slots asked with it, in the company's answer list). */
export interface CompanyLease {
  kind: 'lease';
  /** The holder's first slot may be at this instant (after the slots answered with the lease). */
  fromMs: number;
  /** Every slot of the lease is at least `intervalMs` before this instant. */
  untilMs: number;
  intervalMs: number;
  /** Requests counted on the company's day for the lease: at most this many slots. */
  prepaid: number;
  /** Requests left on the lease's UTC day once its prepaid slots are counted (the workers' gauge). */
  leftToday: number;
}

/** What the shard keeps of a lease it granted, until it is returned or another replaces it. */
export interface GrantedLease {
  untilMs: number;
  prepaid: number;
  day: number;
}

/** A lease given back by its holder: how many slots it used and where its own queue stood. */
export interface LeaseReturn {
  companyKey: string;
  /** Names the lease (a company has one at a time; a stale return matches none). */
  untilMs: number;
  used: number;
  /** The holder's next free slot: a lease returned early gives the rest of its time back. */
  nextSlotMs: number;
}

/**
 * Whether a company may be leased now: nothing queued ahead of `nowMs` (a slot, a released slot) and no
 * other lease running, so the holder's slots cannot crowd anyone's.
 */
export function canLease(company: BudgetState, nowMs: number): boolean {
  if (company.lease && company.lease.untilMs > nowMs) return false;
  return company.nextSlotMs <= nowMs && !company.released.some((slot) => slot >= nowMs);
}

/**
 * Grants the lease on a company whose asked slots were just reserved (`canLease` held before them), or
 * nothing when no slot would fit, the lease would cross into the next UTC day (whose count starts afresh),
 * or the day's quota cannot pay for it.
 */
export function grantLease(
  company: BudgetState,
  nowMs: number,
  limits: BudgetLimits,
  leaseMs = LEASE_MS,
): { state: BudgetState; lease: CompanyLease } | undefined {
  const fromMs = Math.max(company.nextSlotMs, nowMs);
  const untilMs = nowMs + leaseMs;
  const intervalMs = (1000 / limits.requestsPerSecond) * company.spacing;
  const day = Math.floor(fromMs / DAY_MS);
  if (Math.floor(untilMs / DAY_MS) !== day) return undefined;
  const usedToday = company.day === day ? company.usedToday : 0;
  const prepaid = Math.floor((untilMs - fromMs) / intervalMs);
  if (!(prepaid >= 1) || limits.requestsPerDay - usedToday - prepaid < LEASE_QUOTA_RESERVE) return undefined;
  return {
    state: {
      ...company,
      nextSlotMs: untilMs,
      day,
      usedToday: usedToday + prepaid,
      lease: { untilMs, prepaid, day },
    },
    lease: {
      kind: 'lease',
      fromMs,
      untilMs,
      intervalMs,
      prepaid,
      leftToday: limits.requestsPerDay - usedToday - prepaid,
    },
  };
}

/**
 * Takes a lease back: its unused slots leave the day's count and, returned early with nobody queued after
 * it, the rest of its time goes back to the queue. A return that names no current lease changes nothing.
 */
export function returnLease(company: BudgetState, returned: LeaseReturn, nowMs: number): BudgetState {
  const lease = company.lease;
  if (!lease || lease.untilMs !== returned.untilMs) return company;
  const used = Math.min(lease.prepaid, Math.max(0, Math.floor(returned.used) || 0));
  const unused = lease.prepaid - used;
  const usedToday = company.day === lease.day ? Math.max(0, company.usedToday - unused) : company.usedToday;
  const early = lease.untilMs > nowMs && company.nextSlotMs === lease.untilMs;
  const nextSlotMs = early
    ? Math.min(lease.untilMs, Math.max(nowMs, Number(returned.nextSlotMs) || lease.untilMs))
    : company.nextSlotMs;
  // Counted as reservations now that they are known: the company's slots, from the shard or a lease.
  return { ...company, usedToday, nextSlotMs, reservations: company.reservations + used, lease: undefined };
}

/** A lease as its holder keeps it: its own little queue. */
export interface HeldLease extends CompanyLease {
  nextSlotMs: number;
  used: number;
  /** Slots of the lease given back by cancelled requests, ascending: taken first. */
  released: number[];
}

export function holdLease(lease: CompanyLease): HeldLease {
  return { ...lease, nextSlotMs: lease.fromMs, used: 0, released: [] };
}

/** The holder's next slot from its lease, or undefined once the lease has none left. Mutates `held`. */
export function takeLeasedSlot(held: HeldLease, nowMs: number): number | undefined {
  held.released = held.released.filter((slot) => slot >= nowMs);
  const reusable = held.released.shift();
  if (reusable !== undefined) {
    held.used += 1;
    return reusable;
  }
  const atMs = Math.max(nowMs, held.nextSlotMs);
  if (held.used >= held.prepaid || atMs + held.intervalMs > held.untilMs) return undefined;
  held.nextSlotMs = atMs + held.intervalMs;
  held.used += 1;
  return atMs;
}

/** True when `atMs` is one of the lease's slots (every other slot of the company lies outside it). */
export function isLeasedSlot(held: CompanyLease, atMs: number): boolean {
  return atMs >= held.fromMs && atMs < held.untilMs;
}

/** Gives back a lease slot whose request will not be sent; the holder takes it again first. Mutates `held`. */
export function releaseLeasedSlot(held: HeldLease, atMs: number, nowMs: number): void {
  if (atMs <= nowMs || !isLeasedSlot(held, atMs)) return;
  held.used = Math.max(0, held.used - 1);
  held.released = [...held.released, atMs].sort((a, b) => a - b);
}

export function returnOf(companyKey: string, held: HeldLease): LeaseReturn {
  return { companyKey, untilMs: held.untilMs, used: held.used, nextSlotMs: held.nextSlotMs };
}

export function isLease(answer: { kind: string }): answer is CompanyLease {
  return answer.kind === 'lease';
}
