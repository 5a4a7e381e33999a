/**
 * The gongflow HTTP API's request and response models, as plain TypeScript: standalone (no server code,
 * no zod), written against the API's OpenAPI document (`GET /openapi.json`). The server's schemas are
 * checked against these in the gongflow repository (test/client/types-match-api.ts), so they cannot drift.
 *
 * Optional fields of requests accept `undefined` too, so projects with `exactOptionalPropertyTypes` can
 * pass values through.
 */

/** A run's status. Temporal's `Canceled` is `cancelled` here. */
export type RunStatus =
  | 'running'
  | 'completed'
  | 'failed'
  | 'cancelled'
  | 'terminated'
  | 'timed_out'
  | 'continued_as_new'
  | 'unknown';

/** Statuses of a run that ended without completing: its result carries a `failure`. */
export type FailedRunStatus = 'failed' | 'cancelled' | 'terminated' | 'timed_out';

export interface RunSummary {
  /** The run id (its Temporal workflow id). */
  id: string;
  temporalRunId: string;
  status: RunStatus;
  definition?: string;
  version?: string;
  hash?: string;
  connection?: string;
  /** What started it: api, schedule, webhook, poller, rerun, ... */
  trigger?: string;
  /** The run this one reruns. */
  rerunOf?: string;
  startedAt: string;
  closedAt?: string;
  /** The run in the Temporal Web UI, when known. */
  uiUrl?: string;
}

export interface RunFailure {
  /** Stable failure type, e.g. HttpStepError, GongNotFoundError, StepTimeoutError. */
  type?: string;
  message: string;
}

/** A run that completed: its output. */
export interface CompletedRunResult {
  id: string;
  status: 'completed';
  output: unknown;
}

/** A run that ended without completing: why. */
export interface FailedRunResult {
  id: string;
  status: FailedRunStatus;
  failure: RunFailure;
}

/** A run that has not ended (or whose status Temporal could not tell). */
export interface PendingRunResult {
  id: string;
  status: 'running' | 'continued_as_new' | 'unknown';
}

/** A run's outcome, tagged by `status`: `completed` has `output`, the failed statuses have `failure`. */
export type RunResult = CompletedRunResult | FailedRunResult | PendingRunResult;

/** The outcome of a run that ended. */
export type FinishedRunResult = CompletedRunResult | FailedRunResult;

export interface StartRunRequest {
  /** Definition name, or name@version. */
  definition: string;
  input?: Record<string, unknown> | undefined;
  /** Gong connection id; default: the definition's connection. */
  connection?: string | undefined;
}

export interface StartRunResponse {
  run: RunSummary;
  /** false when an Idempotency-Key matched an earlier start. */
  created: boolean;
  /** Present when waitMs was given. */
  result?: RunResult;
}

export type StepStatus = 'running' | 'completed' | 'skipped' | 'failed';

export interface WaitingInfo {
  for: 'approval' | 'signal';
  /** The signal name, or the approval step id. */
  name: string;
  /** Approvals: the question asked. */
  prompt?: unknown;
  /** Approvals: who may decide (empty: anyone). */
  approvers?: string[];
  /** When the wait times out (ISO-8601). */
  until: string;
}

export interface StepProgress {
  id: string;
  /** Unique position in the run, e.g. `each[3]/notify` inside a loop iteration. */
  path?: string;
  /** Path of the enclosing step (if, switch, parallel, forEach, try). */
  parent?: string;
  /** Nesting depth (0: top level). */
  depth?: number;
  title?: string;
  kind: string;
  status: StepStatus;
  startedAt: string;
  endedAt?: string;
  durationMs?: number;
  error?: string;
  errorType?: string;
  /** Taken over from the run this one reruns: the step did not run again. */
  reused?: boolean;
  /** Present while the step waits for a signal or an approval. */
  waiting?: WaitingInfo;
}

export interface RetryingActivity {
  activityId: string;
  activityType: string;
  /** The attempt running or scheduled now (2 = the first retry). */
  attempt: number;
  /** Why the previous attempt failed. */
  lastError?: string;
}

