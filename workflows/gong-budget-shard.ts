import {
  allHandlersFinished,
  condition,
  continueAsNew,
  currentUpdateInfo,
  defineQuery,
  defineSignal,
  defineUpdate,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import { AnsweredUpdates, type AnsweredUpdate } from '../gong/budget/answered-updates';
import type { LeaseReturn } from '../gong/budget/lease';
import type { BudgetState } from '../gong/budget/reservation';
import {
  COMPANY_IDLE_MS,
  EMPTY_SHARD,
  carriedShardState,
  companyBudget,
  forgetIdleCompanies,
  isShardEmpty,
  releaseInShard,
  reserveInShard,
  returnLeases,
  type ShardReservations,
  type ShardReserveRequest,
  type ShardState,
} from '../gong/budget/shard';

export const reserveShardUpdate = defineUpdate<ShardReservations, [ShardReserveRequest]>(
  'gongflow.budget.reserveShard',
);
/**
 * A company's slots handed out whose requests will not be sent (cancelled while waiting for them), and
 * leases given back (`returns`: a worker shutting down, or no reservation to carry them; earlier versions
 * send none and ignore them).
 */
export const releaseShardSignal = defineSignal<
  [{ companyKey: string; slots: number[]; returns?: LeaseReturn[] }]
>('gongflow.budget.releaseShard');
/** One company's budget as the shard keeps it (undefined: the shard has nothing for it). */
export const companyBudgetQuery = defineQuery<BudgetState | undefined, [string]>('gongflow.budget.company');

/** The shard's size: companies kept and slots handed out (benchmarks, diagnostics). */
export const shardSizeQuery = defineQuery<{ companies: number; reservations: number }>(
  'gongflow.budget.shard',
);

/** What a shard's run starts from: the budgets, and the reservations answered a moment before it continued. */
export interface ShardRunInput extends ShardState {
  answered?: AnsweredUpdate[];
}

/**
 * The Gong budgets of the companies of one shard (`gong/budget/shard.ts`): every Gong request of every
 * worker reserves its send slot here first, so each company's budget holds across all worker processes and
 * machines. Updates are handled one at a time, in order, which is what makes the slots exact. An idle shard
 * stays while a company still counts requests for the day (the daily quota), then stops; the next
 * reservation starts it again (update-with-start).
 */
export async function gongBudgetShard(initial?: ShardRunInput): Promise<void> {
  let state: ShardState = initial
    ? { companies: initial.companies, reservations: initial.reservations }
    : EMPTY_SHARD;
  const answered = new AnsweredUpdates(initial?.answered);
  setHandler(reserveShardUpdate, (request) => {
    // A worker's retry of a reservation answered before this run continued: the same slots, not more.
    const updateId = currentUpdateInfo()?.id;
    const earlier = answered.answerOf(updateId);
    if (earlier) return earlier;
    const next = reserveInShard(state, request);
    state = next.state;
    answered.remember(updateId, Date.now(), next.reservations);
    return next.reservations;
  });
  setHandler(releaseShardSignal, ({ companyKey, slots, returns }) => {
    state = returnLeases(releaseInShard(state, companyKey, slots, Date.now()), returns ?? [], Date.now());
  });
  setHandler(companyBudgetQuery, (companyKey) => companyBudget(state.companies, companyKey));
  setHandler(shardSizeQuery, () => ({
    companies: Object.keys(state.companies).length,
    reservations: state.reservations,
  }));

  for (;;) {
    const seen = state.reservations;
    const active = await condition(
      () => workflowInfo().continueAsNewSuggested || state.reservations !== seen,
      COMPANY_IDLE_MS,
    );
    // Not after every reservation: a busy shard forgets as it continues as new, which it does often.
    if (!active) {
      state = forgetIdleCompanies(state, Date.now());
      if (isShardEmpty(state)) break;
    }
    if (workflowInfo().continueAsNewSuggested) {
      await condition(allHandlersFinished);
      await continueAsNew<typeof gongBudgetShard>({
        ...carriedShardState(forgetIdleCompanies(state, Date.now())),
        answered: answered.carried(Date.now()),
      });
    }
  }
  await condition(allHandlersFinished);
}
