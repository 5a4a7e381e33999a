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

/**
 * What repeating an action's request does, which decides what a retry may do after an ambiguous outcome: a
 * timeout, a connection lost after the request was sent, a worker lost mid-request, a 5xx (Gong may have
 * done the work and failed to answer).
 *
 * - `read`: changes nothing in Gong; retried freely.
 * - `idempotent`: a repeat leaves the same state (PUT of a whole object, DELETE, an erasure); retried freely.
 * - `keyed`: the input carries a key Gong deduplicates on (`key`): the retry sends the same key again, and
 *   Gong's "already done" answer to it is a success that returns the existing object.
 * - `unsafe`: a repeat acts twice (a second meeting, a second flow enrollment): after an ambiguous outcome
 *   the step fails with `GongWriteOutcomeUnknown` and is never resent, unless the step opts in.
 */
export type WriteSemantics = 'read' | 'idempotent' | 'keyed' | 'unsafe';

/** A key Gong deduplicates a write on, and what the step returns when Gong says it was already done. */
export interface WriteKey {
  /** The input field holding the key. A write whose input lacks it is `unsafe`. */
  field: string;
  /** Gong's answer to a repeated key: this status, and one of these texts in its errors when given. */
  repeated: { status: number; messages?: readonly string[] };
  /** The existing object, shaped as the output of a first-time success. */
  existing: ExistingObject;
}

/** Where the output of an already-done keyed write comes from. Catalog code: never part of a plan. */
export type ExistingObject =
  /** The input holds everything the output has (`{ clientRequestId }`). */
  | { from: 'input'; output: (input: Record<string, unknown>) => Record<string, unknown> }
  /**
   * Read back with a catalog read (`action`, with `input(input)`); `pick` finds the object in its output and
   * shapes it (undefined: not found, e.g. Gong does not list it yet).
   */
  | {
      from: 'lookup';
      action: string;
      input: (input: Record<string, unknown>) => Record<string, unknown>;
      pick: (found: unknown, input: Record<string, unknown>) => Record<string, unknown> | undefined;
    };

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
  /** What sending the request again does: decides what a retry may do after an ambiguous outcome. */
  semantics: WriteSemantics;
  /** For `keyed` actions: the key Gong deduplicates on, and how to read back what it deduplicated. */
  key?: WriteKey;
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
