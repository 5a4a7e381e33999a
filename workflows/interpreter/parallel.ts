import { CancellationScope, isCancellation } from '@temporalio/workflow';
import type { ParallelStepPlan } from '../../definitions/plan';
import { describeFailure, RunSucceeded } from './failures';
import type { Executor } from './executor';
import type { Frame } from './frame';

type Settled = { ok: true; output: unknown } | { ok: false; error: unknown };

/**
 * parallel: branches run concurrently in one cancellation scope, sharing the step outputs and vars.
 * - all: output `{ <branch>: lastOutput }`; the first failure cancels the other branches and fails the step.
 * - race: the first branch to complete wins, the others are cancelled; output `{ winner, output }`.
 *   Failed branches don't win; when every branch fails, the step fails with the first failure.
 * - settled: waits for every branch; output `{ <branch>: { status: 'completed', output } |
 *   { status: 'failed', error: { type, message } } }`.
 * A `succeed` in any branch cancels the others and ends the run.
 */
export async function runParallel(step: ParallelStepPlan, frame: Frame, exec: Executor): Promise<unknown> {
  const group = new CancellationScope();
  const branches = step.branches.map((branch) => ({
    id: branch.id,
    result: group
      .run(() => exec.steps(branch.steps, { ...frame, path: `${frame.path}${step.id}.${branch.id}/` }))
      .then(
        (output): Settled => ({ ok: true, output }),
        (error: unknown): Settled => ({ ok: false, error }),
      ),
  }));
  const results = new Map<string, Settled>();
  let pending = branches.length;
  let decided: { kind: 'fail'; error: unknown } | { kind: 'win'; id: string } | undefined;

  await new Promise<void>((resolve) => {
    if (pending === 0) resolve();
    for (const branch of branches) {
      void branch.result.then((settled) => {
        results.set(branch.id, settled);
        pending -= 1;
        if (!decided) {
          if (
            !settled.ok &&
            (settled.error instanceof RunSucceeded || step.mode === 'all' || isCancellation(settled.error))
          ) {
            decided = { kind: 'fail', error: settled.error };
          } else if (settled.ok && step.mode === 'race') {
            decided = { kind: 'win', id: branch.id };
          }
          if (decided) group.cancel();
        }
        if (pending === 0) resolve();
      });
    }
  });

  if (decided?.kind === 'fail') throw decided.error;
  if (step.mode === 'race') {
    if (decided?.kind === 'win')
      return { winner: decided.id, output: (results.get(decided.id) as { output: unknown }).output };
    const first = branches.map((branch) => results.get(branch.id)).find((settled) => settled && !settled.ok);
    if (first && !first.ok) throw first.error;
    return { winner: null, output: null };
  }
  const output: Record<string, unknown> = {};
  for (const branch of branches) {
    const settled = results.get(branch.id) as Settled;
    if (step.mode === 'all') output[branch.id] = (settled as { output: unknown }).output;
    else
      output[branch.id] = settled.ok
        ? { status: 'completed', output: settled.output }
        : { status: 'failed', error: describeFailure(settled.error) };
  }
  return output;
}
