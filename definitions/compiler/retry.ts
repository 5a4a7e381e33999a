import type { RetryPolicySource, StepSources } from '../model';
import type { RetryPolicyPlan } from '../plan';
import { closest, DEFINITION_CODES as CODES } from '../problems';
import type { Compilation } from './context';
import type { Path } from './raw';

/**
 * A step's retry policy (actions and http steps): a policy named under `retryPolicies`, one written inline,
 * or the defaults of the action or of http steps.
 */
export function resolveRetry(
  c: Compilation,
  source: StepSources['action']['retry'],
  defaults: RetryPolicyPlan,
  path: Path,
): RetryPolicyPlan {
  if (typeof source === 'string') {
    const named = c.retryPolicies[source];
    if (!named) {
      const suggestion = closest(source, Object.keys(c.retryPolicies));
      c.reporter.report(
        CODES.unknownRetryPolicy,
        `no retry policy named "${source}"`,
        path,
        suggestion
          ? `Did you mean "${suggestion}"?`
          : 'Declare it under retryPolicies, or write the policy inline.',
      );
      return { ...defaults };
    }
    return retryPlan(named, defaults);
  }
  return source ? retryPlan(source, defaults) : { ...defaults };
}

function retryPlan(source: RetryPolicySource, defaults: RetryPolicyPlan): RetryPolicyPlan {
  return {
    maximumAttempts: source.maximumAttempts,
    initialIntervalMs: source.initialInterval ?? defaults.initialIntervalMs,
    backoffCoefficient: source.backoffCoefficient ?? defaults.backoffCoefficient,
    maximumIntervalMs: source.maximumInterval ?? defaults.maximumIntervalMs,
    ...(source.nonRetryableErrors ? { nonRetryableErrorTypes: source.nonRetryableErrors } : {}),
  };
}
