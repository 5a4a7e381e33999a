import { proxyActivities } from '@temporalio/workflow';
import type { SweepBlobsArgs, SweepOutcome } from '../activities/blob-retention';
import type { Activities } from '../activities';

/** Started by the retention schedule (workers/blob-retention-schedule.ts): one sweep of the blob store. */
export async function blobRetention(args: SweepBlobsArgs): Promise<SweepOutcome> {
  const { sweepBlobs } = proxyActivities<Activities>({
    startToCloseTimeout: '1 hour',
    heartbeatTimeout: '2 minutes',
    retry: { maximumAttempts: 3 },
  });
  return sweepBlobs(args);
}
