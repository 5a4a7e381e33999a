import { CancellationScope, patched, proxyActivities, sleep, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../../activities';
import { FAILURE_TYPES } from '../../core/failure-types';
import { EXPRESSION_LIMITS } from '../../definitions/expression-limits';
import {
  ExpressionEvaluationError,
  expressionReferences,
  type EvaluationOptions,
  type ExpressionReferences,
} from '../../definitions/expressions';
import type { ExpressionPlan, TemplatePlan } from '../../definitions/plan';
import { evaluateTemplate, templateExpressions } from '../../definitions/template';
import { containsBlobRef } from './blob-ref';
import { failure } from './failures';
import { expressionContext, type Frame, type RunState } from './frame';
import { PATCHES } from './patches';

const blobActivities = proxyActivities<Pick<Activities, 'evaluateWithBlobs'>>({
  startToCloseTimeout: '1 minute',
  retry: { maximumAttempts: 5, nonRetryableErrorTypes: [FAILURE_TYPES.expression] },
  summary: 'evaluate expressions over stored results',
});

/**
 * Evaluates a template where the step runs. Values are small in history; when an expression reads a
 * result kept in the blob store, evaluation moves into an activity that loads it, so authors never see
 * references (the activity stores a large answer again and hands back a reference).
 *
 * Every evaluation is bounded (definitions/expression-limits.ts), and so is what the evaluations of one
 * workflow task add up to: once a task has spent EXPRESSION_TASK_SLICE, further evaluations wait for the
 * next task (a 1 ms timer), so a loop of 500 concurrent iterations never makes one task run for minutes.
 * Runs recorded before the limits existed replay as they ran (see PATCHES.expressionLimits).
 */
export async function evaluateIn(frame: Frame, template: TemplatePlan, where: string): Promise<unknown> {
  if (template.t === 'lit') return template.v;
  const context = readContext(templateExpressions(template), expressionContext(frame));
  if (context.blobbed) {
    return blobActivities.evaluateWithBlobs({ template, context: context.read, where });
  }
  if (!patched(PATCHES.expressionLimits)) {
    return guarded(() => evaluateTemplate(template, context.read, { legacy: true }), where);
  }
  const task = taskCost(frame.run);
  for (;;) {
    // The check and the evaluation run without yielding, so waiting evaluations cannot all pass at once.
    if (task.roomLeft()) return guarded(() => evaluateTemplate(template, context.read, task.options), where);
    await task.nextTask();
  }
}

export function evaluateExpressionIn(
  frame: Frame,
  expression: ExpressionPlan,
  where: string,
): Promise<unknown> {
  return evaluateIn(frame, { t: 'expr', e: expression }, where);
}

/**
 * Cost units (plus values converted in and out) the expressions of one workflow task may spend before
 * further ones wait for the next task: about a second at worst in the sandbox, against Temporal's 5 s
 * deadlock timeout (one more evaluation may still start, so a task stays under about 1.3 s).
 */
export const EXPRESSION_TASK_SLICE = 3 * EXPRESSION_LIMITS.maxCost;

interface TaskCost {
  roomLeft(): boolean;
  nextTask(): Promise<void>;
  options: EvaluationOptions;
}

/** Expression cost per run and workflow task (a task is known by the history length it started with). */
const taskCosts = new WeakMap<RunState, TaskCost>();

function taskCost(run: RunState): TaskCost {
  let cost = taskCosts.get(run);
  if (cost === undefined) {
    let task = -1;
    let spent = 0;
    let next: Promise<void> | undefined;
    const sync = (): void => {
      const current = workflowInfo().historyLength;
      if (current !== task) {
        task = current;
        spent = 0;
        next = undefined;
      }
    };
    cost = {
      roomLeft: () => {
        sync();
        return spent < EXPRESSION_TASK_SLICE;
      },
      // One timer per task, however many evaluations wait for it; not cancellable, since it is shared
      // (a branch cancelled meanwhile stops at its next step).
      nextTask: () => (next ??= CancellationScope.nonCancellable(() => sleep(1))),
      options: {
        onCost: (units) => {
          sync();
          spent += units;
        },
      },
    };
    taskCosts.set(run, cost);
  }
  return cost;
}

/** Free names of an expression, parsed once per source text (pure, so sharing the cache is deterministic). */
const referencesCache = new Map<string, ExpressionReferences | undefined>();

function referencesOf(source: string): ExpressionReferences | undefined {
  if (!referencesCache.has(source)) {
    let references: ExpressionReferences | undefined;
    try {
      references = expressionReferences(source);
    } catch {
      references = undefined; // a syntax error surfaces when evaluating
    }
    if (referencesCache.size > 5_000) referencesCache.clear();
    referencesCache.set(source, references);
  }
  return referencesCache.get(source);
}

/**
 * The part of the context the expressions read (only the steps they name), and whether any of it holds a
 * blob reference. Converting only what is read keeps evaluation cheap however many steps a run has.
 */
function readContext(
  expressions: ExpressionPlan[],
  context: Record<string, unknown>,
): { read: Record<string, unknown>; blobbed: boolean } {
  const read: Record<string, unknown> = {};
  let blobbed = false;
  for (const expression of expressions) {
    const references = referencesOf(expression.expr);
    if (!references) return { read: context, blobbed: containsBlobRef(context) };
    for (const root of references.roots) {
      // `steps` is gathered across expressions (each may read other steps); other roots are read whole once.
      if (!(root in context) || (root in read && root !== 'steps')) continue;
      if (root === 'steps' && references.steps.size > 0 && !dynamicStepAccess(expression.expr)) {
        if (read['steps'] === context['steps']) continue; // already the whole map
        const steps = (read['steps'] ??= {}) as Record<string, unknown>;
        const all = context['steps'] as Record<string, unknown>;
        for (const id of references.steps) {
          if (!(id in all)) continue;
          steps[id] = all[id];
          blobbed ||= containsBlobRef(all[id]);
        }
        continue;
      }
      read[root] = context[root];
      blobbed ||= containsBlobRef(context[root]);
    }
    // `steps` read by name in one expression and as a whole in another: give the whole map.
    if (
      references.roots.has('steps') &&
      (references.steps.size === 0 || dynamicStepAccess(expression.expr))
    ) {
      read['steps'] = context['steps'];
      blobbed ||= containsBlobRef(context['steps']);
    }
  }
  return { read, blobbed };
}

/** `steps[x]` with a computed key, or `steps` used as a value: every step may be read. */
function dynamicStepAccess(source: string): boolean {
  return /\bsteps\s*(\[\s*[^"'\s]|[^.[\s]|$)/.test(source);
}

/** Expression failures become a typed, non-retryable failure naming the step and field. */
export function guarded<T>(fn: () => T, where: string): T {
  try {
    return fn();
  } catch (error) {
    if (error instanceof ExpressionEvaluationError) {
      throw failure(
        FAILURE_TYPES.expression,
        `Expression at ${where} failed: ${error.message.split('\n')[0]} (in \`${error.expression}\`).`,
      );
    }
    throw error;
  }
}

/** `when` and conditions: true only for a boolean true (a string "false" is not truthy by accident). */
export async function isTrue(frame: Frame, expression: ExpressionPlan, where: string): Promise<boolean> {
  const value = await evaluateExpressionIn(frame, expression, where);
  if (typeof value !== 'boolean') {
    throw failure(
      FAILURE_TYPES.expression,
      `Expression at ${where} must be true or false, got ${value === null ? 'null' : typeof value} (in \`${expression.expr}\`).`,
    );
  }
  return value;
}
