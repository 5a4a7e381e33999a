import type { GongActionDefinition } from '../catalog/types';

export interface GongHttpRequest {
  method: string;
  /** Path with parameters filled in, e.g. `/v2/calls/123`. */
  path: string;
  query: Record<string, string>;
  json: Record<string, unknown> | undefined;
}

/** gongflow options that shape the call but are never sent to Gong. */
const CLIENT_OPTIONS = new Set(['maxItems']);

/**
 * Turns an action and its input into one HTTP request: path parameters by name, the rest into the query
 * (GET) or the JSON body. The cursor goes where Gong reads it: query for GET, body for POST.
 */
export function buildGongRequest(
  action: GongActionDefinition,
  input: Record<string, unknown>,
  cursor?: string,
): GongHttpRequest {
  const remaining: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(input))
    if (!CLIENT_OPTIONS.has(key) && value !== undefined) remaining[key] = value;
  const path = action.path.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = remaining[name];
    delete remaining[name];
    if (value === undefined || value === null)
      throw new Error(`${action.name}: path parameter "${name}" is missing`);
    return encodeURIComponent(scalarText(value));
  });
  const query: Record<string, string> = {};
  let json: Record<string, unknown> | undefined;
  if (action.inputIn === 'query') {
    for (const [key, value] of Object.entries(remaining)) query[key] = scalarText(value);
    if (cursor) query['cursor'] = cursor;
  } else if (action.inputIn === 'body') {
    json = { ...remaining, ...(cursor ? { cursor } : {}) };
  }
  return { method: action.method, path, query, json };
}

/** Query and path values: scalars as text, lists comma-separated, objects as JSON. */
function scalarText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
    return value.toString();
  if (Array.isArray(value)) return value.map(scalarText).join(',');
  return JSON.stringify(value);
}
