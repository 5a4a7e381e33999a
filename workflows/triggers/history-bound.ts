import { workflowInfo } from '@temporalio/workflow';

/**
 * Where trigger workflows (pollers, webhook endpoints) continued as new before their histories were bounded:
 * runs recorded then replay with it (each workflow guards its own bound with `patched`).
 */
export const UNBOUNDED_RUN_MAX_EVENTS = 5_000;

/**
 * Whether this run should continue as new: past `maxEvents`, or when Temporal suggests it. A worker that does
 * not hold a run in its cache replays all of it at the next task, so long-lived workflows keep runs short.
 */
export function historyFull(maxEvents: number): boolean {
  const info = workflowInfo();
  return info.continueAsNewSuggested || info.historyLength > maxEvents;
}
