import { ApplicationFailure } from '@temporalio/activity';
import type { GongflowError } from '../core/errors';
import { FAILURE_TYPES } from '../core/failure-types';

/**
 * The failure a step gets when its run's connection cannot give credentials. A connection whose refresh
 * token Gong refused is a Gong authentication failure (`catch: [GongAuthError]` matches it, as
 * docs/gong-setup.md says); an unknown, revoked or deleted connection is a ConnectionError. The hint is
 * added once: messages of the connection entity already say how to reconnect.
 */
export function connectionFailure(error: GongflowError): ApplicationFailure {
  const hint = error.hint && !error.message.includes('Reconnect it') ? ` ${error.hint}` : '';
  return ApplicationFailure.create({
    type: error.code === 'CONNECTION_NEEDS_REAUTH' ? FAILURE_TYPES.auth : FAILURE_TYPES.connection,
    nonRetryable: true,
    message: `${error.message}${hint}`,
  });
}
