import { condition } from '@temporalio/workflow';

/**
 * One API key of gongflow's HTTP API. The key itself is never stored: the run's memo holds its sha256, name
 * and creation time (api/auth/api-keys.ts sets them at start). The key is valid while this run is open;
 * revoking it terminates the run. Verifying, listing and revoking therefore need no worker: they use
 * DescribeWorkflowExecution, visibility and TerminateWorkflowExecution on the Temporal server alone.
 */
export async function gongflowApiKey(): Promise<void> {
  // Nothing to do but stay open; no events accumulate, so history never grows.
  await condition(() => false);
}
