/**
 * The trigger-scale benchmark's baselines, the least Temporal can do for the same job: a poller reduced to
 * its timer (a loop that only sleeps `every`) and a schedule's run reduced to a workflow that returns at
 * once. Workflow code: deterministic, no I/O.
 */
import { sleep } from '@temporalio/workflow';

export async function bareTimerLoop(everyMs: number): Promise<void> {
  for (;;) await sleep(everyMs);
}

export async function bareScheduled(): Promise<void> {
  // Nothing: what a Temporal Schedule costs with no work in its runs.
}
