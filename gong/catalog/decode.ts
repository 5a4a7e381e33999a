import { z } from 'zod';

/**
 * A Gong answer as gongflow hands it to expressions: the codec fields of the action's response schema (an
 * integer real Gong sends as a JSON string, see `IntegerSentAsText`) are decoded, everything else stays
 * exactly as Gong sent it. Deliberately not a parse: Gong adds and changes fields without notice, and a body
 * that differs from the schema elsewhere must still run (the codec fields it does match are decoded).
 * Schemas without a codec return the body itself, so large answers cost nothing.
 */
export function decodeGongResponse(schema: z.ZodType, body: unknown): unknown {
  return hasCodec(schema) ? decodeAt(schema, body) : body;
}

interface Def {
  type: string;
  innerType?: z.ZodType;
  in?: z.ZodType;
  element?: z.ZodType;
  shape?: Record<string, z.ZodType>;
  valueType?: z.ZodType;
  options?: z.ZodType[];
}

const WRAPPERS = new Set(['optional', 'nullable', 'default', 'prefault', 'readonly', 'nonoptional', 'catch']);

function defOf(schema: z.ZodType): Def {
  return (schema as unknown as { _zod: { def: Def } })._zod.def;
}

function decodeAt(schema: z.ZodType, value: unknown): unknown {
  if (value === null || value === undefined || !hasCodec(schema)) return value;
  if (schema instanceof z.ZodCodec) {
    const decoded = z.safeDecode(schema, value);
    return decoded.success ? decoded.data : value;
  }
  const def = defOf(schema);
  if (WRAPPERS.has(def.type) && def.innerType) return decodeAt(def.innerType, value);
  if (def.type === 'pipe' && def.in) return decodeAt(def.in, value);
  if (def.type === 'array' && def.element && Array.isArray(value)) {
    const element = def.element;
    return value.map((item) => decodeAt(element, item));
  }
  if (def.type === 'object' && def.shape && isRecord(value)) {
    let copy: Record<string, unknown> | undefined;
    for (const [key, field] of Object.entries(def.shape)) {
      if (!(key in value) || !hasCodec(field)) continue;
      const decoded = decodeAt(field, value[key]);
      if (decoded !== value[key]) (copy ??= { ...value })[key] = decoded;
    }
    return copy ?? value;
  }
  if (def.type === 'record' && def.valueType && isRecord(value)) {
    const valueType = def.valueType;
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, decodeAt(valueType, item)]));
  }
  // Unions and lazy schemas are not followed: which branch a value takes is ambiguous, so no catalog entry
  // puts a codec inside one.
  return value;
}

const codecMemo = new WeakMap<object, boolean>();

/** Whether a codec is reachable through objects, arrays, records and wrappers (memoized per schema). */
function hasCodec(schema: z.ZodType): boolean {
  const known = codecMemo.get(schema);
  if (known !== undefined) return known;
  codecMemo.set(schema, false); // a cycle (lazy) counts as no codec
  let result = schema instanceof z.ZodCodec;
  if (!result) {
    const def = defOf(schema);
    const children: Array<z.ZodType | undefined> =
      def.type === 'object'
        ? Object.values(def.shape ?? {})
        : [def.innerType, def.type === 'pipe' ? def.in : undefined, def.element, def.valueType];
    result = children.some((child) => child !== undefined && hasCodec(child));
  }
  codecMemo.set(schema, result);
  return result;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
