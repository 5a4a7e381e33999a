import type { z } from 'zod';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/**
 * How a Gong list endpoint pages: the cursor goes in the query string for GET and in the JSON body for
 * POST (Gong silently returns page 1 again when a POST gets it in the query).
 */
export interface CursorPagination {
  /** The response key holding the page's records, e.g. `users`, `calls`. */
  itemsKey: string;
}

export interface RetryDefaults {
  maximumAttempts: number;
  initialIntervalMs: number;
  backoffCoefficient: number;
  maximumIntervalMs: number;
}

/**
 * One Gong operation, as data. Activities, validation, scope checks and docs all derive from these
 * entries: adding an endpoint is adding one entry.
 */
export interface GongActionDefinition<
  Input extends z.ZodType = z.ZodType,
  Response extends z.ZodType = z.ZodType,
> {
  /** Stable action name used in definitions, e.g. `gong.users.list`. */
  name: string;
  summary: string;
  method: HttpMethod;
  /** Path with `{param}` placeholders filled from same-named input fields, e.g. `/v2/calls/{id}`. */
  path: string;
  /**
   * Where the input fields that are not path parameters go. GET and DELETE-without-body use `query`.
   * `multipart` sends them as form-data (media upload).
   */
  inputIn: 'query' | 'body' | 'multipart' | 'none';
  /** The step's input: path parameters by name, plus the query or body fields. */
  input: Input;
  /**
   * Gong's response body for one request (one page for paginated actions), `requestId` included.
   * The step's output derives from it: see `actionOutputSchema`.
   */
  response: Response;
  /** Scopes a Bearer (OAuth) token needs for this operation. */
  scopes: readonly string[];
  pagination?: CursorPagination;
  /** A 404 with Gong's "No calls found corresponding to the provided filters" means an empty result. */
  emptyOnNoCallsFound?: boolean;
  /** Safe to repeat with the same input (GET, PUT of the same state): retried freely. */
  idempotent: boolean;
  timeoutMs: number;
  retry: RetryDefaults;
}

export type GongActionInput<A extends GongActionDefinition> = z.infer<A['input']>;
export type GongActionResponse<A extends GongActionDefinition> = z.infer<A['response']>;
