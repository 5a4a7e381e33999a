import { PAGINATION_CONTROL_KEYS } from './common';
import type { GongActionDefinition } from './types';

/** Where each input field of one call travels, as the catalog entry says. The cursor is not included. */
export interface GongWireRequest {
  method: GongActionDefinition['method'];
  /** The path with parameters filled in and URL-encoded, e.g. `/v2/calls/7782342274025937895`. */
  path: string;
  query: Record<string, string>;
  /** The JSON body: an object of the body fields, or the `bodyField` value itself; undefined when none. */
  body: unknown;
  /** Multipart parts (`FileSource` values) for `inputIn: 'multipart'`. */
  files: Record<string, unknown>;
}

const CLIENT_ONLY = new Set(PAGINATION_CONTROL_KEYS);

/**
 * Splits a validated input into path, query, JSON body and multipart parts, following the entry's
 * `inputIn`, `queryFields` and `bodyField`. gongflow-only fields (`maxItems`) are dropped. Fields the catalog
 * does not know (sent as given, see `parseActionInput`) go to the JSON body of an object-body action and to
 * the query string of every other one (GETs, bare-array bodies, multipart uploads). Paginated callers add the
 * cursor themselves: to `query` for GET, to the body object for POST.
 */
export function toWireRequest(action: GongActionDefinition, input: Record<string, unknown>): GongWireRequest {
  const remaining = new Map(
    Object.entries(input).filter(([key, value]) => !CLIENT_ONLY.has(key) && value !== undefined),
  );
  const path = action.path.replace(/\{(\w+)\}/g, (_placeholder, name: string) => {
    const value = remaining.get(name);
    remaining.delete(name);
    if (value === undefined || value === null)
      throw new Error(`${action.name}: path parameter "${name}" is missing`);
    return encodeURIComponent(queryText(value));
  });
  const known = knownFields(action);
  const objectBody = action.inputIn === 'body' && !action.bodyField;
  const query: Record<string, string> = {};
  const queryFields =
    action.inputIn === 'query'
      ? [...remaining.keys()]
      : [
          ...(action.queryFields ?? []),
          ...(objectBody ? [] : [...remaining.keys()].filter((key) => !known.has(key))),
        ];
  for (const name of queryFields) {
    const value = remaining.get(name);
    remaining.delete(name);
    if (value !== undefined) query[name] = queryText(value);
  }
  let body: unknown;
  let files: Record<string, unknown> = {};
  if (action.inputIn === 'body')
    body = action.bodyField ? remaining.get(action.bodyField) : Object.fromEntries(remaining);
  else if (action.inputIn === 'multipart') files = Object.fromEntries(remaining);
  return { method: action.method, path, query, body, files };
}

function knownFields(action: GongActionDefinition): Set<string> {
  const shape = (action.input as unknown as { shape?: Record<string, unknown> }).shape;
  return new Set(Object.keys(shape ?? {}));
}

/** Query and path values: scalars as text, lists comma-separated. */
function queryText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
    return value.toString();
  if (Array.isArray(value)) return value.map(queryText).join(',');
  return JSON.stringify(value);
}
