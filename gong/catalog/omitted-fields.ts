import type { z } from 'zod';

/**
 * Gong omits optional fields instead of sending `null` (a call without an AI brief has no `brief` key).
 * The catalog types such fields optional and the validator accepts `x.brief`, so at run time the read
 * must not fail: every field a schema declares optional (or `unknown`) and the value lacks becomes `null`,
 * at every depth, so `x.brief == null` and `has(x.brief)` both work. Derived from the schema alone: adding
 * a catalog entry needs nothing here. Nothing else changes: present values (lossless big-int digit
 * strings included), unknown extra fields and values that do not fit the schema are kept as they are.
 * Pure: the Gong action activity and the trigger machinery use it.
 */
export function fillOmittedFields(schema: z.ZodType, value: unknown): unknown {
  const def = defOf(schema);
  switch (def.type) {
    case 'optional':
    case 'nullable':
    case 'default':
    case 'prefault':
    case 'readonly':
    case 'catch':
    case 'nonoptional':
      return def.innerType ? fillOmittedFields(def.innerType, value) : value;
    case 'pipe':
      return def.in ? fillOmittedFields(def.in, value) : value;
    case 'lazy':
      return def.getter ? fillOmittedFields(def.getter(), value) : value;
    case 'object':
      return isRecord(value) ? fillObject(def.shape ?? {}, value) : value;
    case 'array':
      return Array.isArray(value) && def.element
        ? value.map((item) => fillOmittedFields(def.element as z.ZodType, item))
        : value;
    case 'record':
      return isRecord(value) && def.valueType
        ? Object.fromEntries(
            Object.entries(value).map(([key, item]) => [
              key,
              fillOmittedFields(def.valueType as z.ZodType, item),
            ]),
          )
        : value;
    case 'union': {
      // The first option of the value's own kind (the catalog's unions are of scalars, or of one object).
      const option = (def.options ?? []).find((candidate) => kindOf(candidate) === kindOfValue(value));
      return option ? fillOmittedFields(option, value) : value;
    }
    default:
      return value;
  }
}

function fillObject(
  shape: Record<string, z.ZodType>,
  value: Record<string, unknown>,
): Record<string, unknown> {
  const filled: Record<string, unknown> = { ...value };
  for (const [key, field] of Object.entries(shape)) {
    if (Object.hasOwn(value, key) && value[key] !== undefined)
      filled[key] = fillOmittedFields(field, value[key]);
    else if (mayBeOmitted(field)) filled[key] = null;
  }
  return filled;
}

/** A field the value may lack: optional, nullish, or of any value at all (`unknown`). */
function mayBeOmitted(schema: z.ZodType): boolean {
  const internals = (schema as unknown as { _zod: { optin?: string } })._zod;
  if (internals.optin === 'optional') return true;
  const def = defOf(schema);
  if (def.type === 'unknown' || def.type === 'any') return true;
  return def.type === 'union' && (def.options ?? []).some(mayBeOmitted);
}

interface ZodDef {
  type: string;
  innerType?: z.ZodType;
  in?: z.ZodType;
  getter?: () => z.ZodType;
  shape?: Record<string, z.ZodType>;
  element?: z.ZodType;
  valueType?: z.ZodType;
  options?: z.ZodType[];
}

function defOf(schema: z.ZodType): ZodDef {
  return (schema as unknown as { _zod: { def: ZodDef } })._zod.def;
}

/** What kind of value a schema describes once wrappers are removed: object, array, or other. */
function kindOf(schema: z.ZodType): 'object' | 'array' | 'other' {
  const def = defOf(schema);
  switch (def.type) {
    case 'object':
    case 'record':
      return 'object';
    case 'array':
      return 'array';
    case 'optional':
    case 'nullable':
    case 'default':
    case 'prefault':
    case 'readonly':
    case 'catch':
    case 'nonoptional':
      return def.innerType ? kindOf(def.innerType) : 'other';
    case 'pipe':
      return def.in ? kindOf(def.in) : 'other';
    case 'lazy':
      return def.getter ? kindOf(def.getter()) : 'other';
    default:
      return 'other';
  }
}

function kindOfValue(value: unknown): 'object' | 'array' | 'other' {
  if (Array.isArray(value)) return 'array';
  return isRecord(value) ? 'object' : 'other';
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
