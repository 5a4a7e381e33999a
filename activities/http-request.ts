import { ApplicationFailure, Context } from '@temporalio/activity';
import ky, { TimeoutError } from 'ky';
import { FAILURE_TYPES } from '../core/failure-types';

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
      const { request, stepId } = args;
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
