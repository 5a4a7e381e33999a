import { executeChild, uuid4 } from '@temporalio/workflow';
import type { SubOrchestrationStepPlan } from '../../definitions/plan';
import type { OrchestrationArgs } from '../orchestration';
import { evaluateIn } from './evaluate';
import type { Frame } from './frame';

/**
 * run: the embedded plan runs as a child `orchestration` workflow on the same task queue and connection,
 * with its own history (so it also keeps the parent's history small). Output: the child's output; a
 * failure of the child fails the step with the child's failure type. Cancelling the parent cancels it.
 */
export async function runSubOrchestration(step: SubOrchestrationStepPlan, frame: Frame): Promise<unknown> {
  const input = await evaluateIn(frame, step.input, `${step.id}.input`);
  const args: OrchestrationArgs = {
    plan: step.plan,
    input: (input ?? {}) as Record<string, unknown>,
    ...(frame.run.connectionId ? { connectionId: frame.run.connectionId } : {}),
    trigger: frame.run.trigger ?? null,
    limits: frame.run.limits,
  };
  return executeChild('orchestration', {
    args: [args],
    workflowId: `${frame.run.workflowId}/${step.id}/${uuid4().slice(0, 8)}`,
    staticSummary: `${step.plan.name}@${step.plan.version} (step ${step.id})`,
  });
}
