import { FAILURE_TYPES } from '../../core/failure-types';
import type { Recovered } from './shape';
import type { StepSources } from '../model';
import type { StepPlan } from '../plan';
import { closest, DEFINITION_CODES as CODES } from '../problems';
import { EXPRESSION_ROOTS, type Compilation, type CompiledStep, type Scope, type StepSite } from './context';
import { withLocals } from './environment';
import { compileValue } from './expressions';
import type { Path } from './raw';
import { StepLayer } from './visibility';

/** `try` (catch, finally), `fail` and `succeed`: how runs fail, recover and end early. */

export function compileTryStep(
  c: Compilation,
  step: Recovered<StepSources['try']>,
  site: StepSite,
): CompiledStep {
  const { path, scope } = site;
  const body = c.sequence(step.try ?? [], [...path, 'try'], scope);
  const afterTry: Scope = { ...scope, visible: new StepLayer(scope.visible, body.exported) };
  let handler: { errorTypes: string[]; as: string; steps: StepPlan[] } | undefined;
  const exported = [...site.own, ...body.exported];
  if (step.catch) {
    const name = step.catch.as ?? 'error';
    if (
      (EXPRESSION_ROOTS as readonly string[]).includes(name) ||
      (scope.locals.has(name) && name !== 'error')
    )
      c.reporter.report(
        CODES.invalidValue,
        `"${name}" is already a name in expressions here`,
        [...path, 'catch', 'as'],
        'Choose another name with as:.',
      );
    const errorTypes: string[] = [];
    (step.catch.errors ?? []).forEach((type, index) => {
      if (type === undefined) return;
      errorTypes.push(type);
      checkErrorType(c, type, [...path, 'catch', 'errors', index]);
    });
    const caught = c.sequence(
      step.catch.steps ?? [],
      [...path, 'catch', 'steps'],
      withLocals(afterTry, { [name]: c.shared.error }),
    );
    exported.push(...caught.exported);
    handler = { errorTypes, as: name, steps: caught.plans };
  }
  const cleanup = step.finally
    ? c.sequence(step.finally, [...path, 'finally'], {
        ...afterTry,
        visible: new StepLayer(scope.visible, exported),
      })
    : undefined;
  if (cleanup) exported.push(...cleanup.exported);
  return {
    plan: {
      ...site.common,
      kind: 'try',
      steps: body.plans,
      ...(handler ? { catch: handler } : {}),
      ...(cleanup ? { finally: cleanup.plans } : {}),
    },
    exported,
  };
}

function checkErrorType(c: Compilation, type: string, path: Path): void {
  const known = new Set<string>([...Object.values(FAILURE_TYPES), ...c.failTypes]);
  if (known.has(type)) return;
  const suggestion = closest(type, known);
  c.reporter.report(
    CODES.unknownErrorType,
    `no failure type "${type}"`,
    path,
    suggestion ? `Did you mean "${suggestion}"?` : `Catch one of: ${[...known].join(', ')}.`,
  );
}

export function compileFailStep(
  c: Compilation,
  step: Recovered<StepSources['fail']>,
  site: StepSite,
): CompiledStep {
  return {
    plan: {
      ...site.common,
      kind: 'fail',
      errorType: step.errorType ?? FAILURE_TYPES.business,
      message: compileValue(c, step.fail, [...site.path, 'fail'], site.scope),
    },
    exported: site.own,
  };
}

export function compileSucceedStep(
  c: Compilation,
  step: Recovered<StepSources['succeed']>,
  site: StepSite,
): CompiledStep {
  const output =
    step.succeed === null || step.succeed === undefined
      ? undefined
      : compileValue(c, step.succeed, [...site.path, 'succeed'], site.scope);
  return { plan: { ...site.common, kind: 'succeed', ...(output ? { output } : {}) }, exported: site.own };
}
