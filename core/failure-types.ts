/**
 * Stable failure types carried by Temporal ApplicationFailures. Catch clauses in definitions match on
 * them, and they decide retries: the category says whether retrying can help.
 */
export const FAILURE_TYPES = {
  /** Credentials rejected, revoked, or used on the wrong company host: reconnect, don't retry. */
  auth: 'GongAuthError',
  /** The connection's token lacks a scope the action needs. */
  missingScope: 'GongMissingScopeError',
  /** Gong answered 429: retried after Retry-After. */
  rateLimited: 'GongRateLimitedError',
  /** The daily Gong quota of the company is spent. */
  quotaExhausted: 'GongQuotaExhaustedError',
  notFound: 'GongNotFoundError',
  /** Gong refused the request as malformed (400/409/415): fix the input. */
  validation: 'GongValidationError',
  /** 5xx or network failure: retried. */
  server: 'GongServerError',
  /**
   * An unsafe Gong write (a meeting, a flow enrollment) was sent and no clear answer came back (a timeout, a
   * lost connection or worker, a 5xx): Gong may or may not have done it. Never resent blindly; check Gong.
   */
  writeOutcomeUnknown: 'GongWriteOutcomeUnknown',
  /** A generic HTTP step answered with an error status, or could not reach its server (retried). */
  http: 'HttpStepError',
  /** An HTTP step's destination is private (loopback, RFC 1918, metadata...) and not in httpSteps.allow. */
  httpRefused: 'HttpDestinationRefusedError',
  /** An HTTP step's response is larger than httpSteps.maxResponseBytes. */
  httpTooLarge: 'HttpResponseTooLargeError',
  /** An HTTP step was redirected too often, to a non-http URL, or across origins with a secret body. */
  httpRedirect: 'HttpRedirectError',
  /** An expression failed at run time (bad type, missing field) or went over its limits (docs/language.md). */
  expression: 'ExpressionError',
  /** The run's input does not match the definition's input declaration. */
  input: 'InputValidationError',
  /** A `fail` step, or any author-defined business error. */
  business: 'BusinessError',
  /** A step or wait ran past its timeout. */
  timeout: 'StepTimeoutError',
  /** Unknown connection, or a connection without what the run needs. */
  connection: 'ConnectionError',
} as const;

export type FailureType = (typeof FAILURE_TYPES)[keyof typeof FAILURE_TYPES];

/** Failures retrying cannot fix. */
export const NON_RETRYABLE_FAILURE_TYPES: readonly FailureType[] = [
  FAILURE_TYPES.auth,
  FAILURE_TYPES.missingScope,
  FAILURE_TYPES.notFound,
  FAILURE_TYPES.validation,
  FAILURE_TYPES.writeOutcomeUnknown,
  FAILURE_TYPES.expression,
  FAILURE_TYPES.input,
  FAILURE_TYPES.business,
  FAILURE_TYPES.connection,
  FAILURE_TYPES.httpRefused,
  FAILURE_TYPES.httpTooLarge,
  FAILURE_TYPES.httpRedirect,
];
