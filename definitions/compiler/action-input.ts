import type { z } from 'zod';
import type { $ZodIssue } from 'zod/v4/core';
import { findGongAction, GONG_REQUEST_ACTION_NAME } from '../../gong/catalog';
import { PAGINATION_CONTROL_KEYS } from '../../gong/catalog/common';
import { DYN } from '../cel-types';
import type { TemplatePlan } from '../plan';
import { closest, DEFINITION_CODES as CODES } from '../problems';
import type { Compilation } from './context';
import { dotted, type Path } from './raw';
import { renamedKeys } from './renames';
import { defOf } from './shape';

/**
 * An action's input checked against the action's catalog schema, at any depth and field by field: literal
 * parts exactly as the activity will parse them at run time (the same zod schema, so what validates here
 * runs there), parts with expressions by structure (unknown and missing keys) and by the expression's type
 * against the field's (`callIds: ['${{ input.callId }}']` under `filter` is checked like a literal list).
 */
export function checkActionInput(
  c: Compilation,
  schema: z.ZodType,
  input: TemplatePlan,
  path: Path,
  actionName: string,
): void {
  new InputChecker(c, actionName, path.length).check(schema, input, path);
}

class InputChecker {
  constructor(
    private readonly c: Compilation,
    private readonly action: string,
    /** Length of the path to `with`: input field names are shown from there. */
    private readonly base: number,
  ) {}

  check(schema: z.ZodType, value: TemplatePlan, path: Path): void {
    if (value.t === 'lit') return this.literal(schema, value.v, path);
    const def = defOf(schema);
    switch (def.type) {
      case 'optional':
      case 'default':
      case 'prefault':
      case 'nullable':
      case 'readonly':
      case 'nonoptional':
        return def.innerType ? this.check(def.innerType, value, path) : undefined;
      case 'pipe':
        return (def as { in?: z.ZodType }).in
          ? this.check((def as { in: z.ZodType }).in, value, path)
          : undefined;
      case 'unknown':
      case 'any':
        return;
      default:
        break;
    }
    if (value.t === 'expr') return this.expression(schema, value.e.expr, path);
    if (value.t === 'obj' && def.type === 'object') return this.object(def, value.f, path);
    if (value.t === 'obj' && def.type === 'record') {
      for (const [key, item] of Object.entries(value.f))
        if (def.valueType) this.check(def.valueType, item, [...path, key]);
      return;
    }
    if (value.t === 'arr' && def.type === 'array') {
      value.i.forEach((item, index) => def.element && this.check(def.element, item, [...path, index]));
      return;
    }
    if (def.type === 'union') return this.union(def.options ?? [], value, path);
    this.c.reporter.report(
      CODES.actionInput,
      `${this.action} input "${this.name(path)}" is ${describe(schema)}, not ${value.t === 'arr' ? 'a list' : 'an object'}`,
      path,
      'See the action in docs/actions.md.',
    );
  }

  /** A part without expressions: parsed by the action's own schema, as the activity will. */
  private literal(schema: z.ZodType, value: unknown, path: Path): void {
    const result = schema.safeParse(value);
    if (result.success) return;
    // Unknown keys first: a misspelt key usually explains the missing one (and is then the only report).
    const issues = [...result.error.issues].sort(
      (a, b) => Number(b.code === 'unrecognized_keys') - Number(a.code === 'unrecognized_keys'),
    );
    const renames = new Map<string, Map<string, string>>();
    for (const issue of issues) this.issue(schema, issue, path, renames);
  }

  private issue(
    schema: z.ZodType,
    issue: $ZodIssue,
    path: Path,
    renames: Map<string, Map<string, string>>,
  ): void {
    const at = [...path, ...issue.path.map((key) => (typeof key === 'symbol' ? String(key) : key))];
    const reporter = this.c.reporter;
    if (issue.code === 'unrecognized_keys') {
      const shape = defOf(schemaAt(schema, issue.path)).shape ?? {};
      const renamed = this.renames(shape, issue.keys, reporter.rawAt(at));
      renames.set(dotted(at), renamed);
      for (const key of issue.keys) this.unknownKey(key, shape, [...at, key], renamed.get(key));
    } else if (at.length > path.length && issue.code === 'invalid_type' && reporter.rawAt(at) === undefined) {
      const parent = at.slice(0, -1);
      const key = String(at.at(-1));
      if (![...(renames.get(dotted(parent))?.values() ?? [])].includes(key)) this.missing(parent, key);
    } else if (issue.code === 'invalid_value' && issue.values.length > 1) {
      const given = reporter.rawAt(at);
      const options = issue.values.map(String);
      const suggestion = typeof given === 'string' ? closest(given, options) : undefined;
      reporter.report(
        CODES.actionInput,
        `${this.action} input "${this.name(at)}": ${JSON.stringify(given)} is not one of ${options.join(', ')}`,
        at,
        suggestion ? `Did you mean "${suggestion}"?` : `Write one of: ${options.join(', ')}.`,
      );
    } else {
      reporter.report(
        CODES.actionInput,
        `${this.action} input "${this.name(at)}": ${issue.message}`,
        at,
        'See the action in docs/actions.md.',
      );
    }
  }

