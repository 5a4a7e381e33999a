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
  ) {
    super(message);
    this.name = 'GongApiError';
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
  context: { method: string; path: string; retryAfterHeader: string | null },
): GongApiError {
  const requestId =
    typeof (body as { requestId?: unknown } | undefined)?.requestId === 'string'
      ? (body as { requestId: string }).requestId
      : undefined;
  const errors = Array.isArray((body as { errors?: unknown } | undefined)?.errors)
    ? (body as { errors: unknown[] }).errors.map(String)
    : [];
  const gongSays = errors.length > 0 ? errors.join('; ') : `HTTP ${status}`;
  const where = `${context.method} ${context.path}`;
  const suffix = requestId ? ` (Gong requestId ${requestId})` : '';
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

export function isNoCallsFound(status: number, body: unknown): boolean {
  const errors = (body as { errors?: unknown } | undefined)?.errors;
  return (
    status === 404 &&
    Array.isArray(errors) &&
    errors.some((message) => String(message).includes('found corresponding to the provided filters'))
  );
}
