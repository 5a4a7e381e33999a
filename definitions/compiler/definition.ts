import { planHash } from '../hash';
import { DYN } from '../cel-types';
import {
  DefinitionSchema,
  InputFieldSchema,
  RetryPolicySchema,
  type DefinitionSource,
  type InputFieldSource,
} from '../model';
import { PLAN_FORMAT_VERSION, type InputFieldPlan, type Plan, type StepPlan } from '../plan';
import { DEFINITION_CODES as CODES } from '../problems';
import type { Compilation, Scope } from './context';
import { declareSteps } from './declarations';
import { buildEnvironment, inputCelType, withLocals } from './environment';
import { compileValue } from './expressions';
import type { CompileResult } from './options';
import { isRecord, safeRecord } from './raw';
import { compileSequence } from './steps';
import { recover, registerAliases } from './shape';
import { NO_STEPS, StepLayer } from './visibility';
import { compileTriggers, reportUnknownTriggerKind } from './triggers';

/**
 * A whole definition: the pre-scan, the top-level keys, the triggers, the steps, the output and the
 * on-failure steps, then the plan with its hash when nothing was reported.
 */
export function compileDefinitionSource(c: Compilation): CompileResult {
  const reporter = c.reporter;
  c.sequence = (rawSteps, path, scope) => compileSequence(c, rawSteps, path, scope);
  const raw = reporter.source.value;
  if (!isRecord(raw)) {
    reporter.report(
      CODES.notAMapping,
      'a definition is a mapping with name, version and steps',
      [],
      'Start from an example in definitions/examples/.',
    );
    return { ok: false, problems: reporter.problems, warnings: reporter.warnings };
  }
  // A misspelt top-level key (`step:`, `inputs:`) is read as the key it stands for (reported once).
  registerAliases(reporter, raw, DefinitionSchema.shape, []);
  const top = (key: keyof typeof DefinitionSchema.shape): unknown => reporter.rawAt([key]);
  declareSteps(c, top('steps'), ['steps'], undefined);
  declareSteps(c, top('onFailure'), ['onFailure'], undefined);

  // Every top-level part that is right is used, so a problem in one never hides the problems of another.
  const parsed = recover(reporter, DefinitionSchema, raw, [], {
    unknownVariant: (value, _known, path) => reportUnknownTriggerKind(c, value, path),
  });
  const definition = parsed.ok ? parsed.value : undefined;
  // Declared names count even when their declaration has a problem: it is reported once, their uses are not.
  c.retryPolicies = Object.fromEntries(
    Object.entries(safeRecord(top('retryPolicies'))).map(([name, policy]) => [
      name,
      RetryPolicySchema.safeParse(policy).data,
    ]),
  );
  const inputTypes = Object.fromEntries(
    Object.entries(safeRecord(top('input'))).map(([name, field]) => {
      const declared = InputFieldSchema.safeParse(field);
      return [name, declared.success ? inputCelType(declared.data.type) : DYN];
    }),
  );
  c.inputNames = new Set(Object.keys(inputTypes));

  const environment = buildEnvironment(c, inputTypes, top('triggers'));
  const topScope: Scope = { visible: NO_STEPS, locals: new Set(), environment, order: -1 };

  const triggers = compileTriggers(c, parsed.value?.triggers ?? []);
  const steps = top('steps');
  const rawSteps = Array.isArray(steps) ? steps : [];
  const body = c.sequence(rawSteps, ['steps'], topScope);
  const afterAll: Scope = { ...topScope, visible: new StepLayer(NO_STEPS, body.exported), order: Infinity };
  const output =
    top('output') === undefined ? undefined : compileValue(c, top('output'), ['output'], afterAll);
  let onFailure: StepPlan[] | undefined;
  const failureSteps = top('onFailure');
  if (Array.isArray(failureSteps)) {
    const failureScope = withLocals(afterAll, { error: c.shared.error });
    onFailure = c.sequence(failureSteps, ['onFailure'], failureScope).plans;
  }
  if (reporter.count > 0 || !definition)
    return { ok: false, problems: reporter.problems, warnings: reporter.warnings };

  const requiredScopes = [...new Set(collectScopes([...body.plans, ...(onFailure ?? [])]))].sort();
  const planBody: Omit<Plan, 'hash'> = {
    formatVersion: PLAN_FORMAT_VERSION,
    name: definition.name,
    version: definition.version,
    ...(definition.description ? { description: definition.description } : {}),
    input: compileInput(definition),
    ...(definition.connection ? { connection: definition.connection } : {}),
    triggers,
    steps: body.plans,
    ...(output ? { output } : {}),
    ...(onFailure && onFailure.length > 0 ? { onFailure } : {}),
    ...(definition.timeout !== undefined ? { timeoutMs: definition.timeout } : {}),
    requiredScopes,
  };
  // Neither the file name nor positions are part of the hash: the same definition, in YAML or JSON,
  // wherever it lives, gives the same hash.
  const plan: Plan = { ...planBody, hash: planHash(planBody), source: c.file };
  return { ok: true, plan, problems: [], warnings: reporter.warnings };
}

function compileInput(definition: DefinitionSource): Record<string, InputFieldPlan> {
  return Object.fromEntries(
    Object.entries(definition.input ?? {}).map(([name, field]: [string, InputFieldSource]) => [
      name,
      {
        type: field.type,
        ...(field.description ? { description: field.description } : {}),
        required: field.required ?? field.default === undefined,
        ...(field.default !== undefined ? { default: field.default as InputFieldPlan['default'] } : {}),
      },
    ]),
  );
}

/** Scopes of every action, nested ones and embedded sub-orchestrations included. */
function collectScopes(steps: StepPlan[]): string[] {
  return steps.flatMap((step): string[] => {
    switch (step.kind) {
      case 'action':
        return step.activity.scopes;
      case 'if':
        return collectScopes([...step.then, ...step.else]);
      case 'switch':
        return collectScopes([...step.cases.flatMap((branch) => branch.steps), ...step.default]);
      case 'parallel':
        return collectScopes(step.branches.flatMap((branch) => branch.steps));
      case 'forEach':
        return collectScopes(step.steps);
      case 'try':
        return collectScopes([...step.steps, ...(step.catch?.steps ?? []), ...(step.finally ?? [])]);
      case 'run':
        return step.plan.requiredScopes;
      default:
        return [];
    }
  });
}
