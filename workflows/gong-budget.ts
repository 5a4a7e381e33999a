import {
  allHandlersFinished,
  condition,
  continueAsNew,
  defineQuery,
  defineSignal,
  defineUpdate,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import {
  MAX_RESERVE_BATCH,
  normalizeBudgetState,
  releaseSlots,
  reportSends,
  reserveSlot,
  type BudgetLimits,
  type BudgetState,
  type Reservation,
  type SendReport,
} from '../gong/budget/reservation';

export interface ReserveRequest {
  /** The earliest slot the caller can use (its clock plus its round trip): slots are instants on the workers' clocks. */
  nowMs: number;
  limits: BudgetLimits;
  /** What the caller's worker saw of its sends since its previous reservation (adapts the spacing). */
  report?: SendReport;
}

/** A worker's reservations for several waiting requests at once (`count`), answered in slot order. */
export interface ReserveBatchRequest extends ReserveRequest {
  count: number;
}

/** One slot per update: kept for workers of the previous version still running during a deploy. */
export const reserveUpdate = defineUpdate<Reservation, [ReserveRequest]>('gongflow.budget.reserve');
export const reserveBatchUpdate = defineUpdate<Reservation[], [ReserveBatchRequest]>(
  'gongflow.budget.reserveBatch',
);
/** Slots handed out whose requests will not be sent (cancelled while waiting for them). */
export const releaseSignal = defineSignal<[{ slots: number[] }]>('gongflow.budget.release');
export const budgetStateQuery = defineQuery<BudgetState>('gongflow.budget.state');

/** An idle budget stops; the next reservation starts it again (update-with-start). */
const IDLE_MS = 15 * 60_000;

/**
 * Before budget shards (`gong-budget-shard.ts`), one per Gong company. Kept registered for one release: during
 * a rolling deploy, workers of the previous version still reserve here, and any worker of the task queue may
 * run these workflows' tasks. Every Gong request of every worker reserves a send slot here first, so the
 * company's budget holds across all worker processes and machines. Updates are handled one at a time,
 * in order, which is what makes the slots exact.
 */
export async function gongBudget(initial?: BudgetState): Promise<void> {
  let state: BudgetState = normalizeBudgetState(initial);
  setHandler(reserveUpdate, (request) => {
    if (request.report) state = reportSends(state, request.report);
    const next = reserveSlot(state, request.nowMs, request.limits);
    state = next.state;
    return next.reservation;
  });
  setHandler(reserveBatchUpdate, (request) => {
    if (request.report) state = reportSends(state, request.report);
    const count = Math.max(1, Math.min(MAX_RESERVE_BATCH, Math.floor(request.count)));
    const reservations: Reservation[] = [];
    for (let index = 0; index < count; index += 1) {
      const next = reserveSlot(state, request.nowMs, request.limits);
      state = next.state;
      reservations.push(next.reservation);
      if (next.reservation.kind === 'quotaExhausted') break;
    }
    return reservations;
  });
  setHandler(releaseSignal, ({ slots }) => {
    state = releaseSlots(state, slots, Date.now());
  });
  setHandler(budgetStateQuery, () => state);

  for (;;) {
    const seen = state.reservations;
    const active = await condition(
      () => workflowInfo().continueAsNewSuggested || state.reservations !== seen,
      IDLE_MS,
    );
    if (!active) break;
    if (workflowInfo().continueAsNewSuggested) {
      await condition(allHandlersFinished);
      await continueAsNew<typeof gongBudget>(state);
    }
  }
  await condition(allHandlersFinished);
}
