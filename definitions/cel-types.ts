import { Environment } from '@marcbachmann/cel-js';
import type { z } from 'zod';
import { registerGongflowFunctions } from './expressions';

/**
 * CEL types for validation: zod schemas (action outputs, trigger payloads, declared inputs) become CEL
 * object types, so `steps.list.output.users[0].emial` or `input.count + "x"` fail at validation time with a
 * position instead of at run time. Used only by the validator: runs evaluate on dynamic values
 * (expressions.ts), with the same semantics the checker assumes:
 *
 * - integral JSON numbers are CEL `int`; other numbers may be `int` or `double`, so they are `dyn`;
 * - a nullable or optional scalar keeps its type, and every scalar compares with `null` (`x.title == null`
 *   and `x.title + "!"` both check, `x.title > 3` does not): Gong omits optional fields, which then read as
 *   `null` (gong/catalog/omitted-fields.ts). A condition that reads a field instead of testing it
 *   (`if: ${{ x.title }}`) is a type error, not a run that fails later;
 * - objects are closed types (unknown fields are errors: no silent nulls); `dyn(x).field` opts out;
 * - recursive or ambiguous shapes (unions of different types, lazy) are `dyn`.
 */
export const DYN = 'dyn';

/** Scalars a Gong field may hold or be null instead (see above). */
const NULLABLE_SCALARS = ['string', 'bool', 'int', 'double', 'uint'];

interface ZodDef {
  type: string;
  innerType?: z.ZodType;
  element?: z.ZodType;
  shape?: Record<string, z.ZodType>;
  valueType?: z.ZodType;
  options?: z.ZodType[];
  values?: unknown[];
  entries?: Record<string, unknown>;
  in?: z.ZodType;
  out?: z.ZodType;
}

function defOf(schema: z.ZodType): ZodDef {
  return (schema as unknown as { _zod: { def: ZodDef } })._zod.def;
}

/** Field types of a CEL object type, by field name. */
export type CelFields = Record<string, string>;

export class CelTypeRegistry {
  readonly environment: Environment;
  private readonly names = new WeakMap<object, string>();
  private readonly used: Set<string>;
  private readonly fieldsByType: Map<string, CelFields>;

  constructor(parent?: CelTypeRegistry) {
    if (parent) {
      // A child sees every type of its parent; the parent is frozen from now on (cel-js clone semantics).
      this.environment = parent.environment.clone();
      this.used = new Set(parent.used);
      this.fieldsByType = new Map(parent.fieldsByType);
      return;
    }
    this.environment = registerGongflowFunctions(
      new Environment({ unlistedVariablesAreDyn: false, homogeneousAggregateLiterals: false }),
    );
    this.used = new Set();
    this.fieldsByType = new Map();
    for (const type of ['list', 'map', ...NULLABLE_SCALARS]) allowNullComparison(this.environment, type);
  }

  /** The CEL type of a zod schema, registering object types named after `hint` (e.g. `gong.users.list.output`). */
  typeOf(schema: z.ZodType, hint: string): string {
    const def = defOf(schema);
    switch (def.type) {
      case 'string':
      case 'enum':
      case 'template_literal':
        return 'string';
      case 'literal':
        return (def.values ?? []).every((value) => typeof value === 'string') ? 'string' : DYN;
      case 'boolean':
        return 'bool';
      case 'number': {
        const isInt = (schema as unknown as { isInt?: boolean }).isInt === true;
        return isInt ? 'int' : DYN;
      }
      case 'nullable':
      case 'optional': // an omitted field reads as null (gong/catalog/omitted-fields.ts)
        return def.innerType ? this.typeOf(def.innerType, hint) : DYN;
      case 'default':
      case 'prefault':
      case 'readonly':
      case 'nonoptional':
      case 'catch':
        return def.innerType ? this.typeOf(def.innerType, hint) : DYN;
      case 'pipe':
        return def.in ? this.typeOf(def.in, hint) : DYN;
      case 'array':
        return def.element ? `list<${this.typeOf(def.element, `${hint}.item`)}>` : 'list<dyn>';
      case 'record':
        return def.valueType
          ? `map<string, ${this.typeOf(def.valueType, `${hint}.value`)}>`
          : 'map<string, dyn>';
      case 'object':
        return this.objectType(schema, def.shape ?? {}, hint);
      case 'union': {
        const types = new Set((def.options ?? []).map((option) => this.typeOf(option, hint)));
        return types.size === 1 ? ([...types][0] ?? DYN) : DYN;
      }
      default:
        return DYN;
    }
  }

