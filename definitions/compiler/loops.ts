import { elementType } from '../cel-types';
import type { Recovered } from './shape';
import type { StepSources } from '../model';
import { DEFINITION_CODES as CODES } from '../problems';
import { EXPRESSION_ROOTS, type Compilation, type CompiledStep, type Scope, type StepSite } from './context';
import { withLocals } from './environment';
import { compileExpressionField, compileValue } from './expressions';
import { StepLayer } from './visibility';

/**
 * `forEach`: the list is an expression; the body sees the item (`as`, default `item`) typed as the list's
 * element and its index (`<as>Index`); `output` collects each iteration's result.
 */
export function compileForEachStep(
  c: Compilation,
  step: Recovered<StepSources['forEach']>,
  site: StepSite,
): CompiledStep {
  const { path, scope } = site;
  const name = step.as ?? 'item';
  const items =
    step.forEach === undefined
      ? undefined
      : compileExpressionField(c, step.forEach, [...path, 'forEach'], scope, 'list');
  const itemType = elementType(items?.type);
  if (
    c.types.environment.hasVariable(name) ||
    EXPRESSION_ROOTS.includes(name as (typeof EXPRESSION_ROOTS)[number]) ||
    scope.locals.has(name)
  ) {
    c.reporter.report(
      CODES.invalidValue,
      `"${name}" is already a name in expressions here`,
      [...path, 'as'],
      'Choose another name with as:.',
    );
  }
  const body = withLocals(scope, { [name]: itemType, [`${name}Index`]: 'int' });
  const steps = c.sequence(step.steps ?? [], [...path, 'steps'], body);
  const afterBody: Scope = { ...body, visible: new StepLayer(body.visible, steps.exported) };
  const output =
    step.output === undefined ? undefined : compileValue(c, step.output, [...path, 'output'], afterBody);
  if (step.concurrency !== undefined && step.maxItems !== undefined && step.concurrency > step.maxItems) {
    c.reporter.report(
      CODES.invalidValue,
      `concurrency ${step.concurrency} is above maxItems ${step.maxItems}`,
      [...path, 'concurrency'],
      'Lower concurrency to at most maxItems.',
    );
  }
  if (!items || step.maxItems === undefined) return { exported: site.own };
  return {
    plan: {
      ...site.common,
      kind: 'forEach',
      items: items.plan,
      as: name,
      concurrency: step.concurrency ?? 1,
      maxItems: step.maxItems,
      steps: steps.plans,
      ...(output ? { output } : {}),
    },
    exported: site.own,
  };
}
