import { ApplicationFailure, Context } from '@temporalio/activity';
import ky, { TimeoutError } from 'ky';
import { FAILURE_TYPES } from '../core/failure-types';
import { evaluateExpression } from '../definitions/expressions';

/** What an `http` step's `request` evaluates to. */
export interface HttpRequestSpec {
  method?: string;
  url: string;
  headers?: Record<string, string>;
  query?: Record<string, string | number | boolean>;
  /** JSON body (objects, arrays, numbers...) or text (a string is sent as is). */
  body?: unknown;
}

export interface HttpRequestArgs {
  stepId: string;
  request: HttpRequestSpec;
  /** Names of the secrets the request reads; their values are filled in here, never in the workflow. */
  secrets?: string[];
}

export interface HttpResponse {
  status: number;
  headers: Record<string, string>;
  /** Parsed JSON when the response says JSON, else text. */
  body: unknown;
}

export interface HttpActivityDependencies {
  /** Per-attempt network timeout; the step's startToClose timeout bounds it too. */
  requestTimeoutMs: number;
  /** Secret values by name; default: environment variables `GONGFLOW_SECRET_<NAME>`. */
  secret?: (name: string) => Promise<string | undefined>;
}

/** `api-token` -> GONGFLOW_SECRET_API_TOKEN. */
export function secretVariable(name: string): string {
  return `GONGFLOW_SECRET_${name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toUpperCase()
    .replace(/[^A-Z0-9]/g, '_')}`;
}

const SECRET_FAILURE = 'SecretError';

/**
 * Values that read secrets compile to `{ "$secret": "<CEL over secrets>" }`: evaluated here, with the
 * secret values, so they exist only in this process and in the outgoing request.
 */
async function fillSecrets(
  value: unknown,
  names: string[],
  lookup: (name: string) => Promise<string | undefined>,
  stepId: string,
): Promise<unknown> {
  if (Array.isArray(value)) return Promise.all(value.map((item) => fillSecrets(item, names, lookup, stepId)));
  if (typeof value !== 'object' || value === null) return value;
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record);
  if (keys.length === 1 && keys[0] === '$secret' && typeof record['$secret'] === 'string') {
    const secrets: Record<string, string> = {};
    for (const name of names) {
      const secret = await lookup(name);
      if (secret === undefined) {
        throw ApplicationFailure.create({
          type: SECRET_FAILURE,
          nonRetryable: true,
          message: `Step ${stepId}: secret "${name}" is not set. Set ${secretVariable(name)} on the workers.`,
        });
      }
      secrets[name] = secret;
    }
    try {
      return evaluateExpression(record['$secret'], { secrets });
    } catch (error) {
      throw ApplicationFailure.create({
        type: FAILURE_TYPES.expression,
        nonRetryable: true,
        // The message names the expression, never the values.
        message: `Step ${stepId}: an expression over secrets failed: ${error instanceof Error ? (error.message.split('\n')[0] ?? '') : ''}`,
      });
    }
  }
  const entries = await Promise.all(
    keys.map(async (key) => [key, await fillSecrets(record[key], names, lookup, stepId)] as const),
  );
  return Object.fromEntries(entries);
}

const METHODS = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS']);

/** Statuses a later attempt can fix; anything else 4xx is the request's fault and is not retried. */
function retryableStatus(status: number): boolean {
  return status === 408 || status === 425 || status === 429 || status >= 500;
}

export function createHttpActivities(dependencies: HttpActivityDependencies) {
  return {
    /** One HTTP request of an `http` step. Error statuses fail with HttpStepError (retryable or not by status). */
    async httpRequest(args: HttpRequestArgs): Promise<HttpResponse> {
      const { stepId } = args;
      const lookup =
        dependencies.secret ?? ((name: string) => Promise.resolve(process.env[secretVariable(name)]));
      const request = (await fillSecrets(
        args.request,
        args.secrets ?? [],
        lookup,
        stepId,
      )) as HttpRequestSpec;
      const method = (request.method ?? 'GET').toUpperCase();
      if (!METHODS.has(method) || typeof request.url !== 'string' || !/^https?:\/\//.test(request.url)) {
        throw ApplicationFailure.create({
          type: FAILURE_TYPES.http,
          nonRetryable: true,
          message: `Step ${stepId}: the request needs an http(s) url and a known method, got ${method} ${String(request.url)}.`,
        });
      }
      const url = new URL(request.url);
      for (const [key, value] of Object.entries(request.query ?? {}))
        url.searchParams.set(key, String(value));
      const headers: Record<string, string> = { ...(request.headers ?? {}) };
      let body: string | undefined;
      if (request.body !== undefined && request.body !== null) {
        if (typeof request.body === 'string') body = request.body;
        else {
          body = JSON.stringify(request.body);
          if (!Object.keys(headers).some((name) => name.toLowerCase() === 'content-type'))
            headers['content-type'] = 'application/json';
        }
      }
      let response: Response;
      try {
        response = await ky(url, {
          method,
          headers,
          ...(body !== undefined ? { body } : {}),
          timeout: dependencies.requestTimeoutMs,
          retry: 0, // Temporal retries the activity with the step's policy.
          throwHttpErrors: false,
          signal: Context.current().cancellationSignal,
        });
      } catch (error) {
        const timedOut = error instanceof TimeoutError;
        throw ApplicationFailure.create({
          type: FAILURE_TYPES.http,
          nonRetryable: false,
          message: `Step ${stepId}: ${method} ${url.origin}${url.pathname} ${timedOut ? 'timed out' : `failed: ${error instanceof Error ? error.message : String(error)}`}.`,
          details: [{ status: null, retryable: true }],
        });
      }
      const text = await response.text();
      const contentType = response.headers.get('content-type') ?? '';
      let parsed: unknown = text;
      if (/\bjson\b/i.test(contentType) && text !== '') {
        try {
          parsed = JSON.parse(text) as unknown;
        } catch {
          parsed = text;
        }
      }
      const responseHeaders: Record<string, string> = {};
      response.headers.forEach((value, name) => {
        responseHeaders[name] = value;
      });
      if (!response.ok) {
        const retryable = retryableStatus(response.status);
        const retryAfter = Number(response.headers.get('retry-after'));
        throw ApplicationFailure.create({
          type: FAILURE_TYPES.http,
          nonRetryable: !retryable,
          message: `Step ${stepId}: ${method} ${url.origin}${url.pathname} answered ${response.status} ${response.statusText}.`,
          details: [{ status: response.status, retryable, body: text.slice(0, 2_000) }],
          ...(retryable && Number.isFinite(retryAfter) && retryAfter > 0
            ? { nextRetryDelay: retryAfter * 1000 }
            : {}),
        });
      }
      return { status: response.status, headers: responseHeaders, body: parsed };
    },
  };
}
