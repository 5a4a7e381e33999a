import { ApplicationFailure } from '@temporalio/activity';
import { FAILURE_TYPES } from '../core/failure-types';
import type { ConnectionResolver } from '../connections/registry';
import { GongApiError } from '../gong/client/errors';

/** Which step a failure is about, for its message. */
export interface FailureScope {
  connectionId: string;
  action: string;
  stepId: string;
}

/**
 * The failure the activity ends with for an error of the Gong client: an ApplicationFailure whose type and
 * retryability come from the classification. A token Gong refused as expired (clock skew, a revoked-then-
 * refreshed token) is refreshed once through the connection, and the attempt retried with the new one.
 */
export async function gongFailure(
  error: unknown,
  scope: FailureScope,
  connections: ConnectionResolver,
): Promise<unknown> {
  if (!(error instanceof GongApiError)) return error;
  if (isExpiredToken(error) && connections.reportExpired) {
    await connections.reportExpired(scope.connectionId);
    return ApplicationFailure.create({
      type: FAILURE_TYPES.auth,
      message: `Step ${scope.stepId} (${scope.action}): Gong said the access token expired; refreshed, retrying.`,
      nonRetryable: false,
      nextRetryDelay: 100,
    });
  }
  return ApplicationFailure.create({
    type: error.failureType,
    message: `Step ${scope.stepId} (${scope.action}, connection ${scope.connectionId}): ${error.message}`,
    nonRetryable: !error.retryable,
    ...(error.retryAfterMs !== undefined ? { nextRetryDelay: error.retryAfterMs } : {}),
    details: [errorDetails(error)],
  });
}

/** What a failure carries besides its message: Gong's status and requestId, the scope it named. */
export function errorDetails(error: GongApiError) {
  return {
    status: error.status,
    requestId: error.requestId ?? null,
    missingScope: error.missingScope ?? null,
  };
}

function isExpiredToken(error: GongApiError): boolean {
  return error.status === 401 && error.failureType === FAILURE_TYPES.auth && /expired/i.test(error.message);
}
