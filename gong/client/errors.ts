import { FAILURE_TYPES, type FailureType } from '../../core/failure-types';

/** A Gong answer that is not a success, classified so retries and catch clauses can act on it. */
export class GongApiError extends Error {
  constructor(
    readonly status: number,
    readonly failureType: FailureType,
    message: string,
    readonly requestId: string | undefined,
    readonly retryAfterMs: number | undefined,
    /** For a missing OAuth scope: the scope Gong named. */
    readonly missingScope: string | undefined,
    /** For a request without an answer (status 0): it failed before any byte was sent (refused, no DNS). */
    readonly notSent = false,
  ) {
    super(message);
    this.name = 'GongApiError';
  }

  /**
   * Whether Gong may have done what the request asked although the answer says otherwise, or there is none:
   * a timeout or a connection lost after sending (the request may have arrived), or a 5xx (a 500 can come
   * after the work was committed; a proxy's 502/503/504 while Gong carries on). Everything else is known not
   * done: a 429 (refused before processing), 401/403 (refused before processing), other 4xx (rejected), a
   * request never sent (refused connection, no DNS, the daily quota spent).
   */
  get outcomeUnknown(): boolean {
    return (this.status === 0 && !this.notSent) || this.status >= 500;
  }

  get retryable(): boolean {
    return (
      this.failureType === FAILURE_TYPES.rateLimited ||
      this.failureType === FAILURE_TYPES.quotaExhausted ||
      this.failureType === FAILURE_TYPES.server
    );
  }
}

const MISSING_SCOPE = /You don't have permission to use '([^']+)'/;

/** Maps Gong's status and error body to a failure type and a message that says what to do. */
export function classifyGongError(
  status: number,
  body: unknown,
  context: {
    method: string;
    path: string;
    retryAfterHeader: string | null;
    /** Gong's `x-traceid` header: the requestId when the body has none (e.g. an HTML 502 from a proxy). */
    traceId?: string | null;
  },
): GongApiError {
  const requestId =
    typeof (body as { requestId?: unknown } | undefined)?.requestId === 'string'
      ? (body as { requestId: string }).requestId
      : (context.traceId ?? undefined);
  const errors = Array.isArray((body as { errors?: unknown } | undefined)?.errors)
    ? (body as { errors: unknown[] }).errors.map(String)
    : [];
  const gongSays = errors.length > 0 ? errors.join('; ') : `HTTP ${status}`;
  const where = `${context.method} ${context.path}`;
  const suffix = ` (Gong requestId ${requestId ?? 'none: Gong sent none'})`;
  const scope = MISSING_SCOPE.exec(gongSays)?.[1];

  if (status === 401 && scope) {
    return new GongApiError(
      status,
      FAILURE_TYPES.missingScope,
      `${where}: the connection lacks the scope '${scope}'. Add it in gongflow's app settings and in the Gong app (Developer Hub), then reconnect${suffix}.`,
      requestId,
      undefined,
      scope,
    );
  }
  if (status === 401 || status === 403) {
    return new GongApiError(
      status,
      FAILURE_TYPES.auth,
      `${where}: Gong refused the credentials: ${gongSays}. Check the access key or reconnect; for OAuth use the company's own API host${suffix}.`,
      requestId,
      undefined,
      undefined,
    );
  }
  if (status === 429) {
    return new GongApiError(
      status,
      FAILURE_TYPES.rateLimited,
      `${where}: Gong rate limit reached: ${gongSays}${suffix}.`,
      requestId,
      retryAfterMs(context.retryAfterHeader),
      undefined,
    );
  }
  if (status === 404) {
    return new GongApiError(
      status,
      FAILURE_TYPES.notFound,
      `${where}: ${gongSays}${suffix}.`,
      requestId,
      undefined,
      undefined,
    );
  }
  if (status >= 500) {
    return new GongApiError(
      status,
      FAILURE_TYPES.server,
      `${where}: Gong server error ${status}: ${gongSays}${suffix}.`,
      requestId,
      undefined,
      undefined,
    );
  }
  return new GongApiError(
    status,
    FAILURE_TYPES.validation,
    `${where}: Gong rejected the request (${status}): ${gongSays}${suffix}.`,
    requestId,
    undefined,
    undefined,
  );
}

function retryAfterMs(header: string | null): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

function errorMessages(body: unknown): string[] {
  const errors = (body as { errors?: unknown } | undefined)?.errors;
  return Array.isArray(errors) ? errors.map(String) : [];
}

/** Any of Gong's "No <things> found corresponding to the provided filters" 404s: an empty search. */
export function isNoCallsFound(status: number, body: unknown): boolean {
  return (
    status === 404 &&
    errorMessages(body).some((message) => message.includes('found corresponding to the provided filters'))
  );
}

/** A 404 carrying one of the action's "no results" messages (catalog `emptyOn404Messages`). */
export function isEmptyResult(
  status: number,
  body: unknown,
  messages: readonly string[] | undefined,
): boolean {
  if (status !== 404 || !messages?.length) return false;
  return errorMessages(body).some((message) => messages.some((expected) => message.includes(expected)));
}

/** Gong's cursors are JWTs with an `exp`: a late page request answers 400 "cursor has expired". */
export function isCursorExpired(status: number, body: unknown): boolean {
  return status === 400 && errorMessages(body).some((message) => /cursor has expired/i.test(message));
}
