import type { TypeCheckOutcome } from '../cel-types';
import { closest } from '../problems';
import type { Compilation, Scope } from './context';
import { isRecord } from './raw';

type TypeError = NonNullable<TypeCheckOutcome['error']>;

/** Fields listed in a hint, at most: enough to spot the right one, short enough to read. */
const LISTED_FIELDS = 12;

/**
 * The fix for a type error, in the words of the namespace it happened in: a field the value does not have
 * gets the closest field it does have and where its fields come from (the action's output, the trigger's
 * payload, the input declaration, a signal's payload); other errors get the conversions that fix them.
 */
export function typeErrorHint(c: Compilation, error: TypeError, expr: string, scope: Scope): string {
  const missing = /No such key: (\S+)/.exec(error.message)?.[1];
  if (missing === undefined) {
    return 'Fix the types: convert with string(), int(), double(), or compare values of the same type.';
  }
  const receiver = error.receiver;
  const fields = receiver ? c.types.fields(receiver.type) : undefined;
  if (!receiver || !fields) {
    return 'Check the field name against what the value holds; dyn(x).field skips the check.';
  }
  const value = expr.slice(receiver.start, receiver.end);
  if (receiver.root === 'steps' && /^steps\.[A-Za-z_][A-Za-z0-9_]*$/.test(value.replace(/\s/g, ''))) {
    // `steps.list.users`: the step's result is under `output`.
    return `A step's result is read through output: write ${value}.output.${missing}.`;
  }
  const names = Object.keys(fields);
  const suggestion = closest(missing, names);
  const listed =
    names.length > LISTED_FIELDS
      ? `${names.slice(0, LISTED_FIELDS).join(', ')} and ${names.length - LISTED_FIELDS} more`
      : names.join(', ') || '(no fields)';
  const from = origin(c, receiver.root, expr, scope);
  return [
    suggestion ? `Did you mean ${value}.${suggestion}?` : undefined,
    `${value}${from ? ` ${from}` : ''} has: ${listed}.`,
    suggestion ? undefined : 'dyn(x).field skips the check.',
  ]
    .filter(Boolean)
    .join(' ');
}

/** Where the fields of a value come from, by the name the expression starts from. */
function origin(c: Compilation, root: string | undefined, expr: string, scope: Scope): string {
  // Names bound in the definition (loop items, caught errors) say nothing more than their own name.
  switch (root) {
    case 'input':
      return '(the inputs declared under input:)';
    case 'trigger':
      return scope.triggerKind
        ? `(the payload of the ${scope.triggerKind} trigger, docs/triggers.md)`
        : '(the trigger payload, docs/triggers.md)';
    case 'steps': {
      const id = /^\s*steps\.([A-Za-z_][A-Za-z0-9_]*)/.exec(expr.slice(expr.indexOf('steps.')))?.[1];
      const declared = id === undefined ? undefined : c.declared.get(id);
      const raw = declared ? c.reporter.rawAt(declared.path) : undefined;
      if (isRecord(raw) && typeof raw['action'] === 'string')
        return `(output of ${raw['action']}, docs/actions.md)`;
      if (isRecord(raw) && typeof raw['waitForSignal'] === 'string')
        return '(the payload declared by the signal step)';
      return id === undefined ? '(a step output)' : `(the output of step ${id})`;
    }
    case 'run':
      return '(the run)';
    default:
      return '';
  }
}
