import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import {
  recordQuery,
  type RecordedStep,
  type RunRecord,
  type RunStart,
} from '../workflows/interpreter/record';
import type { RerunArgs } from '../workflows/interpreter/reuse';

/** Statuses a run can be rerun from: it ended without completing. */
export const RERUNNABLE_STATUSES = ['failed', 'cancelled', 'terminated', 'timed_out'] as const;

/**
 * What a rerun of `workflowId` starts with: the run's plan, input, connection and trigger, and the record
 * of its steps to reuse. Steps that failed inside a child workflow (a sub-flow, a forEach batch) bring that
 * child's record along, so the rerun of the child reuses what completed in it too.
 *
 * Records come from the runs' `gongflow.record` query, which a worker answers by replaying the history:
 * `ask` bounds each query (and turns "nobody answered" into the caller's error).
 */
export async function rerunSource(
  client: Client,
  workflowId: string,
  ask: <T>(query: () => Promise<T>) => Promise<T>,
): Promise<{ start: RunStart; rerun: RerunArgs }> {
  const record = await ask(() => client.workflow.getHandle(workflowId).query(recordQuery, { start: true }));
  if (!record.start) throw new Error(`Run ${workflowId} did not say what it started with.`);
  return { start: record.start, rerun: await reusable(client, workflowId, record, ask) };
}

async function reusable(
  client: Client,
  workflowId: string,
  record: RunRecord,
  ask: <T>(query: () => Promise<T>) => Promise<T>,
): Promise<RerunArgs> {
  const steps: Record<string, RecordedStep> = {};
  const children: Record<string, RerunArgs> = {};
  for (const [path, entry] of Object.entries(record.steps)) {
    if (entry.status === 'completed' || entry.status === 'skipped') {
      // Inputs are for people reading the record; a rerun needs the outcome only.
      const { input: _input, ...outcome } = entry;
      steps[path] = outcome;
    } else if (entry.child) {
      const child = await childRecord(client, entry.child, ask);
      if (child) children[path] = await reusable(client, entry.child, child, ask);
    }
  }
  return {
    of: workflowId,
    steps,
    ...(Object.keys(children).length > 0 ? { children } : {}),
    ...(record.resumedAt ? { resumedAt: record.resumedAt } : {}),
  };
}

/** A child's record; none when the child never started (its step failed before). */
async function childRecord(
  client: Client,
  workflowId: string,
  ask: <T>(query: () => Promise<T>) => Promise<T>,
): Promise<RunRecord | undefined> {
  try {
    return await ask(() => client.workflow.getHandle(workflowId).query(recordQuery));
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) return undefined;
    throw error;
  }
}
