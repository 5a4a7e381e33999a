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
  const path = `${frame.path}${step.id}`;
  frame.run.record.input(path, step.kind, input);
  // A rerun whose sub-flow failed reruns the sub-flow the same way: its completed steps are reused.
  const rerun = frame.run.reuse?.child(path);
  const args: OrchestrationArgs = {
    plan: step.plan,
    input: (input ?? {}) as Record<string, unknown>,
    ...(frame.run.connectionId ? { connectionId: frame.run.connectionId } : {}),
    trigger: frame.run.trigger ?? null,
    limits: frame.run.limits,
    ...(rerun ? { rerun } : {}),
  };
  const workflowId = `${frame.run.workflowId}/${step.id}/${uuid4().slice(0, 8)}`;
  frame.run.record.child(path, step.kind, workflowId);
  return executeChild('orchestration', {
    args: [args],
    workflowId,
    staticSummary: `${step.plan.name}@${step.plan.version} (step ${step.id})`,
  });
}
