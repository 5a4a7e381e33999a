import { GongflowError } from '../core/errors';

/** gRPC 14 UNAVAILABLE and 4 DEADLINE_EXCEEDED: the Temporal server could not be reached in time. */
const UNREACHABLE_CODES = new Set([14, 4]);

/** Whether an error of the Temporal client means the server is unreachable (not a refusal by it). */
export function isTemporalUnreachable(error: unknown): boolean {
  for (
    let current = error as { code?: unknown; cause?: unknown; message?: unknown } | undefined, depth = 0;
    current && depth < 5;
    current = current.cause as typeof current, depth++
  ) {
    if (typeof current.code === 'number' && UNREACHABLE_CODES.has(current.code)) return true;
    if (
      typeof current.message === 'string' &&
      /\bUNAVAILABLE\b|ECONNREFUSED|No connection established/i.test(current.message)
    ) {
      return true;
    }
  }
  return false;
}

/** The error an unreachable Temporal becomes, everywhere: API 503, CLI exit with the fix. */
export function temporalUnavailable(error: unknown): GongflowError {
  const message = error instanceof Error ? error.message : String(error);
  return new GongflowError('TEMPORAL_UNAVAILABLE', `Temporal is not reachable: ${message}`, {
    hint: 'Check that the Temporal server is running (temporal.address / TEMPORAL_ADDRESS); retry once it is.',
    cause: error,
  });
}