  private object(def: ReturnType<typeof defOf>, fields: Record<string, TemplatePlan>, path: Path): void {
    const shape = def.shape ?? {};
    const strict = def.catchall !== undefined && defOf(def.catchall).type === 'never';
    const unknown = strict ? Object.keys(fields).filter((key) => !Object.hasOwn(shape, key)) : [];
    const renamed = this.renames(shape, unknown, fields);
    for (const key of unknown) this.unknownKey(key, shape, [...path, key], renamed.get(key));
    const standsFor = new Set(renamed.values());
    for (const [key, field] of Object.entries(shape)) {
      const value = fields[key];
      if (value === undefined) {
        if (!field.safeParse(undefined).success && !standsFor.has(key)) this.missing(path, key);
      } else this.check(field, value, [...path, key]);
    }
  }

  /** Unknown keys standing for keys the input lacks (`userId` where `id` is required): written -> target. */
  private renames(
    shape: Record<string, z.ZodType>,
    unknown: readonly string[],
    given: unknown,
  ): Map<string, string> {
    if (unknown.length === 0) return new Map();
    const present = typeof given === 'object' && given !== null ? (given as Record<string, unknown>) : {};
    const absent = Object.keys(shape).filter((key) => present[key] === undefined);
    return renamedKeys(
      unknown,
      absent,
      absent.filter((key) => !shape[key]?.safeParse(undefined).success),
    );
  }

  /** One choice of a union must fit: the one of the value's kind when the others do not. */
  private union(options: z.ZodType[], value: TemplatePlan, path: Path): void {
    const fitting = options.filter((option) => {
      const kind = defOf(option).type;
      return value.t === 'arr'
        ? kind === 'array'
        : value.t === 'obj'
          ? kind === 'object' || kind === 'record'
          : true;
    });
    if (fitting.length === 1 && fitting[0]) return this.check(fitting[0], value, path);
    if (fitting.length === 0)
      this.c.reporter.report(
        CODES.actionInput,
        `${this.action} input "${this.name(path)}" is ${options.map(describe).join(' or ')}`,
        path,
        'See the action in docs/actions.md.',
      );
    // Several choices fit the shape: which one the value takes is known only when it runs.
  }

  private expression(schema: z.ZodType, expr: string, path: Path): void {
    const actual = this.c.expressionTypes.get(expr);
    // An expression with a problem was reported already; without a known type it cannot be compared.
    if (actual === undefined || accepts(schema, actual)) return;
    this.c.reporter.report(
      CODES.actionInput,
      `${this.action} input "${this.name(path)}" is ${describe(schema)}, but the expression gives ${actual}`,
      path,
      'Convert the value in the expression, e.g. string(x) or int(x), or read the field that has this type.',
    );
  }

  /**
   * A field the catalog does not know. Gong ignores or accepts fields its export does not list, so it is a
   * warning with a did-you-mean and is sent as given (gong/catalog/input.ts) -- unless it cannot be: it
   * stands for a required field the input lacks (`userId` for `id`: one error, not a warning and a missing
   * field), it is a gongflow field of gong.request, or a near miss of a gongflow option (`maxItem`) that
   * Gong would not know either.
   */
  private unknownKey(key: string, shape: Record<string, z.ZodType>, path: Path, target?: string): void {
    const known = Object.keys(shape);
    const suggestion = target ?? closest(key, known);
    const topLevel = path.length === this.base + 1;
    const option = suggestion !== undefined && topLevel && PAGINATION_CONTROL_KEYS.includes(suggestion);
    const standsForRequired = target !== undefined && shape[target]?.safeParse(undefined).success === false;
    if (standsForRequired || option || this.action === GONG_REQUEST_ACTION_NAME) {
      this.c.reporter.report(
        CODES.actionInput,
        `${this.action} has no input "${this.name(path)}"`,
        path,
        option
          ? `Did you mean "${suggestion}" (a gongflow option, never sent to Gong)?`
          : suggestion
            ? `Did you mean "${suggestion}"?`
            : `Its inputs here are: ${known.join(', ') || '(none)'}.`,
        true,
      );
      return;
    }
    const paginated = findGongAction(this.action)?.pagination !== undefined;
    this.c.reporter.warn(
      CODES.unknownActionInput,
      `${this.action} has no input "${this.name(path)}" in the catalog: sent to Gong as given`,
      path,
      key === 'limit' && topLevel && paginated
        ? 'Gong ignores limit (its pages are always 100 records); to stop early, use maxItems.'
        : suggestion
          ? `Did you mean "${suggestion}"? If not, it is sent to Gong as given (Gong ignores fields it does not know).`
          : `It is sent to Gong as given (Gong ignores fields it does not know). Known here: ${known.join(', ') || '(none)'}.`,
      true,
    );
  }

