import type { Client } from '@temporalio/client';
import type { Plan } from '../definitions/plan';
import type { PollerPlan } from '../workflows/triggers/poller';

/**
 * The plan a poller starts runs of, for its poll activity. The poll's input names the plan by hash only: a
 * plan in every poll's input was a copy of the whole definition in the poller's history every 15 minutes,
 * though most polls find nothing to start. A poll with events to start reads it here: from this worker's
 * recent plans, else by asking the poller (which waits on this poll, so its worker answers at once).
 */
const RECENT_PLANS = 200;
const recent = new Map<string, Plan>();

function remember(plan: Plan): void {
  recent.delete(plan.hash);
  recent.set(plan.hash, plan);
  // A Map iterates in insertion order: the first key is the least recently used.
  if (recent.size > RECENT_PLANS) recent.delete(recent.keys().next().value!);
}

export async function pollerPlan(
  client: Client,
  poller: { workflowId: string; runId: string },
  known: { planHash: string; triggerIndex: number },
): Promise<PollerPlan> {
  const cached = recent.get(known.planHash);
  if (cached) {
    remember(cached);
    return { plan: cached, triggerIndex: known.triggerIndex };
  }
  // Redeployed since this poll began: the poller answers with the plan deployed now, whose runs a redeploy
  // means to start.
  const answer = await client.workflow
    .getHandle(poller.workflowId, poller.runId)
    .query<PollerPlan>('pollerPlan'); // the poller's pollerPlanQuery
  remember(answer.plan);
  return answer;
}