  private objectType(schema: object, shape: Record<string, z.ZodType>, hint: string): string {
    const known = this.names.get(schema);
    if (known) return known;
    if (Object.keys(shape).length === 0) return 'map<string, dyn>';
    const fields: CelFields = {};
    for (const [key, field] of Object.entries(shape)) fields[key] = this.typeOf(field, `${hint}.${key}`);
    const name = this.register(hint, fields);
    this.names.set(schema, name);
    return name;
  }

  /** Registers an object type with the given field types; returns its (unique) name. */
  register(hint: string, fields: CelFields, comparableToNull = true): string {
    const base = hint.replace(/[^A-Za-z0-9_.]/g, '_').replace(/^[^A-Za-z_]/, '_$&');
    let name = base;
    for (let counter = 2; this.used.has(name); counter += 1) name = `${base}${counter}`;
    this.used.add(name);
    this.environment.registerType(name, { fields });
    // Gong sends null for absent objects and lists: `x == null` must check (only for validation; the
    // list and map overloads registered in the constructor cover lists and maps of every type).
    if (comparableToNull) allowNullComparison(this.environment, name);
    this.fieldsByType.set(name, fields);
    return name;
  }

  /** Fields of a registered object type (for "did you mean" hints). */
  fields(typeName: string): CelFields | undefined {
    return this.fieldsByType.get(typeName);
  }
}

function allowNullComparison(environment: Environment, type: string): void {
  for (const operator of [`${type} == null`, `null == ${type}`]) {
    try {
      environment.registerOperator(operator, () => false);
    } catch {
      // Already allowed.
    }
  }
}

/** The element type of `list<T>`, or dyn. */
export function elementType(listType: string | undefined): string {
  const match = listType === undefined ? null : /^list<(.+)>$/.exec(listType);
  return match?.[1] ?? DYN;
}

export interface TypeCheckOutcome {
  type?: string;
  error?: {
    message: string;
    start: number;
    end: number;
    /** For a field the type does not have: the value it was read from (its type and where it is). */
    receiver?: { type: string; start: number; end: number; root?: string };
  };
}

interface CheckedNode {
  op?: string;
  args?: unknown;
  start?: number;
  end?: number;
  left?: CheckedNode;
  checkedType?: { name?: string };
}

/** The name an expression part starts from (`steps` in `steps.a.output.x[0]`). */
function rootName(node: CheckedNode | undefined): string | undefined {
  let current = node;
  while (current && (current.op === '.' || current.op === '[]' || current.op === '?.')) {
    current = Array.isArray(current.args) ? (current.args[0] as CheckedNode) : undefined;
  }
  return current?.op === 'id' && typeof current.args === 'string' ? current.args : undefined;
}

function receiverOf(error: unknown): NonNullable<TypeCheckOutcome['error']>['receiver'] {
  const node = (error as { node?: CheckedNode } | undefined)?.node;
  const left = node?.op === '.' ? node.left : undefined;
  const type = left?.checkedType?.name;
  if (!left || type === undefined || left.start === undefined || left.end === undefined) return undefined;
  const root = rootName(left);
  return { type, start: left.start, end: left.end, ...(root ? { root } : {}) };
}

/** Type-checks an expression in an environment; never throws. */
export function checkExpressionType(environment: Environment, expression: string): TypeCheckOutcome {
  try {
    const result = environment.check(expression);
    if (result.valid) return { type: result.type ?? DYN };
    const error = result.error as (Error & { range?: { start: number; end: number } }) | undefined;
    const receiver = receiverOf(error);
    return {
      error: {
        message: (error?.message ?? 'type error').split('\n')[0] ?? 'type error',
        start: error?.range?.start ?? 0,
        end: error?.range?.end ?? expression.length,
        ...(receiver ? { receiver } : {}),
      },
    };
  } catch (error) {
    return {
      error: {
        message: error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error),
        start: 0,
        end: 0,
      },
    };
  }
}
