/**
 * Workflow interceptors bundled into Temporal's sandbox: every log line of a run, its workflow's and its
 * activities', names the definition it runs (`definition`), beside Temporal's workflow and run ids, so a
 * log pipeline can filter one automation's lines. The name comes from the plan the run started with; the
 * activities get it in a header (headers are not part of the determinism checks, so runs in flight replay).
 */
import { defaultPayloadConverter, type WorkflowInterceptors } from '@temporalio/workflow';
import { DEFINITION_HEADER } from '../core/log-context';

/** `plan.name` of an orchestration's first argument; other workflows (budgets, triggers) have none. */
function definitionOf(args: readonly unknown[]): string | undefined {
  const first = args[0] as { plan?: { name?: unknown } } | undefined;
  return typeof first?.plan?.name === 'string' ? first.plan.name : undefined;
}

export const interceptors = (): WorkflowInterceptors => {
  let definition: string | undefined;
  return {
    inbound: [
      {
        execute(input, next) {
          definition = definitionOf(input.args);
          return next(input);
        },
      },
    ],
    outbound: [
      {
        scheduleActivity(input, next) {
          if (definition === undefined) return next(input);
          const headers = {
            ...input.headers,
            [DEFINITION_HEADER]: defaultPayloadConverter.toPayload(definition),
          };
          return next({ ...input, headers });
        },
        getLogAttributes(input, next) {
          return next(definition === undefined ? input : { ...input, definition });
        },
      },
    ],
  };
};
