import type { z } from 'zod';
import { findGongAction, GONG_ACTIONS } from '../../gong/catalog';
import { requiredScopes as actionScopes } from '../../gong/catalog/scopes';
import { DYN } from '../cel-types';
import type { StepSources } from '../model';
import { closest, DEFINITION_CODES as CODES } from '../problems';
import { compileTemplate } from '../template';
import type { Compilation, CompiledStep, Scope, StepSite } from './context';
import { compileValue } from './expressions';
import type { Path } from './raw';
import { resolveRetry } from './retry';

/**
 * An attempt of a Gong action may first wait for the company's budget (3 calls/s shared by every worker),
 * heartbeating while it waits; the catalog's timeout is for the request itself, so the attempt gets more.
 */
export const GONG_BUDGET_WAIT_ALLOWANCE_MS = 5 * 60_000;

/** `action:` steps: the action from the catalog, its input checked against its schema, its scopes. */
export function compileActionStep(c: Compilation, step: StepSources['action'], site: StepSite): CompiledStep {
  const { path, common, scope } = site;
  const action = findGongAction(step.action);
  const input = compileValue(c, step.with ?? {}, [...path, 'with'], scope);
  if (!action) {
    const suggestion = closest(step.action, GONG_ACTIONS.keys());
    c.reporter.report(
      CODES.unknownAction,
      `unknown action "${step.action}"`,
      [...path, 'action'],
      suggestion
        ? `Did you mean "${suggestion}"? The catalog is in docs/actions.md.`
        : 'See docs/actions.md for the actions gongflow knows.',
    );
    return { exported: site.own };
  }
  checkActionInput(c, action.input, step.with ?? {}, [...path, 'with'], action.name, scope);
  // Scopes can depend on the input (media URLs of extensive call data): an expression counts as set.
  const scopes = actionScopes(action, step.with ?? {});
  checkScopes(c, action.name, scopes, [...path, 'action']);
  const retry = resolveRetry(c, step.retry, action.retry, [...path, 'retry']);
  return {
    plan: {
      ...common,
      kind: 'action',
      action: action.name,
      input,
      activity: {
        startToCloseTimeoutMs: step.attemptTimeout ?? action.timeoutMs + GONG_BUDGET_WAIT_ALLOWANCE_MS,
        retry,
        scopes,
      },
    },
    exported: site.own,
  };
}

function checkScopes(c: Compilation, actionName: string, scopes: readonly string[], path: Path): void {
  const granted = c.options.connectionScopes;
  if (!granted) return;
  for (const scope of scopes) {
    if (!granted.includes(scope)) {
      const connection = c.options.connectionName
        ? `connection "${c.options.connectionName}"`
        : 'the connection';
      c.reporter.report(
        CODES.missingScope,
        `${actionName} needs the Gong scope ${scope}, which ${connection} was not granted`,
        path,
        `Reconnect ${connection} with ${scope} (OAuth: add it to the app's scopes and authorize again), or run with a connection that has it.`,
      );
    }
  }
}

/** Literal parts of an action's input are checked against the catalog schema now, not at run time. */
function checkActionInput(
  c: Compilation,
  schema: z.ZodType,
  value: Record<string, unknown>,
  path: Path,
  actionName: string,
  scope: Scope,
): void {
  const shape = (schema as unknown as { shape?: Record<string, z.ZodType> }).shape;
  if (!shape) return;
  for (const [key, fieldValue] of Object.entries(value)) {
    const field = shape[key];
    if (!field) {
      const suggestion = closest(key, Object.keys(shape));
      c.reporter.report(
        CODES.actionInput,
        `${actionName} has no input "${key}"`,
        [...path, key],
        suggestion
          ? `Did you mean "${suggestion}"?`
          : `Its inputs are: ${Object.keys(shape).join(', ') || '(none)'}.`,
        true,
      );
      continue;
    }
    const template = compileTemplate(fieldValue);
    if (template.t === 'expr') {
      const expected = shallowType(field);
      const actual = c.expressionTypes.get(template.e.expr);
      if (expected && actual && !compatible(expected, actual)) {
        c.reporter.report(
          CODES.actionInput,
          `${actionName} input "${key}" is ${expected}, but the expression gives ${actual}`,
          [...path, key],
          'Convert the value in the expression, e.g. string(x) or int(x).',
        );
      }
      continue;
    }
    if (template.t !== 'lit') continue;
    const result = field.safeParse(fieldValue);
    if (!result.success) {
      c.reporter.report(
        CODES.actionInput,
        `${actionName} input "${key}": ${result.error.issues[0]?.message ?? 'invalid'}`,
        [...path, key],
        'See the action in docs/actions.md.',
      );
    }
  }
  for (const [key, field] of Object.entries(shape)) {
    if (!(key in value) && !field.safeParse(undefined).success) {
      c.reporter.report(
        CODES.actionInput,
        `${actionName} needs input "${key}"`,
        path,
        `Add "${key}" under with:.`,
      );
    }
  }
  void scope;
}

/** The CEL type an action input field expects, when it is a simple one (scalars and lists of scalars). */
function shallowType(schema: z.ZodType): string | undefined {
  const def = (
    schema as unknown as { _zod: { def: { type: string; innerType?: z.ZodType; element?: z.ZodType } } }
  )._zod.def;
  switch (def.type) {
    case 'string':
    case 'enum':
      return 'string';
    case 'boolean':
      return 'bool';
    case 'number':
      return (schema as unknown as { isInt?: boolean }).isInt ? 'int' : 'number';
    case 'optional':
    case 'default':
      return def.innerType ? shallowType(def.innerType) : undefined;
    case 'array': {
      const element = def.element ? shallowType(def.element) : undefined;
      return element ? `list<${element}>` : undefined;
    }
    default:
      return undefined;
  }
}

function compatible(expected: string, actual: string): boolean {
  if (actual === DYN || actual.includes('dyn') || actual === 'list' || actual === 'map') return true;
  if (expected === actual) return true;
  if (expected === 'number') return actual === 'int' || actual === 'double';
  const expectedList = /^list<(.+)>$/.exec(expected);
  const actualList = /^list<(.+)>$/.exec(actual);
  if (expectedList && actualList) return compatible(expectedList[1] ?? DYN, actualList[1] ?? DYN);
  // Object types are structural at run time: only scalar mismatches are certain.
  return !['string', 'int', 'double', 'bool', 'number'].includes(actual) && !actual.startsWith('list');
}
