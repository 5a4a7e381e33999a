// Workflow entry point of test/cached-runs-storage.test.ts: gongflow's workflows, plus one that reports
// what a promise costs in the sandbox it shares with them.
import { CancellationScope, sleep } from '@temporalio/workflow';

export * from '../../workflows';

/**
 * How many AsyncLocalStorage stores Node copies onto a promise created in this run, inside a cancellation
 * scope (as Temporal's and gongflow's code run): one property per storage enabled in the thread.
 */
export async function promiseStorageFootprint(): Promise<number> {
  return CancellationScope.cancellable(async () => {
    await sleep(1);
    return Object.getOwnPropertySymbols(Promise.resolve()).length;
  });
}
