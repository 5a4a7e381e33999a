import type { z } from 'zod';

/**
 * The fields of `value` that `schema` does not describe, as paths (`users[].conferencingProviders`), looking
 * through optional/nullable wrappers and codecs (their wire side). The catalog's response schemas are loose
 * (a new Gong field must never fail a run), so parsing alone cannot tell an emulator that invents fields:
 * this can. Maps (`z.record`) and `z.unknown()` accept anything; a union takes its closest option.
 */
export function undescribedFields(schema: z.ZodType, value: unknown, path = ''): string[] {
  const def = defOf(schema);
  if (value === null || value === undefined) return [];
  switch (def.type) {
    case 'optional':
    case 'nullable':
    case 'default':
    case 'prefault':
    case 'readonly':
    case 'nonoptional':
    case 'catch':
      return def.innerType ? undescribedFields(def.innerType, value, path) : [];
    case 'pipe':
      return def.in ? undescribedFields(def.in, value, path) : [];
    case 'object': {
      if (typeof value !== 'object' || Array.isArray(value)) return [];
      const shape = def.shape ?? {};
      return Object.entries(value as Record<string, unknown>).flatMap(([key, item]) => {
        const field = shape[key];
        const at = path ? `${path}.${key}` : key;
        return field ? undescribedFields(field, item, at) : [at];
      });
    }
    case 'array':
      return Array.isArray(value) && def.element
        ? unique(value.flatMap((item) => undescribedFields(def.element!, item, `${path}[]`)))
        : [];
    case 'record':
      return typeof value === 'object' && def.valueType
        ? unique(
            Object.values(value as Record<string, unknown>).flatMap((item) =>
              undescribedFields(def.valueType!, item, `${path}.*`),
            ),
          )
        : [];
    case 'union': {
      const fits = (def.options ?? []).filter((option) => option.safeParse(value).success);
      const candidates = (fits.length > 0 ? fits : (def.options ?? [])).map((option) =>
        undescribedFields(option, value, path),
      );
      return candidates.sort((a, b) => a.length - b.length)[0] ?? [];
    }
    default:
      return [];
  }
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

function defOf(schema: z.ZodType): Def {
  return (schema as unknown as { _zod: { def: Def } })._zod.def;
}

function unique(paths: string[]): string[] {
  return [...new Set(paths)];
}
