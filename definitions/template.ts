import { evaluateExpression, expressionSource, type EvaluationOptions } from './expressions';
import type { ExpressionPlan, JsonValue, SourceRef, TemplatePlan } from './plan';

/**
 * Values in definitions may hold `${{ expr }}` strings anywhere. Compiling turns them into a tagged tree
 * (literal subtrees collapse to one `lit` node); evaluating walks that tree with CEL. Pure: runs in workflows.
 */
export function compileTemplate(
  value: unknown,
  locate?: (path: Array<string | number>) => SourceRef | undefined,
  path: Array<string | number> = [],
): TemplatePlan {
  if (typeof value === 'string') {
    const expr = expressionSource(value);
    if (expr === undefined) return { t: 'lit', v: value };
    const at = locate?.(path);
    return { t: 'expr', e: at ? { expr, at } : { expr } };
  }
  if (Array.isArray(value)) {
    const items = value.map((item, index) => compileTemplate(item, locate, [...path, index]));
    return items.every((item) => item.t === 'lit')
      ? { t: 'lit', v: items.map((item) => (item as { v: JsonValue }).v) }
      : { t: 'arr', i: items };
  }
  if (value !== null && typeof value === 'object') {
    const fields = Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, compileTemplate(item, locate, [...path, key])]),
    );
    const literal = Object.values(fields).every((field) => field.t === 'lit');
    return literal
      ? {
          t: 'lit',
          v: Object.fromEntries(
            Object.entries(fields).map(([key, field]) => [key, (field as { v: JsonValue }).v]),
          ),
        }
      : { t: 'obj', f: fields };
  }
  return { t: 'lit', v: (value ?? null) as JsonValue };
}

/** Evaluates every expression of a template, each with its own budget (see EvaluationOptions). */
export function evaluateTemplate(
  template: TemplatePlan,
  context: Record<string, unknown>,
  options: EvaluationOptions = {},
): unknown {
  switch (template.t) {
    case 'lit':
      return template.v;
    case 'expr':
      return evaluateExpression(template.e.expr, context, options);
    case 'arr':
      return template.i.map((item) => evaluateTemplate(item, context, options));
    case 'obj':
      return Object.fromEntries(
        Object.entries(template.f).map(([key, field]) => [key, evaluateTemplate(field, context, options)]),
      );
  }
}

/** Every expression in a template, for validation. */
export function templateExpressions(template: TemplatePlan): ExpressionPlan[] {
  switch (template.t) {
    case 'lit':
      return [];
    case 'expr':
      return [template.e];
    case 'arr':
      return template.i.flatMap(templateExpressions);
    case 'obj':
      return Object.values(template.f).flatMap(templateExpressions);
  }
}
