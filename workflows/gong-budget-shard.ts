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
  type ShardReservations,
  type ShardReserveRequest,
  type ShardState,
} from '../gong/budget/shard';

export const reserveShardUpdate = defineUpdate<ShardReservations, [ShardReserveRequest]>(
  'gongflow.budget.reserveShard',
);
/** A company's slots handed out whose requests will not be sent (cancelled while waiting for them). */
export const releaseShardSignal = defineSignal<[{ companyKey: string; slots: number[] }]>(
  'gongflow.budget.releaseShard',
);
/** One company's budget as the shard keeps it (undefined: the shard has nothing for it). */
export const companyBudgetQuery = defineQuery<BudgetState | undefined, [string]>('gongflow.budget.company');

/** The shard's size: companies kept and slots handed out (benchmarks, diagnostics). */
export const shardSizeQuery = defineQuery<{ companies: number; reservations: number }>(
  'gongflow.budget.shard',
);

/**
 * The Gong budgets of the companies of one shard (`gong/budget/shard.ts`): every Gong request of every
 * worker reserves its send slot here first, so each company's budget holds across all worker processes and
 * machines. Updates are handled one at a time, in order, which is what makes the slots exact. An idle shard
 * stays while a company still counts requests for the day (the daily quota), then stops; the next
 * reservation starts it again (update-with-start).
 */
export async function gongBudgetShard(initial?: ShardState): Promise<void> {
  let state: ShardState = initial ?? EMPTY_SHARD;
  setHandler(reserveShardUpdate, (request) => {
    const next = reserveInShard(state, request);
    state = next.state;
    return next.reservations;
  });
  setHandler(releaseShardSignal, ({ companyKey, slots }) => {
    state = releaseInShard(state, companyKey, slots, Date.now());
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
      await continueAsNew<typeof gongBudgetShard>(carriedShardState(forgetIdleCompanies(state, Date.now())));
    }
  }
  await condition(allHandlersFinished);
}