export interface StepLog {
  id: string;
  definition: string;
  hash: string;
  status: 'running' | 'completed' | 'failed';
  /** Steps in the order they started. */
  steps: StepProgress[];
  /** Paths of the steps running now. */
  current?: string[];
  /** Outputs of the top-level steps so far. */
  outputs?: Record<string, unknown>;
  droppedSteps?: number;
  continuedAsNew?: number;
  /** The run this one reruns. */
  rerunOf?: string;
  /** Activities (Gong calls, http requests) Temporal is retrying now. */
  retrying?: RetryingActivity[];
}

export interface RunListQuery {
  definition?: string | undefined;
  connection?: string | undefined;
  trigger?: string | undefined;
  status?: RunStatus | undefined;
  /** Page size (1 to 1000, default 50). */
  limit?: number | undefined;
  /** nextPageToken of the previous page (with the same filters). */
  pageToken?: string | undefined;
}

export interface RunPage {
  runs: RunSummary[];
  /** Present while more runs may follow: pass it as pageToken for the next page. */
  nextPageToken?: string;
}

export interface ApprovalRequest {
  approved: boolean;
  /** Approvals are made as the API key's name: leave it out, or send exactly that name. */
  by?: string | undefined;
  comment?: string | undefined;
}

export interface ApprovalAnswer {
  run: RunSummary;
  approval: { step: string; approved: boolean; by: string };
}

export interface SignalAnswer {
  run: RunSummary;
  /** waiting: a step was waiting and took it; queued: kept for the next step that waits for it. */
  signal: { name: string; delivered: 'waiting' | 'queued' };
}

export interface RerunAnswer {
  /** The new run. */
  run: RunSummary;
  /** The run it reruns. */
  rerunOf: string;
}

/** What a run recorded of one step (GET /v1/runs/{id}/record). */
export interface RecordedStep {
  kind: string;
  status: 'running' | 'completed' | 'failed' | 'skipped';
  /** Order in which the steps ended. */
  seq: number;
  output?: unknown;
  /** Evaluated input of action, http and run steps (secrets stay `$secret` references). */
  input?: unknown;
  error?: { type?: string; message: string };
  /** The child run the step ran in (run steps; forEach batches). */
  child?: string;
  /** Taken over from the run this one reruns. */
  reused?: boolean;
}

/** Every step a run recorded, by path (`each[3]/notify` inside loops), with its plan and input. */
export interface RunRecord {
  id: string;
  steps: Record<string, RecordedStep>;
  plan?: Record<string, unknown>;
  input?: Record<string, unknown>;
  trigger?: unknown;
  rerunOf?: string;
  resumedAt?: Record<string, unknown>;
}

/** A problem found in a definition: stable code, position and a fix. */
export interface Problem {
  code: string;
  message: string;
  file?: string;
  line?: number;
  column?: number;
  path?: string;
  hint?: string;
  [key: string]: unknown;
}

export interface DefinitionSummary {
  name: string;
  version?: string;
  /** Path relative to the definitions folder. */
  file: string;
  valid: boolean;
  description?: string;
  /** sha256 of the compiled plan. */
  hash?: string;
  requiredScopes?: string[];
  problems: Problem[];
}

export interface DefinitionDetail {
  definition: DefinitionSummary;
  /** The compiled, content-hashed plan a run of it executes. */
  plan: Record<string, unknown>;
}

export interface ValidateResponse {
  valid: boolean;
  problems: Problem[];
  /** Not errors (the definition is valid with them), e.g. an action input the catalog does not know. */
  warnings: Problem[];
  plan?: Record<string, unknown>;
}

export interface Trigger {
  type: 'poller' | 'schedule' | 'webhook';
  /** Temporal workflow or schedule id of the trigger. */
  id: string;
  definition: string;
  /** Which trigger of the definition. */
  key: string;
  connection: string;
  status: string;
  lastEvent: string | null;
  /** A poller's cursor, or a schedule's next action time. */
  cursor: string | null;
  detail: string;
}

export interface TriggerTarget {
  definition: string;
  connection: string;
  /** Only this trigger of the definition; default: all. */
  key?: string | undefined;
}

