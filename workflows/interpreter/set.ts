import type { SetStepPlan } from '../../definitions/plan';
import { evaluateIn } from './evaluate';
import type { Frame } from './frame';

/** set: assigns variables in order (a later one may read an earlier one); output: the assigned values. */
export async function runSet(step: SetStepPlan, frame: Frame): Promise<unknown> {
  const assigned: Record<string, unknown> = {};
  for (const [name, template] of Object.entries(step.vars)) {
    assigned[name] = await evaluateIn(frame, template, `${step.id}.set.${name}`);
    frame.vars[name] = assigned[name];
  }
  return assigned;
}
