import { isGrpcDeadlineError } from '@temporalio/client';

/**
 * Whether a workflow query failed because no worker answered it in time: our own deadline, or Temporal's
 * (a ServiceError "Failed to query Workflow" whose cause is DEADLINE_EXCEEDED, when its timeout fires first).
 * A query that was answered but could not be read (a payload this process cannot decrypt) is not one.
 */
export function isUnansweredQuery(error: unknown): boolean {
  const cause = (error as { cause?: unknown } | null)?.cause;
  const text = [error, cause]
    .map((part) => (part instanceof Error ? `${part.name} ${part.message}` : ''))
    .join(' ');
  return (
    isGrpcDeadlineError(error) ||
    isGrpcDeadlineError(cause) ||
    /no poller|deadline|timed? ?out|timeout|failed to query workflow/i.test(text)
  );
}
