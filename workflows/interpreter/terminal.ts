import type { FailStepPlan, SucceedStepPlan } from '../../definitions/plan';
import { evaluateIn } from './evaluate';
import { failure, RunSucceeded } from './failures';
import type { Frame } from './frame';

/** fail: ends the run (or reaches the nearest matching catch) with the author's error type and message. */
export async function runFail(step: FailStepPlan, frame: Frame): Promise<never> {
  const message = await evaluateIn(frame, step.message, `${step.id}.message`);
  throw failure(step.errorType, typeof message === 'string' ? message : JSON.stringify(message), {
    step: step.id,
  });
}

/** succeed: ends the whole run successfully now; `finally` blocks still run, catch clauses don't. */
export async function runSucceed(step: SucceedStepPlan, frame: Frame): Promise<never> {
  const output = step.output ? await evaluateIn(frame, step.output, `${step.id}.output`) : null;
  throw new RunSucceeded(output);
}
