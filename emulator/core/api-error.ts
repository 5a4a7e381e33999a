/** A Gong error answer: status plus the `errors` list of Gong's body (and any extra fields it adds). */
export class GongApiError extends Error {
  readonly status: number;
  readonly errors: string[];
  readonly extra: Record<string, unknown>;
  readonly headers: Record<string, string>;

  constructor(
    status: number,
    errors: string | string[],
    options: { extra?: Record<string, unknown>; headers?: Record<string, string> } = {},
  ) {
    const list = Array.isArray(errors) ? errors : [errors];
    super(list.join('; '));
    this.name = 'GongApiError';
    this.status = status;
    this.errors = list;
    this.extra = options.extra ?? {};
    this.headers = options.headers ?? {};
  }
}

/** Gong's stock messages, as recorded from real responses. */
export const GONG_MESSAGES = {
  malformed: 'Malformed request',
  /** A parameter Gong cannot parse at all (a profileId beyond int64). */
  badRequest: 'Bad request',
  unauthorized: 'Unauthorized',
  forbidden: 'Forbidden',
  rateLimited: 'API request limit exceeded',
  internal: 'Failed to complete the operation due to an unexpected error',
  noCalls: 'No calls found corresponding to the provided filters',
  cursorExpired: 'cursor has expired',
  cursorInvalid: 'cursor is invalid',
  methodNotAllowed: 'Method Not Allowed',
  missingScope: (scope: string) => `You don't have permission to use '${scope}' in your app.`,
} as const;

export function badRequest(message: string = GONG_MESSAGES.malformed): GongApiError {
  return new GongApiError(400, message);
}

export function notFound(message: string): GongApiError {
  return new GongApiError(404, message);
}
