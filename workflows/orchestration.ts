import { ApplicationFailure, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities';
import { FAILURE_TYPES } from '../core/failure-types';
import { ExpressionEvaluationError, evaluateExpression } from '../definitions/expressions';
import { planRef, type ActionStepPlan, type Plan, type StepPlan } from '../definitions/plan';
import { resolveRunInput } from '../definitions/run-input';
import { evaluateTemplate } from '../definitions/template';
import { progressQuery, type RunProgress, type StepProgress } from './progress';

export interface OrchestrationArgs {
  /** The compiled plan: the run is pinned to it, definitions are never re-read. */
  plan: Plan;
  input?: Record<string, unknown>;
  /** Gong connection for the run's actions; default: the plan's connection. */
  connectionId?: string;
  /** The event that started the run, when a trigger did. */
  trigger?: unknown;
}

/** What expressions see while the run goes on. */
interface RunScope {
  input: Record<string, unknown>;
  steps: Record<string, { output: unknown }>;
  vars: Record<string, unknown>;
  trigger: unknown;
  run: { id: string; definition: string; hash: string; connection: string | null };
}

/** The one generic workflow type: it runs any plan, step by step, deterministically. */
export async function orchestration(args: OrchestrationArgs): Promise<unknown> {
  const { plan } = args;
  const progress: RunProgress = { definition: planRef(plan), hash: plan.hash, status: 'running', steps: [] };
  setHandler(progressQuery, () => progress);

  const input = resolveRunInput(plan, args.input);
  if (!input.ok) {
    progress.status = 'failed';
    throw ApplicationFailure.create({
      type: FAILURE_TYPES.input,
      nonRetryable: true,
      message: `Invalid input for ${planRef(plan)}: ${input.errors.join('; ')}.`,
    });
  }
  const connectionId = args.connectionId ?? plan.connection;
  const scope: RunScope = {
    input: input.value,
    steps: {},
    vars: {},
    trigger: args.trigger ?? null,
    run: {
      id: workflowInfo().workflowId,
      definition: planRef(plan),
      hash: plan.hash,
      connection: connectionId ?? null,
    },
  };
  try {
    await runSteps(plan.steps, scope, progress, connectionId);
    const output = plan.output
      ? evaluate(() => evaluateTemplate(plan.output!, scope as unknown as Record<string, unknown>), 'output')
      : null;
    progress.status = 'completed';
    return output;
  } catch (error) {
    progress.status = 'failed';
    throw error;
  }
}

async function runSteps(
  steps: StepPlan[],
  scope: RunScope,
  progress: RunProgress,
  connectionId: string | undefined,
): Promise<void> {
  for (const step of steps) {
    const entry: StepProgress = {
      id: step.id,
      kind: step.kind,
      status: 'running',
      startedAt: new Date().toISOString(),
      ...(step.title ? { title: step.title } : {}),
    };
    progress.steps.push(entry);
    try {
      if (
        step.when &&
        evaluate(
          () => evaluateExpression(step.when!.expr, scope as unknown as Record<string, unknown>),
          `${step.id}.when`,
        ) !== true
      ) {
        scope.steps[step.id] = { output: null };
        entry.status = 'skipped';
      } else {
        scope.steps[step.id] = { output: await runStep(step, scope, connectionId) };
        entry.status = 'completed';
      }
    } catch (error) {
      entry.status = 'failed';
      entry.error = error instanceof Error ? error.message : String(error);
      throw error;
    } finally {
      entry.endedAt = new Date().toISOString();
    }
  }
}

async function runStep(step: StepPlan, scope: RunScope, connectionId: string | undefined): Promise<unknown> {
  const context = scope as unknown as Record<string, unknown>;
  switch (step.kind) {
    case 'action':
      return runAction(
        step,
        evaluate(() => evaluateTemplate(step.input, context), `${step.id}.with`),
        connectionId,
      );
    case 'set': {
      const assigned: Record<string, unknown> = {};
      for (const [name, template] of Object.entries(step.vars)) {
        assigned[name] = evaluate(() => evaluateTemplate(template, context), `${step.id}.set.${name}`);
        scope.vars[name] = assigned[name];
      }
      return assigned;
    }
    default:
      throw ApplicationFailure.create({
        type: FAILURE_TYPES.validation,
        nonRetryable: true,
        message: `Step ${step.id}: "${step.kind}" steps are not supported by this version of the interpreter.`,
      });
  }
}

function runAction(step: ActionStepPlan, input: unknown, connectionId: string | undefined): Promise<unknown> {
  if (!connectionId) {
    throw ApplicationFailure.create({
      type: FAILURE_TYPES.connection,
      nonRetryable: true,
      message: `Step ${step.id} calls ${step.action} but the run has no Gong connection. Start the run with a connection, or set connection: in the definition.`,
    });
  }
  const { retry, startToCloseTimeoutMs } = step.activity;
  const activities = proxyActivities<Activities>({
    startToCloseTimeout: startToCloseTimeoutMs,
    ...(step.timeoutMs !== undefined ? { scheduleToCloseTimeout: step.timeoutMs } : {}),
    heartbeatTimeout: Math.min(startToCloseTimeoutMs, 60_000),
    retry: {
      maximumAttempts: retry.maximumAttempts,
      initialInterval: retry.initialIntervalMs,
      backoffCoefficient: retry.backoffCoefficient,
      maximumInterval: retry.maximumIntervalMs,
      ...(retry.nonRetryableErrorTypes ? { nonRetryableErrorTypes: retry.nonRetryableErrorTypes } : {}),
    },
    summary: step.title ?? step.id,
  });
  return activities.runGongAction({
    connectionId,
    action: step.action,
    input: (input ?? {}) as Record<string, unknown>,
    stepId: step.id,
  });
}

/** Expression failures become a typed, non-retryable failure naming the step and field. */
function evaluate<T>(fn: () => T, where: string): T {
  try {
    return fn();
  } catch (error) {
    if (error instanceof ExpressionEvaluationError) {
      throw ApplicationFailure.create({
        type: FAILURE_TYPES.expression,
        nonRetryable: true,
        message: `Expression at ${where} failed: ${error.message.split('\n')[0]} (in \`${error.expression}\`).`,
      });
    }
    throw error;
  }
}
