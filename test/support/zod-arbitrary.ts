import fc from 'fast-check';
import type { z } from 'zod';

/**
 * Values for a zod schema, generated from the schema itself: mostly what it accepts (formats and regexes
 * through their patterns), with wrong kinds, unknown keys and missing keys mixed in at every level, so a
 * property sees both sides of the schema. For differential tests of validators against the schema.
 */
interface Def {
  type: string;
  shape?: Record<string, z.ZodType>;
  catchall?: z.ZodType;
  innerType?: z.ZodType;
  element?: z.ZodType;
  valueType?: z.ZodType;
  options?: z.ZodType[];
  values?: unknown[];
  entries?: Record<string, unknown>;
  in?: z.ZodType;
  format?: string;
  checks?: Array<{
    _zod: {
      def: { check?: string; pattern?: RegExp; value?: number; inclusive?: boolean; minimum?: number };
    };
  }>;
}

/** The smallest length a string or list schema allows. */
function minLength(def: Def): number {
  return Math.max(
    0,
    ...(def.checks ?? []).map((check) =>
      check._zod.def.check === 'min_length' ? (check._zod.def.minimum ?? 0) : 0,
    ),
  );
}

/** The range a number schema allows (within what the generators use). */
function numberRange(def: Def): { min: number; max: number } {
  let min = -3;
  let max = 1_000_000;
  for (const check of def.checks ?? []) {
    const { check: kind, value, inclusive } = check._zod.def;
    if (value === undefined) continue;
    if (kind === 'greater_than') min = Math.max(min, inclusive ? value : value + 1);
    if (kind === 'less_than') max = Math.min(max, inclusive ? value : value - 1);
  }
  return { min, max };
}

function defOf(schema: z.ZodType): Def {
  return (schema as unknown as { _zod: { def: Def } })._zod.def;
}

/** The pattern a string schema's values match, when it says more than "any text". */
function patternOf(schema: z.ZodType): RegExp | undefined {
  const own = (schema as unknown as { _zod: { pattern?: RegExp } })._zod.pattern;
  if (own && own.source !== '^[\\s\\S]{0,}$') return own;
  for (const check of defOf(schema).checks ?? []) if (check._zod.def.pattern) return check._zod.def.pattern;
  return undefined;
}

/** A value of another JSON kind than the schema wants, most of the time. */
const anyKind: fc.Arbitrary<unknown> = fc.oneof(
  fc.string({ maxLength: 6 }),
  fc.integer({ min: -5, max: 5 }),
  fc.boolean(),
  fc.constant(null),
  fc.constant([]),
  fc.constant({}),
);

/** Text that is never an expression (`${{`), so literal inputs stay literal. */
const text = fc.string({ maxLength: 12 }).filter((value) => !value.includes('${{'));

/** Mostly valid values, with mistakes at every level. */
export function arbitraryFor(schema: z.ZodType, depth = 0): fc.Arbitrary<unknown> {
  const valid = validFor(schema, depth);
  return fc.oneof({ weight: 12, arbitrary: valid }, { weight: 1, arbitrary: anyKind });
}

/** Values meant to be valid (formats through their patterns); refinements may still refuse a few. */
export function validArbitraryFor(schema: z.ZodType): fc.Arbitrary<unknown> {
  return validFor(schema, 0, false);
}

function validFor(schema: z.ZodType, depth: number, mistakes = true): fc.Arbitrary<unknown> {
  const inner = (next: z.ZodType, nextDepth: number): fc.Arbitrary<unknown> =>
    mistakes ? arbitraryFor(next, nextDepth) : validFor(next, nextDepth, false);
  const def = defOf(schema);
  switch (def.type) {
    case 'optional':
    case 'default':
    case 'prefault':
      return def.innerType
        ? fc.oneof(validFor(def.innerType, depth, mistakes), fc.constant(undefined))
        : fc.constant(undefined);
    case 'nullable':
      return def.innerType
        ? fc.oneof({ weight: 6, arbitrary: validFor(def.innerType, depth, mistakes) }, fc.constant(null))
        : fc.constant(null);
    case 'readonly':
    case 'nonoptional':
      return def.innerType ? validFor(def.innerType, depth, mistakes) : fc.constant(null);
    case 'pipe':
      return def.in ? validFor(def.in, depth, mistakes) : fc.constant(null);
    case 'string': {
      const pattern = patternOf(schema);
      const valid =
        def.format === 'url'
          ? fc.webUrl()
          : pattern
            ? fc.stringMatching(pattern)
            : fc.stringMatching(/^[A-Za-z0-9]{1,8}$/).map((value) => value.padEnd(minLength(def), 'x'));
      return mistakes ? fc.oneof({ weight: 4, arbitrary: valid }, text) : valid;
    }
    case 'enum': {
      const values = Object.values(def.entries ?? {});
      return mistakes
        ? fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...values) }, text)
        : fc.constantFrom(...values);
    }
    case 'literal':
      return fc.constantFrom(...(def.values ?? [null]));
    case 'boolean':
      return fc.boolean();
    case 'number': {
      const isInt = (schema as unknown as { isInt?: boolean }).isInt === true;
      const { min, max } = mistakes ? { min: -3, max: 1_000_000 } : numberRange(def);
      const integers = fc.integer({ min: Math.ceil(min), max: Math.floor(max) });
      return isInt
        ? integers
        : fc.oneof(integers, fc.double({ min, max, noNaN: true, noDefaultInfinity: true }));
    }
    case 'array':
      return depth > 4 || !def.element
        ? fc.constant([])
        : fc.array(inner(def.element, depth + 1), { minLength: mistakes ? 0 : minLength(def), maxLength: 3 });
    case 'record':
      return depth > 4 || !def.valueType
        ? fc.constant({})
        : fc.dictionary(fc.stringMatching(/^[a-z]{1,6}$/), inner(def.valueType, depth + 1), {
            maxKeys: 3,
          });
    case 'object':
      return objectFor(def, depth, mistakes);
    case 'union':
      return fc.oneof(...(def.options ?? []).map((option) => validFor(option, depth, mistakes)));
    case 'unknown':
    case 'any':
      return fc.oneof(text, fc.integer(), fc.boolean(), fc.constant(null), fc.constant({ a: 1 }));
    default:
      return fc.constant(null);
  }
}

function objectFor(def: Def, depth: number, mistakes: boolean): fc.Arbitrary<unknown> {
  const shape = def.shape ?? {};
  const keys = Object.keys(shape);
  if (depth > 4) return fc.constant({});
  const fields = Object.fromEntries(
    keys.map((key) => [
      key,
      mistakes ? arbitraryFor(shape[key]!, depth + 1) : validFor(shape[key]!, depth + 1, false),
    ]),
  );
  const base = fc
    .record(fields, { requiredKeys: [] as string[] })
    .map((value) => Object.fromEntries(Object.entries(value).filter(([, item]) => item !== undefined)));
  // Every required key most of the time; now and then a key dropped or one that does not exist added.
  const complete = fc
    .record(fields)
    .map((value) => Object.fromEntries(Object.entries(value).filter(([, item]) => item !== undefined)));
  const extra = fc
    .tuple(complete, fc.constantFrom('extra', ...keys.map((key) => `${key}s`)), anyKind)
    .map(([value, key, item]) => ({ ...value, [key]: item }));
  if (!mistakes) return complete;
  return fc.oneof(
    { weight: 6, arbitrary: complete },
    { weight: 2, arbitrary: base },
    { weight: 1, arbitrary: extra },
  );
}
