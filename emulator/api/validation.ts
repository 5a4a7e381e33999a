import type { z } from 'zod';
import { GongApiError } from '../core/api-error';

/** Parses a request body at the boundary; Gong answers 400 with what is wrong. */
export function parseBody<S extends z.ZodType>(schema: S, body: unknown): z.infer<S> {
  const result = schema.safeParse(body ?? {});
  if (result.success) return result.data;
  throw new GongApiError(
    400,
    result.error.issues.map((issue) => `${issue.path.join('.') || 'body'}: ${issue.message}`),
  );
}

/** ISO-8601 date-time (with offset) to epoch ms; undefined stays undefined. */
export function parseTime(value: string | null | undefined, name: string): number | undefined {
  if (value === null || value === undefined || value === '') return undefined;
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new GongApiError(400, `${name} is not a valid ISO-8601 date-time: ${value}`);
  return ms;
}

export function requireQuery(query: Record<string, string | undefined>, name: string): string {
  const value = query[name];
  if (value === undefined || value === '') throw new GongApiError(400, `Missing required parameter: ${name}`);
  return value;
}
