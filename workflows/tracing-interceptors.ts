/**
 * Workflow interceptors bundled into Temporal's sandbox: each workflow run, activity start and child
 * start gets an OpenTelemetry span, continuing the trace of whatever started the run (the API request).
 * Spans leave the sandbox through the `exporter` sink the worker registers (observability/tracing.ts).
 *
 * Only for runs started since tracing exists (`patched`): span ids draw on the workflow's seeded random
 * numbers, which also name child workflows, so a run recorded without spans must replay without them.
 * `patched` can only be asked once the workflow starts, so every interceptor method passes straight
 * through until `execute` has decided.
 *
 * Update validators are not traced. The OpenTelemetry interceptor's `validateUpdate` is the first to ask
 * the SDK flag that turns on update tracing; asked while validating an update that is then refused, the
 * flag is recorded only on that workflow task, which Temporal discards (a refused update leaves no
 * history). The accepted update's handler then ran traced, with extra awaits, while every replay ran it
 * untraced: the timer cancellations and the update's completion came in another order and the replay
 * failed (TMPRL1100). Without a validator span the flag is first asked by `handleUpdate`, in a workflow
 * task that is kept (test/interpreter/wait-replay.test.ts).
 */
import { patched, workflowInfo, type WorkflowInterceptors } from '@temporalio/workflow';
import { interceptors as openTelemetry } from '@temporalio/interceptors-opentelemetry/lib/workflow-interceptors';
import { PATCHES } from './interpreter/patches';

/**
 * Workflows never traced: a budget shard answers one update per Gong call, each of which would be a span
 * (created in the sandbox, exported through the sink) costing about as much as the reservation itself; the
 * Gong call's own span already shows the wait. Untraced since they exist, so no patch is needed to replay them.
 */
const UNTRACED_WORKFLOWS = new Set(['gongBudgetShard']);

type Method = (input: unknown, next: (input: unknown) => unknown) => unknown;
type Interceptor = Record<string, Method | undefined>;

export const interceptors = (): WorkflowInterceptors => {
  let traced: boolean | undefined;
  let real: WorkflowInterceptors | undefined;
  const realOne = (kind: 'inbound' | 'outbound' | 'internals'): Interceptor | undefined =>
    (real ??= openTelemetry())[kind]?.[0] as Interceptor | undefined;

  const gate = (kind: 'inbound' | 'outbound' | 'internals', methods: string[]): Interceptor =>
    Object.fromEntries(
      methods.map((name): [string, Method] => [
        name,
        (input, next) => {
          if (kind === 'inbound' && name === 'execute' && traced === undefined)
            traced = !UNTRACED_WORKFLOWS.has(workflowInfo().workflowType) && patched(PATCHES.tracing);
          const method = traced ? realOne(kind)?.[name] : undefined;
          return method ? method.call(realOne(kind), input, next) : next(input);
        },
      ]),
    );

  return {
    inbound: [gate('inbound', ['execute', 'handleSignal', 'handleUpdate', 'handleQuery'])],
    outbound: [
      gate('outbound', [
        'scheduleActivity',
        'scheduleLocalActivity',
        'startNexusOperation',
        'startChildWorkflowExecution',
        'continueAsNew',
        'signalWorkflow',
        'getLogAttributes',
        'getMetricTags',
      ]),
    ],
    internals: [gate('internals', ['dispose'])],
  };
};
