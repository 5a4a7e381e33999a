import { GONG_REQUEST_ACTION_NAME } from '../catalog/request';
import type { GongActionDefinition } from '../catalog/types';
import { toWireRequest } from '../catalog/wire';

export interface GongHttpRequest {
  method: string;
  /** Path with parameters filled in, e.g. `/v2/calls/123`. */
  path: string;
  query: Record<string, string>;
  /** The JSON body: an object, a bare array (`bodyField` actions), or undefined for none. */
  json: unknown;
  /** Multipart parts by name: `FileSource` values are uploaded as files, anything else as a text part. */
  files?: Record<string, unknown>;
}

/**
 * Turns an action and its input into one HTTP request, as the catalog entry says (`toWireRequest`: path,
 * query, JSON body, multipart parts). The cursor goes where Gong reads it: the query for GET, the JSON body
 * otherwise (a POST with the cursor in its query silently gets page 1 again).
 */
export function buildGongRequest(
  action: GongActionDefinition,
  input: Record<string, unknown>,
  cursor?: string,
): GongHttpRequest {
  const wire =
    action.name === GONG_REQUEST_ACTION_NAME
      ? genericWire(input)
      : { ...toWireRequest(action, input), multipart: action.inputIn === 'multipart' };
  const query = { ...wire.query };
  let json = wire.body;
  if (cursor !== undefined) {
    if (wire.method === 'GET') query['cursor'] = cursor;
    else json = { ...(isPlainObject(json) ? json : {}), cursor };
  }
  return {
    method: wire.method,
    path: wire.path,
    query,
    json,
    ...(wire.multipart ? { files: wire.files } : {}),
  };
}

/** The `gong.request` action: method, path, query and body come from the input itself. */
function genericWire(input: Record<string, unknown>) {
  const query: Record<string, string> = {};
  type Scalar = string | number | boolean;
  for (const [key, value] of Object.entries((input['query'] as Record<string, Scalar | Scalar[]>) ?? {}))
    query[key] = Array.isArray(value) ? value.map(String).join(',') : String(value);
  return {
    method: String(input['method']),
    path: String(input['path']),
    query,
    body: input['body'],
    files: {},
    multipart: false,
  };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
