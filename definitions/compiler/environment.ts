import type { Environment } from '@marcbachmann/cel-js';
import { CelTypeRegistry, DYN, type CelFields } from '../cel-types';
import { TRIGGER_PAYLOADS } from '../triggers';
import type { Compilation, DeclaredStep, Scope } from './context';
import { isRecord } from './raw';
import { NO_STEPS } from './visibility';

/**
 * The type environment expressions are checked in: `input` from the input declaration, `steps.<id>.output`
 * from each step's kind (an action's catalog output, a signal's declared payload), `trigger` from the
 * trigger kind, `vars`, `run` and `secrets`. Names bound inside the definition (loop items, caught errors)
 * are added by `withLocals` where they are bound.
 */
export function buildEnvironment(c: Compilation, inputFields: CelFields, triggers: unknown): Environment {
  const types = c.types;
  const inputType = types.register('input', inputFields, false);
  const runType = c.shared.run;
  const httpType = c.shared.httpResponse;
  const approvalType = c.shared.approval;

  const triggerKinds = new Set(
    (Array.isArray(triggers) ? (triggers as unknown[]) : [])
      .map((trigger) => (isRecord(trigger) ? trigger['kind'] : undefined))
      .filter(
        (kind): kind is keyof typeof TRIGGER_PAYLOADS =>
          typeof kind === 'string' && Object.hasOwn(TRIGGER_PAYLOADS, kind),
      ),
  );
  const triggerTypes = new Set([...triggerKinds].map((kind) => c.shared.triggerPayloads.get(kind) ?? DYN));
  // A run started by the API or by another kind has another payload: only one kind types `trigger`.
  const triggerType = triggerTypes.size === 1 ? ([...triggerTypes][0] ?? DYN) : DYN;

  const wrappers = new Map<string, string>();
  const stepFields: CelFields = {};
  for (const [id, step] of c.declared) {
    const outputType = stepOutputType(c, step, { http: httpType, approval: approvalType });
    let wrapper = wrappers.get(outputType);
    if (!wrapper) {
      wrapper = types.register(`step.${outputType}`, { output: outputType }, false);
      wrappers.set(outputType, wrapper);
    }
    stepFields[id] = wrapper;
  }
  const stepsType = types.register('steps', stepFields, false);
  const environment = types.environment;
  environment.registerVariable('input', inputType);
  environment.registerVariable('steps', stepsType);
  environment.registerVariable('vars', 'map<string, dyn>');
  environment.registerVariable('trigger', triggerType);
  environment.registerVariable('run', runType);
  environment.registerVariable('secrets', 'map<string, string>');
  return environment;
}

function stepOutputType(
  c: Compilation,
  step: DeclaredStep,
  builtins: { http: string; approval: string },
): string {
  const raw = c.reporter.rawAt(step.path);
  if (!isRecord(raw)) return DYN;
  switch (step.marker) {
    case 'action':
      return typeof raw['action'] === 'string' ? (c.shared.actionOutputs.get(raw['action']) ?? DYN) : DYN;
    case 'http':
      return builtins.http;
    case 'approval':
      return builtins.approval;
    case 'set':
      return 'map<string, dyn>';
    case 'forEach':
      return 'list<dyn>';
    case 'waitForSignal': {
      const payload = raw['payload'];
      if (!isRecord(payload)) return DYN;
      const fields: CelFields = {};
      for (const [name, field] of Object.entries(payload))
        fields[name] =
          isRecord(field) && typeof field['type'] === 'string' ? inputCelType(field['type']) : DYN;
      return c.types.register(`signal.${String(raw['waitForSignal'])}`, fields);
    }
    default:
      return DYN;
  }
}

/** The scope trigger expressions are checked in: only `trigger`, typed by that trigger's kind. */
export function triggerScope(c: Compilation, kind: string, payloadType: string): Scope {
  const types = new CelTypeRegistry(c.shared.registry);
  types.environment.registerVariable('trigger', payloadType);
  return {
    visible: NO_STEPS,
    locals: new Set(),
    environment: types.environment,
    order: -1,
    triggerOnly: true,
    triggerKind: kind,
  };
}

const scopedEnvironments = new WeakMap<Environment, Map<string, Environment>>();

/**
 * A scope with more names bound. CEL cannot shadow a variable: a name bound already keeps its binding
 * (an error caught inside onFailure is again `gongflow.Error`); other clashes are reported where bound.
 */
export function withLocals(scope: Scope, locals: Record<string, string>): Scope {
  // Loops binding the same names to the same types share one environment (cloning one is not free).
  const key = JSON.stringify(locals);
  let byLocals = scopedEnvironments.get(scope.environment);
  if (!byLocals) scopedEnvironments.set(scope.environment, (byLocals = new Map<string, Environment>()));
  let environment = byLocals.get(key);
  if (!environment) {
    environment = scope.environment.clone();
    for (const [name, type] of Object.entries(locals))
      if (!environment.hasVariable(name)) environment.registerVariable(name, type);
    byLocals.set(key, environment);
  }
  return { ...scope, environment, locals: new Set([...scope.locals, ...Object.keys(locals)]) };
}

export function inputCelType(type: string): string {
  switch (type) {
    case 'string':
      return 'string';
    case 'integer':
      return 'int';
    case 'boolean':
      return 'bool';
    case 'object':
      return 'map<string, dyn>';
    case 'array':
      return 'list<dyn>';
    default:
      return DYN;
  }
}
