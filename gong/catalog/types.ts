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
 * Where an operation is documented: one of Gong's two official OpenAPI exports, Gong's help center API
 * pages (endpoints added after the last export), or only real recorded Gong answers and integrators' code.
 */
export type GongActionSource = 'openapi-2024-11' | 'openapi-2024-02' | 'help-center' | 'observed';

/**
 * Where `scopes` comes from. `gong`: Gong's own text or a real 401 answer naming the scope. `integrators`:
 * Gong states none, the scope comes from integrators' scope lists. `unknown`: nobody documents one, `scopes`
 * is empty and scope checks cannot vouch for the action.
 */
export type GongScopeSource = 'gong' | 'integrators' | 'unknown';

/** Gong's own labels: `beta` (Beta / limited release: 403 until Gong enables it), `legacy`, `dev-only`. */
export type GongActionStability = 'ga' | 'beta' | 'legacy' | 'dev-only';

/** Extra scopes an input needs when the field at `inputPath` is truthy. Plain data: plans can carry it. */
export interface ConditionalScopes {
  /** Field names from the input root, e.g. `['contentSelector', 'exposedFields', 'media']`. */
  inputPath: readonly string[];
  scopes: readonly string[];
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
   * `multipart` sends them as form-data parts (file fields hold a `FileSource`, see common.ts).
   */
  inputIn: 'query' | 'body' | 'multipart' | 'none';
  /**
   * Input fields sent on the query string although `inputIn` is `body` or `multipart`: Gong mixes both on
   * some operations (e.g. `integrationId` and `objectType` of the CRM uploads).
   */
  queryFields?: readonly string[];
  /**
   * When set, the request body is this input field's value itself (a JSON array for the CRM schema upload
   * and CRM object lookup) rather than an object of the remaining fields.
   */
  bodyField?: string;
  /** The step's input: path parameters by name, plus the query or body fields. */
  input: Input;
  /**
   * Gong's response body for one request (one page for paginated actions), `requestId` included.
   * The step's output derives from it: see `actionOutputSchema`.
   */
  response: Response;
  /** Scopes a Bearer (OAuth) token needs for this operation. */
  scopes: readonly string[];
  /** Where `scopes` comes from; absent means `gong`. */
  scopeSource?: GongScopeSource;
  /** Scopes needed only for some inputs, e.g. media URLs of the extensive call data. */
  conditionalScopes?: readonly ConditionalScopes[];
  pagination?: CursorPagination;
  /**
   * Gong answers searches that match nothing with 404 and one of these messages ("No calls found corresponding
   * to the provided filters"): the client reads such an answer as an empty result. Other 404s stay errors.
   */
  emptyOn404Messages?: readonly string[];
  /** Safe to repeat with the same input (GET, PUT of the same state): retried freely. */
  idempotent: boolean;
  timeoutMs: number;
  retry: RetryDefaults;
  /**
   * A realistic input that parses with `input`: rendered in docs/actions.md and sent to the emulator by
   * the conformance tests.
   */
  example: z.input<Input>;
  /** Where the operation is documented. */
  source: GongActionSource;
  /** Absent means `ga`. */
  stability?: GongActionStability;
  /** Gong's reference page for the operation. */
  docsUrl?: string;
  /** Caveats worth a line in the docs (credits consumed, async processing, odd parameter names...). */
  notes?: string;
}

/** An operation of Gong's exports (or help center) deliberately without a catalog entry. */
export interface LeftOutGongOperation {
  method: HttpMethod;
  path: string;
  source: GongActionSource | 'third-party';
  reason: string;
}

export type GongActionInput<A extends GongActionDefinition> = z.infer<A['input']>;
export type GongActionResponse<A extends GongActionDefinition> = z.infer<A['response']>;
