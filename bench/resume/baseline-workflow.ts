/**
 * The worker-crash benchmark's "before": the benchmark's one step (`gong.users.list`) as an ordinary
 * Temporal workflow whose activity options are the compiled step's, except the heartbeat timeout: 60 s, what
 * gongflow used before (`min(start-to-close, 60 s)`). Workflow code: deterministic, activities by type only.
 */
import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../../activities';

export interface ResumeBaselineArgs {
  connectionId: string;
  startToCloseTimeoutMs: number;
  retry: {
    maximumAttempts: number;
    initialInterval: number;
    backoffCoefficient: number;
    maximumInterval: number;
  };
}

export const BEFORE_HEARTBEAT_TIMEOUT_MS = 60_000;

export async function resumeBaseline(args: ResumeBaselineArgs): Promise<number> {
  const { runGongAction } = proxyActivities<Activities>({
    startToCloseTimeout: args.startToCloseTimeoutMs,
    heartbeatTimeout: BEFORE_HEARTBEAT_TIMEOUT_MS,
    retry: args.retry,
    summary: 'users',
  });
  const output = (await runGongAction({
    connectionId: args.connectionId,
    action: 'gong.users.list',
    input: {},
    stepId: 'users',
  })) as { users: unknown[] };
  return output.users.length;
}
