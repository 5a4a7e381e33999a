import { z } from 'zod';
import { DEFAULT_WRITE_RETRY, PaginationControls } from './common';
import type { GongActionDefinition } from './types';

export const GONG_REQUEST_ACTION_NAME = 'gong.request';

const QueryValue = z.union([z.string(), z.number(), z.boolean()]);

/**
 * A path on the connection's own API host. Only `/v2/...` paths: the credentials never leave for another host,
 * and `..` or a scheme cannot redirect them.
 */
const GongApiPath = z
  .string()
  .regex(/^\/v2\/[A-Za-z0-9\-._~%/]*$/, 'a Gong API path such as /v2/calls/7782342274025937895')
  .refine((path) => !path.split('/').some((segment) => segment === '..' || segment === '.'), {
    message: 'the path may not contain "." or ".." segments',
  });

/**
 * Any Gong API operation, including ones the catalog does not list yet (Cobalt's "HTTP Request"): sent with
 * the connection's auth to its API host, paced by the company's budget, errors classified like every action.
 * Not part of GONG_ACTION_GROUPS (it is no Gong operation of its own): `findGongAction` resolves it.
 */
export const gongRequestAction = {
  name: GONG_REQUEST_ACTION_NAME,
  summary: "Call any Gong API path with the connection's credentials.",
  method: 'POST',
  path: '/v2/{path}',
  inputIn: 'body',
  input: z.strictObject({
    method: z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']).describe('HTTP method.'),
    path: GongApiPath.describe("Path on the connection's Gong API host, starting with /v2/."),
    query: z
      .record(z.string(), z.union([QueryValue, z.array(QueryValue)]))
      .optional()
      .describe('Query string parameters; lists are sent comma-separated.'),
    body: z.unknown().optional().describe('JSON body (object or array). GET bodies are sent too.'),
    itemsKey: z
      .string()
      .min(1)
      .optional()
      .describe(
        'Follow Gong cursors and merge this response key of every page (cursor in the query for GET, in the body otherwise).',
      ),
    ...PaginationControls,
  }),
  response: z.unknown(),
  scopes: [],
  scopeSource: 'unknown',
  semantics: 'unsafe',
  timeoutMs: 120_000,
  retry: DEFAULT_WRITE_RETRY,
  example: {
    method: 'GET',
    path: '/v2/calls',
    query: { fromDateTime: '2024-05-01T00:00:00Z' },
    itemsKey: 'calls',
  },
  source: 'observed',
  notes:
    "The output is Gong's body without `requestId`; with `itemsKey` it is `{<itemsKey>: [...], totalRecords, truncated}`. Scopes are unknown: the validator cannot check them, Gong answers 401 naming a missing scope. A GET or a listing (`itemsKey`) is a read; anything else is an unsafe write (gongflow cannot know what the path does): at most once, unless the step sets `onUnknownOutcome: resend`.",
} satisfies GongActionDefinition;
