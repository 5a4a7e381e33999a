import { CancellationScope, isCancellation, sleep } from '@temporalio/workflow';
import { FAILURE_TYPES } from '../../core/failure-types';
import { failure } from './failures';

/**
 * Runs `work` with a whole-step limit: a durable timer races it and cancels everything the step started
 * (activities, timers, children) when it fires. The step then fails with StepTimeoutError, which catch
 * clauses can match; a cancellation from outside stays a cancellation.
 */
export async function withTimeout<T>(timeoutMs: number, what: string, work: () => Promise<T>): Promise<T> {
  let timedOut = false;
  const workScope = new CancellationScope();
  const timerScope = new CancellationScope();
  const timer = timerScope
    .run(() => sleep(timeoutMs))
    .then(
      () => {
        timedOut = true;
        workScope.cancel();
      },
      () => undefined,
    );
  try {
    return await workScope.run(work);
  } catch (error) {
    if (timedOut && isCancellation(error)) {
      throw failure(FAILURE_TYPES.timeout, `${what} did not finish within ${timeoutMs} ms.`);
    }
    throw error;
  } finally {
    timerScope.cancel();
    await timer;
  }
}