/** A trigger undeploy removed. */
export interface RemovedTrigger {
  type: 'poller' | 'schedule' | 'webhook';
  /** Temporal workflow or schedule id that held the trigger. */
  id: string;
  definition: string;
  key: string;
  connection: string;
  /** What became of it (and of the webhook endpoint and its keys). */
  detail: string;
}

/** A key of a connection's Gong webhook endpoint, by id (never by value). */
export interface WebhookKey {
  /** pk_<12 hex> (public key) or uk_<12 hex> (URL key): the SHA-256 of the key, cut. */
  id: string;
  type: 'public-key' | 'url-key';
  detail: string;
}

export interface WebhookKeyList {
  connection: string;
  keys: WebhookKey[];
}

export interface AddWebhookKeysRequest {
  /** Gong connection whose webhook endpoint holds the keys. */
  connection: string;
  /** A Gong rule's public key (base64 SPKI or PEM). */
  publicKey?: string | undefined;
  /** A URL key, or true to generate one (answered once, in urlKey and url). */
  urlKey?: string | true | undefined;
}

export interface AddedWebhookKeys {
  added: WebhookKey[];
  /** The generated URL key: shown this once, gongflow keeps only its hash. */
  urlKey?: string;
  /** The Gong rule's destination URL with the generated key (needs http.publicUrl). */
  url?: string;
}

export interface RevokedWebhookKey {
  revoked: WebhookKey;
  remaining: WebhookKey[];
}

export interface CreateConnectLinkRequest {
  /** Customer the Gong belongs to; default: the connection id. */
  customer?: string | undefined;
  /** How long the link works (60 s to 30 days); default a week. */
  expiresInSeconds?: number | undefined;
}

export interface ConnectLinkResponse {
  /** The link to send to the customer's Gong technical administrator. */
  url: string;
  connectionId: string;
  customer: string;
  /** ISO-8601; the link is refused (410) after it. */
  expiresAt: string;
}

/** Error codes the API answers with (and the client's own: API_UNREACHABLE, RUN_WAIT_TIMEOUT). */
export type KnownErrorCode =
  | 'API_UNAUTHORIZED'
  | 'API_INVALID_REQUEST'
  | 'API_ROUTE_NOT_FOUND'
  | 'API_RATE_LIMITED'
  | 'API_INTERNAL'
  | 'API_UNREACHABLE'
  | 'TEMPORAL_UNAVAILABLE'
  | 'DEFINITION_NOT_FOUND'
  | 'DEFINITION_INVALID'
  | 'RUN_NOT_FOUND'
  | 'RUN_INVALID_INPUT'
  | 'RUN_NO_CONNECTION'
  | 'RUN_MISSING_SCOPE'
  | 'RUN_ALREADY_CLOSED'
  | 'RUN_NOT_RERUNNABLE'
  | 'RUN_IDEMPOTENCY_KEY_REUSED'
  | 'RUN_LIST_BAD_PAGE_TOKEN'
  | 'RUN_STEPS_UNAVAILABLE'
  | 'RUN_NO_WORKER'
  | 'RUN_WAIT_TIMEOUT'
  | 'RUN_STEP_NOT_FOUND'
  | 'RUN_STEP_NOT_APPROVAL'
  | 'RUN_STEP_NOT_WAITING'
  | 'RUN_STEP_AMBIGUOUS'
  | 'RUN_APPROVER_NOT_ALLOWED'
  | 'RUN_APPROVER_IDENTITY_MISMATCH'
  | 'RUN_SIGNAL_NOT_FOUND'
  | 'RUN_SIGNAL_INVALID_PAYLOAD';

/** A known code, or another the server may add (still a string). */
export type ErrorCode = KnownErrorCode | (string & {});

/** The body of every error answer. */
export interface ApiErrorBody {
  code: ErrorCode;
  message: string;
  /** What to do about it. */
  hint?: string;
  /** Individual problems (positions in a definition, invalid request fields). */
  details?: Array<{ code?: string; message: string; path?: string; [key: string]: unknown }>;
}
