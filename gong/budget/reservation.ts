/**
 * Gong's per-company budget (3 calls/s and 10,000/day by default), shared by every worker, key and token of
 * the company. Types and the slot arithmetic are pure: the budget workflow runs them deterministically.
 */
export interface BudgetLimits {
  requestsPerSecond: number;
  requestsPerDay: number;
}

export type Reservation =
  /** Send the request at (or after) this instant. */
  | { kind: 'slot'; atMs: number }
  /** The day's quota is spent: nothing may be sent before this instant. */
  | { kind: 'quotaExhausted'; untilMs: number };

export interface BudgetState {
  /** Earliest instant the next request may be sent. */
  nextSlotMs: number;
  /** UTC day number the counter below belongs to. */
  day: number;
  usedToday: number;
  reservations: number;
}

export const EMPTY_BUDGET: BudgetState = { nextSlotMs: 0, day: -1, usedToday: 0, reservations: 0 };

const DAY_MS = 86_400_000;

/**
 * Spacing between requests, a little above 1/rate. Gong counts a sliding second, so any four consecutive
 * requests must arrive more than a second apart at Gong, after every delay between taking a slot and the
 * request landing (event loops, network). Requests later than a small tolerance after their slot take a
 * new one (see GongClient); what remains is arrival jitter, which measured up to ~90 ms on a loaded
 * machine: 3 x 366.7 ms = 1,100 ms leaves 100 ms for it, at 91% of Gong's limit (BENCHMARKS.md).
 */
export const SPACING_MARGIN = 1.1;

/** Hands out the next send slot. Mutates and returns the state's successor (pure in its inputs). */
export function reserveSlot(
  state: BudgetState,
  nowMs: number,
  limits: BudgetLimits,
): { state: BudgetState; reservation: Reservation } {
  const at = Math.max(nowMs, state.nextSlotMs);
  const day = Math.floor(at / DAY_MS);
  const usedToday = day === state.day ? state.usedToday : 0;
  if (usedToday >= limits.requestsPerDay) {
    return {
      state: { ...state, day, usedToday },
      reservation: { kind: 'quotaExhausted', untilMs: (day + 1) * DAY_MS },
    };
  }
  const interval = (1000 / limits.requestsPerSecond) * SPACING_MARGIN;
  return {
    state: { nextSlotMs: at + interval, day, usedToday: usedToday + 1, reservations: state.reservations + 1 },
    reservation: { kind: 'slot', atMs: at },
  };
}

/**
 * Workflow id of a company's budget entity on one task queue. The entity runs on the task queue of the
 * workers that use it: keyed by company alone, a budget started by workers of another queue (another
 * deployment, a finished test) would leave these workers' reservations waiting on a queue nobody polls.
 * Every worker of a deployment polls the same queue (`worker.taskQueue`), so they all share the budget;
 * two deployments on different queues calling the same company each get their own.
 */
export function budgetWorkflowId(companyKey: string, taskQueue: string): string {
  return `gongflow-budget-${taskQueue}-${companyKey}`;
}

/** The company key of a connection: its API host (every key and token of a company uses the same host). */
export function companyKeyOf(baseUrl: string): string {
  try {
    return new URL(baseUrl).host.toLowerCase();
  } catch {
    return baseUrl.toLowerCase();
  }
}
