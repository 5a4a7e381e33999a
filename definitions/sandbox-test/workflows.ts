/**
 * A tiny workflow for definitions/sandbox.test.ts: it proves the expression modules the interpreter uses
 * (CEL through @marcbachmann/cel-js, templates) bundle and evaluate inside Temporal's workflow sandbox.
 */
import { evaluateExpression } from '../expressions';
import type { TemplatePlan } from '../plan';
import { evaluateTemplate } from '../template';

export async function evaluateInSandbox(args: {
  expressions: string[];
  template: TemplatePlan;
  context: Record<string, unknown>;
}): Promise<{ values: unknown[]; template: unknown }> {
  return Promise.resolve({
    values: args.expressions.map((expression) => evaluateExpression(expression, args.context)),
    template: evaluateTemplate(args.template, args.context),
  });
}
