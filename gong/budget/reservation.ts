/**
 * Gong's per-company budget (3 calls/s and 10,000/day by default), shared by every worker, key and token of
 * the company. Types and the slot arithmetic are pure: the budget workflow runs them deterministically.
 */
import type { GrantedLease } from './lease';

export interface BudgetLimits {
  requestsPerSecond: number;
  requestsPerDay: number;
}

export type Reservation =
  /** Send the request at (or after) this instant. */
  | { kind: 'slot'; atMs: number; leftToday?: number }
  /** The day's quota is spent: nothing may be sent before this instant. */
  | { kind: 'quotaExhausted'; untilMs: number; leftToday?: number };
// `leftToday`: requests left in the slot's UTC day once this one is counted (workers export it as a gauge at
// no extra round trip). Optional: a budget workflow of an older version, still running in a deploy, omits it.

/** What a worker saw of the requests it sent since its previous reservation (carried by the next one). */
export interface SendReport {
  /** Per answered request: how late after its slot it may have arrived at Gong, in ms (`arrivalLateness`). */
  latenessMs: number[];
  /** Requests Gong answered 429. */
  tooMany: number;
}

export interface BudgetState {
  /** Earliest instant the next request may be sent. */
  nextSlotMs: number;
  /** UTC day number the counter below belongs to. */
  day: number;
  usedToday: number;
  reservations: number;
  /** Slots are `spacing / rate` apart: max(the jitter floor, the 429 penalty) (see `spacingOf`). */
  spacing: number;
  /** Widened by every 429 Gong answers, narrowed again after clean reservations (see `reportSends`). */
  penaltySpacing: number;
  /** Reservations since the last 429 or narrowing of `penaltySpacing`. */
  cleanReservations: number;
  /** The latest reported latenesses (at most LATENESS_WINDOW), oldest first. */
  latenessMs: number[];
  /**
   * Slots handed out and then given back unused (their request was cancelled: a worker shutting down, a run
   * cancelled), ascending. The next reservations take them before extending the queue: without this, a
   * deploy that stops workers holding a deep queue leaves a gap as deep, where no request is sent.
   */
  released: number[];
  /** Released slots handed out again. */
  reused: number;
  /** The lease granted last (`lease.ts`), until its holder returns it. Absent in older states. */
  lease?: GrantedLease;
}

/**
 * Gong counts a sliding second (the emulator too; Gong's exact algorithm is not documented, and a sliding
 * window is the strictest of the usual ones): requests i and i+3 must *arrive* more than a second apart.
 * They are sent at slots `spacing x 1000 ms` apart and arrive late by their jitter j (event loops, HTTP
 * client, network), so a 429 needs j(i) - j(i+3) >= (spacing - 1) x 1000 ms. The spacing therefore follows
 * the measured lateness: `1 + (its LATENESS_QUANTILE + LATENESS_SAFETY_MS) / 1000`, where lateness bounds how
 * late after its slot a request arrived (`arrivalLateness`). Slots are handed out ahead (the
 * queue can be tens of seconds deep), so a change reaches Gong one queue later: the budget starts at the
 * spacing a loaded machine needed (1.10, BENCHMARKS.md) and narrows once it has measured this one.
 */
export const INITIAL_SPACING = 1.1;
export const MIN_SPACING = 1.03;
export const MAX_SPACING = 1.5;
/** Latenesses the floor is computed from, and how many are needed before the budget trusts them. */
export const LATENESS_WINDOW = 300;
export const LATENESS_MIN_SAMPLES = 30;
export const LATENESS_QUANTILE = 0.995;
export const LATENESS_SAFETY_MS = 10;
/**
 * A report with 429s doubles the penalty's excess over 1 (1.05 -> 1.10 -> 1.20 ...): Gong may count in a way
 * the jitter floor does not foresee. Once per report, not per 429: a burst of them (another app of the company
 * spending the budget) must not pin the spacing at its maximum. Every PENALTY_DECAY_AFTER clean reservations
 * take a fifth of the excess back (from 1.5 to 1.05 in about 500 reservations, three minutes).
 */
export const PENALTY_DECAY_AFTER = 50;

export const EMPTY_BUDGET: BudgetState = {
  nextSlotMs: 0,
  day: -1,
  usedToday: 0,
  reservations: 0,
  spacing: INITIAL_SPACING,
  penaltySpacing: MIN_SPACING,
  cleanReservations: 0,
  latenessMs: [],
  released: [],
  reused: 0,
};

/** Most slots one batch asks for: a worker with more requests waiting asks again once it is answered. */
export const MAX_RESERVE_BATCH = 50;

/** At most this many released slots are kept (the earliest): more than a few minutes of queue at 3/s. */
export const MAX_RELEASED_SLOTS = 1_000;

const DAY_MS = 86_400_000;

/**
 * A request arrived at Gong between being sent and being answered. The answer bounds its arrival, but a slow
 * Gong answer (seconds for a large query) says nothing about the arrival: past MAX_TRANSIT_JITTER_MS after
 * the send, a 429 is what tells the budget the network delayed a request more than that.
 */
export const MAX_TRANSIT_JITTER_MS = 50;

/** How late after its slot a request may have arrived at Gong (the budget's measure of lateness). */
export function arrivalLateness(slotMs: number, sentMs: number, answeredMs: number): number {
  return Math.min(answeredMs, sentMs + MAX_TRANSIT_JITTER_MS) - slotMs;
}

