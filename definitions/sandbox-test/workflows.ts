/**
 * A tiny workflow for definitions/sandbox.test.ts: it proves the expression modules the interpreter uses
 * (CEL through @marcbachmann/cel-js, RE2 regexes through re2js, the cost meter, templates) bundle and
 * evaluate inside Temporal's workflow sandbox. Failures come back as values so the test can read them.
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
    values: args.expressions.map((expression) => {
      try {
        return evaluateExpression(expression, args.context);
      } catch (error) {
        return { failed: (error as Error).message.split('\n')[0] };
      }
    }),
    template: evaluateTemplate(args.template, args.context),
  });
}
