import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../../activities';
import { FAILURE_TYPES } from '../../core/failure-types';
import { ExpressionEvaluationError, expressionReferences } from '../../definitions/expressions';
import type { ExpressionPlan, TemplatePlan } from '../../definitions/plan';
import { evaluateTemplate, templateExpressions } from '../../definitions/template';
import { containsBlobRef } from './blob-ref';
import { failure } from './failures';
import { expressionContext, type Frame } from './frame';

const blobActivities = proxyActivities<Pick<Activities, 'evaluateWithBlobs'>>({
  startToCloseTimeout: '1 minute',
  retry: { maximumAttempts: 5, nonRetryableErrorTypes: [FAILURE_TYPES.expression] },
  summary: 'evaluate expressions over stored results',
});

/**
 * Evaluates a template where the step runs. Values are small in history; when an expression reads a
 * result kept in the blob store, evaluation moves into an activity that loads it, so authors never see
 * references (the activity stores a large answer again and hands back a reference).
 */
export async function evaluateIn(frame: Frame, template: TemplatePlan, where: string): Promise<unknown> {
  const context = expressionContext(frame);
  const blobbed = readsBlobs(templateExpressions(template), context);
  if (blobbed) {
    return blobActivities.evaluateWithBlobs({ template, context: blobbed, where });
  }
  return guarded(() => evaluateTemplate(template, context), where);
}

export function evaluateExpressionIn(
  frame: Frame,
  expression: ExpressionPlan,
  where: string,
): Promise<unknown> {
  return evaluateIn(frame, { t: 'expr', e: expression }, where);
}

/** The part of the context the expressions read, when some of it is a blob reference; else undefined. */
function readsBlobs(
  expressions: ExpressionPlan[],
  context: Record<string, unknown>,
): Record<string, unknown> | undefined {
  if (expressions.length === 0) return undefined;
  const read: Record<string, unknown> = {};
  let blobbed = false;
  for (const expression of expressions) {
    let references;
    try {
      references = expressionReferences(expression.expr);
    } catch {
      continue; // a syntax error surfaces when evaluating
    }
    for (const root of references.roots) {
      if (!(root in context)) continue;
      if (root === 'steps' && references.steps.size > 0) {
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
  }
  return blobbed ? read : undefined;
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
