import { CancellationScope, isCancellation } from '@temporalio/workflow';
import type { TryStepPlan } from '../../definitions/plan';
import { catchMatches, describeFailure, RunSucceeded } from './failures';
import type { Executor } from './executor';
import type { Frame } from './frame';

/**
 * try: runs `steps`; a failure whose type is in `catch.errorTypes` (`*` or none listed: any) runs the
 * catch steps with the failure bound to `catch.as` as `{ type, message, step? }`, and the step completes
 * with the catch steps' last output. Cancellation and `succeed` are never caught. `finally` runs after
 * either, also when the run is being cancelled (in a non-cancellable scope); a failure in `finally`
 * replaces the original outcome.
 */
export async function runTry(step: TryStepPlan, frame: Frame, exec: Executor): Promise<unknown> {
  try {
    return await exec.steps(step.steps, frame);
  } catch (error) {
    if (!step.catch || error instanceof RunSucceeded || isCancellation(error)) throw error;
    const info = describeFailure(error);
    if (!catchMatches(step.catch.errorTypes, info)) throw error;
    const caught: Frame = { ...frame, locals: { ...frame.locals, [step.catch.as]: info } };
    return await exec.steps(step.catch.steps, caught);
  } finally {
    if (step.finally && step.finally.length > 0) {
      const cleanup = step.finally;
      await CancellationScope.nonCancellable(() => exec.steps(cleanup, frame));
    }
  }
}
