import type { IfStepPlan, SwitchStepPlan } from '../../definitions/plan';
import { isTrue } from './evaluate';
import type { Executor } from './executor';
import type { Frame } from './frame';

/** if: the condition must be a boolean; the step's output is the last output of the branch taken. */
export async function runIf(step: IfStepPlan, frame: Frame, exec: Executor): Promise<unknown> {
  const taken = (await isTrue(frame, step.condition, `${step.id}.if`)) ? step.then : step.else;
  return exec.steps(taken, frame);
}

/** switch: the first case whose `when` is true runs, else `default`. */
export async function runSwitch(step: SwitchStepPlan, frame: Frame, exec: Executor): Promise<unknown> {
  for (const [index, branch] of step.cases.entries()) {
    if (await isTrue(frame, branch.when, `${step.id}.cases[${index}].when`)) {
      return exec.steps(branch.steps, frame);
    }
  }
  return exec.steps(step.default, frame);
}
