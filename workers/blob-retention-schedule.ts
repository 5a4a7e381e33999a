import { ScheduleAlreadyRunning, ScheduleNotFoundError, type Client } from '@temporalio/client';
import type { BlobsConfig } from '../config/schema';

/** One retention schedule per engine (task queue): engines sharing a namespace keep their own. */
export function blobRetentionScheduleId(taskQueue: string): string {
  return `gongflow-blob-retention-${taskQueue}`;
}

/**
 * Makes the blob retention schedule match the configuration: every `sweepEveryHours`, one `blobRetention`
 * run on the workers' task queue (overlapping sweeps are skipped). Every worker calls this at start, so
 * the last configuration started wins; `closedRunDays: null` removes the schedule.
 */
export async function ensureBlobRetentionSchedule(
  client: Client,
  taskQueue: string,
  config: BlobsConfig,
): Promise<void> {
  const scheduleId = blobRetentionScheduleId(taskQueue);
  const { closedRunDays, sweepEveryHours } = config.retention;
  const handle = client.schedule.getHandle(scheduleId);
  if (closedRunDays === null) {
    await handle.delete().catch((error: unknown) => {
      if (!(error instanceof ScheduleNotFoundError)) throw error;
    });
    return;
  }
  const action = {
    type: 'startWorkflow' as const,
    workflowType: 'blobRetention',
    workflowId: `${scheduleId}-sweep`,
    taskQueue,
    args: [{ closedRunDays }],
  };
  const spec = { intervals: [{ every: `${sweepEveryHours}h` as const }] };
  try {
    await client.schedule.create({
      scheduleId,
      spec,
      action,
      policies: { overlap: 'SKIP' },
      // No memo: listing schedules decodes every memo, and another deployment sharing the namespace has
      // other payload keys (its `triggers list` would fail on ours).
    });
  } catch (error) {
    if (!(error instanceof ScheduleAlreadyRunning)) throw error;
    await handle.update((previous) => ({ ...previous, spec, action }));
  }
}
