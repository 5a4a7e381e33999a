import { ApplicationFailure, Context } from '@temporalio/activity';
import type { Activities } from '../../activities';
import type { StepFixture } from './fixtures';

/** Failure type of a step called without a fixture: not one of the stable types, so no catch clause expects it. */
export const MISSING_FIXTURE_FAILURE = 'TestFixtureMissingError';

/** The fixtures of one case, with what its run asked for that the fixtures do not answer. */
export interface CaseFixtures {
  steps: Record<string, StepFixture>;
  /** Calls per step id so far (successive `outputs`). */
  calls: Map<string, number>;
  /** Messages about steps called without (enough) fixtures, for the report. */
  missing: string[];
}

/**
 * Replacements for the activities that leave the process (Gong actions, HTTP requests): they answer from
 * the fixtures of the case whose run (or child run: ids start with the run's id and `/`) calls them.
 * Failures are non-retryable so a test never waits for retries.
 */
export function createFixtureActivities(
  caseOf: (workflowId: string) => CaseFixtures | undefined,
): Pick<Activities, 'runGongAction' | 'httpRequest'> {
  const answer = (stepId: string, what: string): unknown => {
    const workflowId = Context.current().info.workflowExecution?.workflowId ?? '';
    const fixtures = caseOf(workflowId);
    const fixture = fixtures?.steps[stepId];
    const call = (fixtures?.calls.get(stepId) ?? 0) + 1;
    fixtures?.calls.set(stepId, call);
    const missing = (message: string): never => {
      fixtures?.missing.push(message);
      throw ApplicationFailure.create({ type: MISSING_FIXTURE_FAILURE, nonRetryable: true, message });
    };
    if (!fixture) {
      return missing(`Step ${stepId} (${what}) ran but the fixtures have no steps.${stepId}.`);
    }
    if (fixture.error) {
      throw ApplicationFailure.create({
        type: fixture.error.type,
        nonRetryable: true,
        message: fixture.error.message,
      });
    }
    if (fixture.outputs) {
      if (call > fixture.outputs.length) {
        return missing(
          `Step ${stepId} (${what}) was called ${call} times but steps.${stepId}.outputs has ${fixture.outputs.length} value(s).`,
        );
      }
      return fixture.outputs[call - 1] ?? null;
    }
    return fixture.output ?? null;
  };
  return {
    runGongAction: (args) => Promise.resolve().then(() => answer(args.stepId, args.action)),
    httpRequest: (args) =>
      Promise.resolve().then(() =>
        answer(args.stepId, `${args.request.method ?? 'GET'} ${args.request.url}`),
      ),
  };
}