  private missing(path: Path, key: string): void {
    this.c.reporter.report(
      CODES.actionInput,
      `${this.action} needs input "${this.name([...path, key])}"`,
      path,
      `Add "${key}" under ${path.length > this.base ? this.name(path) : 'with'}:.`,
    );
  }

  private name(path: Path): string {
    return dotted(path.slice(this.base));
  }
}

/** The schema of the part at `path` inside `schema` (for the keys known there). */
function schemaAt(schema: z.ZodType, path: ReadonlyArray<PropertyKey>): z.ZodType {
  let current = unwrap(schema);
  for (const key of path) {
    const def = defOf(current);
    const next =
      def.type === 'object'
        ? def.shape?.[String(key)]
        : def.type === 'array'
          ? def.element
          : def.type === 'record'
            ? def.valueType
            : undefined;
    if (!next) return current;
    current = unwrap(next);
  }
  return current;
}

function unwrap(schema: z.ZodType): z.ZodType {
  let current = schema;
  for (let def = defOf(current); def.innerType; def = defOf(current)) current = def.innerType;
  return current;
}

const SCALARS = new Set([
  'string',
  'int',
  'uint',
  'double',
  'bool',
  'bytes',
  'null',
  'google.protobuf.Duration',
]);

/**
 * Whether a value of CEL type `type` is accepted by `schema` at run time, as far as the type tells: `dyn`,
 * unparameterised lists and maps, and objects are given the benefit of the doubt; scalars, lists of them
 * and null are certain.
 */
export function accepts(schema: z.ZodType, type: string): boolean {
  if (
    type === DYN ||
    type === 'list' ||
    type === 'map' ||
    type.startsWith('map<') ||
    /^list<[A-Z]>$/.test(type)
  )
    return true;
  const def = defOf(schema);
  switch (def.type) {
    case 'optional':
    case 'default':
    case 'prefault':
    case 'readonly':
    case 'nonoptional':
      return def.innerType ? accepts(def.innerType, type) : true;
    case 'nullable':
      return type === 'null' || (def.innerType ? accepts(def.innerType, type) : true);
    case 'pipe':
      return def.in ? accepts(def.in, type) : true;
    case 'string':
    case 'enum':
    case 'template_literal':
      // Timestamps become ISO-8601 text when a run hands them to an action.
      return type === 'string' || type === 'google.protobuf.Timestamp';
    case 'literal':
      return (def.values ?? []).some((value) =>
        typeof value === 'string'
          ? type === 'string'
          : typeof value === 'boolean'
            ? type === 'bool'
            : typeof value === 'number'
              ? type === 'int' || type === 'uint' || type === 'double'
              : value === null && type === 'null',
      );
    case 'boolean':
      return type === 'bool';
    case 'number':
      return (schema as unknown as { isInt?: boolean }).isInt
        ? type === 'int' || type === 'uint'
        : type === 'int' || type === 'uint' || type === 'double';
    case 'array': {
      const element = /^list<(.+)>$/.exec(type)?.[1];
      return element !== undefined && (def.element ? accepts(def.element, element) : true);
    }
    case 'object':
    case 'record':
      // An object type of the catalog or a map: its fields are checked where it was built, not here.
      return !SCALARS.has(type) && !type.startsWith('list');
    case 'union':
      return (def.options ?? []).some((option) => accepts(option, type));
    default:
      return true;
  }
}

/** How a field's type reads in a message. */
function describe(schema: z.ZodType): string {
  const def = defOf(schema);
  switch (def.type) {
    case 'optional':
    case 'default':
    case 'prefault':
    case 'nullable':
    case 'readonly':
    case 'nonoptional':
      return def.innerType ? describe(def.innerType) : 'a value';
    case 'string':
    case 'template_literal':
      return 'a string';
    case 'enum':
      return `one of ${Object.values(def.entries ?? {}).join(', ')}`;
    case 'boolean':
      return 'a bool';
    case 'number':
      return (schema as unknown as { isInt?: boolean }).isInt ? 'an int' : 'a number';
    case 'array':
      return def.element ? `a list of ${describe(def.element).replace(/^an? /, '')}s` : 'a list';
    case 'object':
    case 'record':
      return 'an object';
    case 'union':
      return (def.options ?? []).map(describe).join(' or ');
    default:
      return 'a value';
  }
}
