import { z } from 'zod';
import { GONG_REQUEST_ACTION_NAME } from './request';
import type { GongActionDefinition } from './types';

/** A field of an action's input the catalog does not know: validated nowhere, sent to Gong as given. */
export interface UnknownInputField {
  /** Where the object holding it is, from the input root (`[]` for a top-level field). */
  path: Array<string | number>;
  key: string;
  /** The fields the catalog knows at that place, for "did you mean" hints. */
  known: string[];
}

export type LenientParseResult<T = unknown> =
  { success: true; data: T; unknownFields: UnknownInputField[] } | { success: false; error: z.ZodError };

/**
 * Gong ignores or accepts fields its export does not list (real clients send `limit`, `speakerId`, a profile
 * `id` ... and get 200), so gongflow does not refuse them: an action's input is validated field by field as
 * the catalog says, and fields the catalog does not know are reported (the validator warns, with "did you
 * mean") and kept in the data, so they are sent where the action's other fields go. Any other problem is an
 * error as before. `gong.request` stays strict: its fields are gongflow's own, not Gong's.
 */
export function parseActionInput(action: GongActionDefinition, input: unknown): LenientParseResult {
  if (action.name === GONG_REQUEST_ACTION_NAME) {
    const result = action.input.safeParse(input);
    return result.success ? { success: true, data: result.data, unknownFields: [] } : result;
  }
  return parseLenient(action.input, input);
}

/** `schema.safeParse`, except that unknown keys of (strict) objects are reported and kept instead of failing. */
export function parseLenient(schema: z.ZodType, value: unknown): LenientParseResult {
  const first = schema.safeParse(value);
  if (first.success) return { success: true, data: first.data, unknownFields: [] };
  const others = first.error.issues.filter((issue) => issue.code !== 'unrecognized_keys');
  if (others.length > 0) return { success: false, error: new z.ZodError(others) };
  const unknownFields = first.error.issues.flatMap((issue) => {
    const path = issue.path.filter((key): key is string | number => typeof key !== 'symbol');
    const keys = issue.code === 'unrecognized_keys' ? issue.keys : [];
    return keys.map((key) => ({ path, key, known: knownKeysAt(schema, path) }));
  });
  const stripped = copyJson(value);
  for (const field of unknownFields) {
    const holder = valueAt(stripped, field.path);
    if (isRecord(holder)) delete holder[field.key];
  }
  const second = schema.safeParse(stripped);
  if (!second.success) return { success: false, error: second.error };
  for (const field of unknownFields) {
    const source = valueAt(value, field.path);
    const target = valueAt(second.data, field.path);
    if (isRecord(source) && isRecord(target)) target[field.key] = source[field.key];
  }
  return { success: true, data: second.data, unknownFields };
}

interface Def {
  type: string;
  innerType?: z.ZodType;
  element?: z.ZodType;
  shape?: Record<string, z.ZodType>;
  in?: z.ZodType;
}

/** Keys of the object schema at `path` (through optional/nullable wrappers and arrays); [] when unclear. */
function knownKeysAt(schema: z.ZodType, path: ReadonlyArray<string | number>): string[] {
  let current: z.ZodType | undefined = schema;
  let index = 0;
  while (current) {
    const def: Def = (current as unknown as { _zod: { def: Def } })._zod.def;
    if (def.innerType) current = def.innerType;
    else if (def.type === 'pipe') current = def.in;
    else if (index === path.length) return def.type === 'object' ? Object.keys(def.shape ?? {}) : [];
    else if (def.type === 'object') current = def.shape?.[String(path[index++])];
    else if (def.type === 'array') {
      index += 1;
      current = def.element;
    } else return [];
  }
  return [];
}

function valueAt(value: unknown, path: ReadonlyArray<string | number>): unknown {
  let current = value;
  for (const key of path) {
    if (Array.isArray(current) && typeof key === 'number') current = current[key];
    else if (isRecord(current)) current = current[String(key)];
    else return undefined;
  }
  return current;
}

/** A deep copy of plain JSON-like data (no structuredClone: this module also runs in workflow code). */
function copyJson(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(copyJson);
  if (isRecord(value))
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, copyJson(item)]));
  return value;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