/** A state saved before adaptive spacing existed (continue-as-new input) gets the new fields' defaults. */
export function normalizeBudgetState(state: Partial<BudgetState> | undefined): BudgetState {
  return { ...EMPTY_BUDGET, ...state };
}

/** The spacing the measured lateness needs (INITIAL_SPACING until there are enough measurements). */
export function jitterFloor(latenessMs: readonly number[]): number {
  if (latenessMs.length < LATENESS_MIN_SAMPLES) return INITIAL_SPACING;
  const sorted = [...latenessMs].sort((a, b) => a - b);
  const quantile = sorted[Math.min(sorted.length - 1, Math.floor(LATENESS_QUANTILE * sorted.length))] ?? 0;
  return clamp(1 + (Math.max(0, quantile) + LATENESS_SAFETY_MS) / 1000);
}

function clamp(spacing: number): number {
  return Math.min(MAX_SPACING, Math.max(MIN_SPACING, spacing));
}

/** Folds a worker's report of its sends into the state: a 429 widens the spacing at once, lateness moves the floor. */
export function reportSends(state: BudgetState, report: SendReport): BudgetState {
  const latenessMs = [...state.latenessMs, ...report.latenessMs.filter(Number.isFinite)].slice(
    -LATENESS_WINDOW,
  );
  let { penaltySpacing, cleanReservations } = state;
  if (report.tooMany > 0) {
    // Widen from the spacing in force (not the penalty alone): it is the one Gong just refused.
    penaltySpacing = clamp(1 + (Math.max(state.spacing, penaltySpacing) - 1) * 2);
    cleanReservations = 0;
  }
  return {
    ...state,
    latenessMs,
    penaltySpacing,
    cleanReservations,
    spacing: Math.max(jitterFloor(latenessMs), penaltySpacing),
  };
}

/**
 * Takes back slots whose requests will not be sent. Those still ahead of `nowMs` wait for the next
 * reservations; the day's count gives them back too (they were counted when handed out).
 */
export function releaseSlots(state: BudgetState, slots: readonly number[], nowMs: number): BudgetState {
  const ahead = slots.filter((slot) => Number.isFinite(slot) && slot > nowMs);
  if (ahead.length === 0) return state;
  const released = [...state.released.filter((slot) => slot > nowMs), ...ahead]
    .sort((a, b) => a - b)
    .slice(0, MAX_RELEASED_SLOTS);
  const today = ahead.filter((slot) => Math.floor(slot / DAY_MS) === state.day).length;
  return { ...state, released, usedToday: Math.max(0, state.usedToday - today) };
}

/** Hands out the next send slot. Mutates and returns the state's successor (pure in its inputs). */
export function reserveSlot(
  state: BudgetState,
  nowMs: number,
  limits: BudgetLimits,
): { state: BudgetState; reservation: Reservation } {
  // A released slot the caller can still make comes first: it fills a gap instead of lengthening the queue.
  const released = state.released.filter((slot) => slot >= nowMs);
  const reusable = released[0];
  if (reusable !== undefined) {
    const { day, usedToday } = dayCount(state, reusable);
    if (usedToday < limits.requestsPerDay) {
      return {
        state: {
          ...state,
          released: released.slice(1),
          reused: state.reused + 1,
          day,
          usedToday: usedToday + 1,
          reservations: state.reservations + 1,
        },
        reservation: { kind: 'slot', atMs: reusable, leftToday: limits.requestsPerDay - usedToday - 1 },
      };
    }
  }
  state = released.length === state.released.length ? state : { ...state, released };
  const at = Math.max(nowMs, state.nextSlotMs);
  const { day, usedToday } = dayCount(state, at);
  if (usedToday >= limits.requestsPerDay) {
    return {
      state: { ...state, day, usedToday },
      reservation: { kind: 'quotaExhausted', untilMs: (day + 1) * DAY_MS, leftToday: 0 },
    };
  }
  let { penaltySpacing, cleanReservations, spacing } = state;
  cleanReservations += 1;
  if (cleanReservations >= PENALTY_DECAY_AFTER) {
    penaltySpacing = clamp(1 + (penaltySpacing - 1) * 0.8);
    cleanReservations = 0;
    // The lateness floor only moves with reports (`reportSends`): recomputed here only as the penalty decays.
    spacing = Math.max(jitterFloor(state.latenessMs), penaltySpacing);
  }
  const interval = (1000 / limits.requestsPerSecond) * state.spacing;
  return {
    state: {
      ...state,
      nextSlotMs: at + interval,
      day,
      usedToday: usedToday + 1,
      reservations: state.reservations + 1,
      penaltySpacing,
      cleanReservations,
      spacing,
    },
    reservation: { kind: 'slot', atMs: at, leftToday: limits.requestsPerDay - usedToday - 1 },
  };
}

/** The UTC day of a slot and the requests already counted on it. */
function dayCount(state: BudgetState, slotMs: number): { day: number; usedToday: number } {
  const day = Math.floor(slotMs / DAY_MS);
  return { day, usedToday: day === state.day ? state.usedToday : 0 };
}

/** The company key of a connection: its API host (every key and token of a company uses the same host). */
export function companyKeyOf(baseUrl: string): string {
  try {
    return new URL(baseUrl).host.toLowerCase();
  } catch {
    return baseUrl.toLowerCase();
  }
}
