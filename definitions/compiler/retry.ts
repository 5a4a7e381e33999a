import type { RetryPolicySource, StepSources } from '../model';
import type { RetryPolicyPlan } from '../plan';
import { closest, DEFINITION_CODES as CODES } from '../problems';
import type { Compilation } from './context';
import type { Path } from './raw';
import type { Recovered } from './shape';

/**
 * A step's retry policy (actions and http steps): a policy named under `retryPolicies`, one written inline,
 * or the defaults of the action or of http steps.
 */
export function resolveRetry(
  c: Compilation,
  source: Recovered<StepSources['action']['retry']>,
  defaults: RetryPolicyPlan,
  path: Path,
): RetryPolicyPlan {
  if (typeof source === 'string') {
    if (!Object.hasOwn(c.retryPolicies, source)) {
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
    // A policy declared with a problem (reported where it is declared) reads as the defaults here.
    const named = c.retryPolicies[source];
    return named ? retryPlan(named, defaults) : { ...defaults };
  }
  return source ? retryPlan(source, defaults) : { ...defaults };
}

function retryPlan(source: Recovered<RetryPolicySource>, defaults: RetryPolicyPlan): RetryPolicyPlan {
  return {
    maximumAttempts: source.maximumAttempts ?? defaults.maximumAttempts,
    initialIntervalMs: source.initialInterval ?? defaults.initialIntervalMs,
    backoffCoefficient: source.backoffCoefficient ?? defaults.backoffCoefficient,
    maximumIntervalMs: source.maximumInterval ?? defaults.maximumIntervalMs,
    ...(source.nonRetryableErrors
      ? { nonRetryableErrorTypes: source.nonRetryableErrors.filter((type) => type !== undefined) }
      : {}),
  };
}
