import { z } from 'zod';
import { type GongflowError, type ProblemDetail } from '../core/errors';

/** The one error shape of every HTTP response that is not a success. */
export const ApiErrorSchema = z
  .object({
    error: z.object({
      code: z.string().describe('Stable, machine-readable code, e.g. RUN_INVALID_INPUT.'),
      message: z.string(),
      hint: z.string().optional().describe('What to do about it.'),
      details: z
        .array(
          z.looseObject({ code: z.string().optional(), message: z.string(), path: z.string().optional() }),
        )
        .optional()
        .describe('Individual problems (positions in a definition, invalid request fields).'),
    }),
  })
  .meta({ id: 'Error' });

export type ApiErrorBody = z.infer<typeof ApiErrorSchema>;

/** Error codes the HTTP layer itself produces (others come from the engine's GongflowErrors). */
export const API_ERROR_CODES = {
  unauthorized: 'API_UNAUTHORIZED',
  invalidRequest: 'API_INVALID_REQUEST',
  routeNotFound: 'API_ROUTE_NOT_FOUND',
  internal: 'API_INTERNAL',
  temporalUnavailable: 'TEMPORAL_UNAVAILABLE',
} as const;

const EXACT_STATUS: Record<string, number> = {
  [API_ERROR_CODES.unauthorized]: 401,
  [API_ERROR_CODES.invalidRequest]: 400,
  [API_ERROR_CODES.routeNotFound]: 404,
  [API_ERROR_CODES.internal]: 500,
  [API_ERROR_CODES.temporalUnavailable]: 503,
  RUN_INVALID_INPUT: 400,
  RUN_NO_CONNECTION: 400,
  RUN_MISSING_SCOPE: 422,
  DEFINITION_INVALID: 422,
  RUN_ALREADY_CLOSED: 409,
  RUN_NOT_RERUNNABLE: 409,
  RUN_IDEMPOTENCY_KEY_REUSED: 409,
  RUN_STEPS_UNAVAILABLE: 503,
  RUN_NO_WORKER: 503,
  API_RATE_LIMITED: 429,
  OAUTH_APP_NOT_CONFIGURED: 409,
  RUN_STEP_NOT_WAITING: 409,
  RUN_STEP_NOT_APPROVAL: 409,
  RUN_STEP_AMBIGUOUS: 409,
  RUN_APPROVER_NOT_ALLOWED: 403,
  RUN_APPROVER_IDENTITY_MISMATCH: 403,
  API_CSRF_REJECTED: 403,
  TRIGGER_ENDPOINT_UNREADABLE: 503,
};

/** HTTP status of an error code: exact entries first, then `*_NOT_FOUND` -> 404, else 400. */
export function statusForCode(code: string): number {
  return EXACT_STATUS[code] ?? (code.endsWith('_NOT_FOUND') ? 404 : 400);
}

export function errorBody(
  code: string,
  message: string,
  extra: {
    hint?: string | undefined;
    details?: ProblemDetail[] | Array<{ message: string; path?: string }>;
  } = {},
): ApiErrorBody {
  return {
    error: {
      code,
      message,
      ...(extra.hint ? { hint: extra.hint } : {}),
      ...(extra.details && extra.details.length > 0
        ? { details: extra.details.map((detail) => ({ ...detail })) }
        : {}),
    },
  };
}

export function gongflowErrorBody(error: GongflowError): ApiErrorBody {
  return errorBody(error.code, error.message, { hint: error.hint, details: error.problems });
}
