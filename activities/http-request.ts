import { ApplicationFailure, Context } from '@temporalio/activity';
import { GongflowError } from '../core/errors';
import { FAILURE_TYPES } from '../core/failure-types';
import { connectionFailure } from './connection-failure';
import { evaluateExpression } from '../definitions/expressions';
import { DestinationPolicy } from './http/destinations';
import { Redactor } from './http/redact';
import { sendRequest, TransportError, type Resolve, type TransportFailure } from './http/transport';

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
  /** The run's Gong connection: its named secrets come before the operator-wide ones. */
  connectionId?: string;
}

export interface HttpResponse {
  status: number;
  headers: Record<string, string>;
  /** Parsed JSON when the response says JSON, else text. */
  body: unknown;
}

/** Where http steps may go and how much they may take (`httpSteps` in temporal.yaml). */
export interface HttpStepsSettings {
  /** Hosts, addresses and CIDRs reachable although private (loopback, RFC 1918, ULA, link-local...). */
  allow: string[];
  maxRedirects: number;
  maxResponseBytes: number;
}

export const DEFAULT_HTTP_STEPS: HttpStepsSettings = {
  allow: [],
  maxRedirects: 5,
  maxResponseBytes: 5 * 1024 * 1024,
};

export interface HttpActivityDependencies {
  /** Per-attempt network timeout (the whole exchange); the step's startToClose timeout bounds it too. */
  requestTimeoutMs: number;
  /** Default: DEFAULT_HTTP_STEPS (every private destination refused). */
  httpSteps?: HttpStepsSettings;
  /** Operator-wide secret values by name; default: environment variables `GONGFLOW_SECRET_<NAME>`. */
  secret?: (name: string) => Promise<string | undefined>;
  /** A connection's own secret of that name, if it has one (connections kept in Temporal). */
  connectionSecret?: (connectionId: string, name: string) => Promise<string | undefined>;
  /** Host name resolution; default dns.lookup (tests answer for names of their own). */
  resolve?: Resolve;
}

/** `api-token` -> GONGFLOW_SECRET_API_TOKEN. */
export function secretVariable(name: string): string {
  return `GONGFLOW_SECRET_${name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toUpperCase()
    .replace(/[^A-Z0-9]/g, '_')}`;
}

const SECRET_FAILURE = 'SecretError';

/** The secret values a request used and what its expressions made of them: what must not leave the activity. */
type SecretValues = Set<string>;

/**
 * Values that read secrets compile to `{ "$secret": "<CEL over secrets>" }`: evaluated here, with the
 * secret values, so they exist only in this process and in the outgoing request.
 */
async function fillSecrets(
  value: unknown,
  names: string[],
  lookup: (name: string) => Promise<string | undefined>,
  stepId: string,
  used: SecretValues,
  connectionId: string | undefined,
): Promise<unknown> {
  if (Array.isArray(value))
    return Promise.all(value.map((item) => fillSecrets(item, names, lookup, stepId, used, connectionId)));
  if (typeof value !== 'object' || value === null) return value;
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record);
  const expression = secretExpression(value);
  if (expression !== undefined) {
    const secrets: Record<string, string> = {};
    for (const name of names) {
      const secret = await lookup(name);
      if (secret === undefined) {
        throw ApplicationFailure.create({
          type: SECRET_FAILURE,
          nonRetryable: true,
          message: `Step ${stepId}: secret "${name}" is not set. ${connectionId ? `Give connection "${connectionId}" its own (gongflow connections secrets set ${connectionId} ${name}), or set` : 'Set'} the environment variable ${secretVariable(name)} on every worker (see "Secrets" in docs/language.md).`,
        });
      }
      used.add(secret);
      secrets[name] = secret;
    }
    let filled: unknown;
    try {
      filled = evaluateExpression(expression, { secrets });
    } catch (error) {
      throw ApplicationFailure.create({
        type: FAILURE_TYPES.expression,
        nonRetryable: true,
        // The message names the expression; the values are redacted on the way out like everything else.
        message: `Step ${stepId}: an expression over secrets failed: ${error instanceof Error ? (error.message.split('\n')[0] ?? '') : ''}`,
      });
    }
    if (typeof filled === 'string') used.add(filled);
    else if (typeof filled === 'number' || typeof filled === 'bigint') used.add(String(filled));
    return filled;
  }
  const entries = await Promise.all(
    keys.map(
      async (key) =>
        [key, await fillSecrets(record[key], names, lookup, stepId, used, connectionId)] as const,
    ),
  );
  return Object.fromEntries(entries);
}

function secretExpression(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record);
  return keys.length === 1 && keys[0] === '$secret' && typeof record['$secret'] === 'string'
    ? record['$secret']
    : undefined;
}

const METHODS = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS']);

/** Statuses a later attempt can fix; anything else 4xx is the request's fault and is not retried. */
function retryableStatus(status: number): boolean {
  return status === 408 || status === 425 || status === 429 || status >= 500;
}

const ALLOW_HINT =
  'If the workers should reach it, add the host name, address or network to httpSteps.allow in temporal.yaml (e.g. "crm.internal" or "10.0.0.0/8").';

export function createHttpActivities(dependencies: HttpActivityDependencies) {
  const settings = dependencies.httpSteps ?? DEFAULT_HTTP_STEPS;
  const policy = new DestinationPolicy(settings.allow);
  const operatorSecret =
    dependencies.secret ?? ((name: string) => Promise.resolve(process.env[secretVariable(name)]));

  /** The run's connection's own secret first, then the operator-wide one. */
  const lookupFor =
    (connectionId: string | undefined) =>
    async (name: string): Promise<string | undefined> => {
      let own: string | undefined;
      if (connectionId && dependencies.connectionSecret) {
        try {
          own = await dependencies.connectionSecret(connectionId, name);
        } catch (error) {
          // A deleted or unknown connection fails the step as Gong steps do; anything else is retried.
          if (error instanceof GongflowError && error.code.startsWith('CONNECTION_'))
            throw connectionFailure(error);
          throw error;
        }
      }
      return own ?? operatorSecret(name);
    };

  /** The request, as the step's failures describe it: never a URL that came from a secret. */
  const describe = (method: string, args: HttpRequestArgs, url: URL): string => {
    const fromSecret = secretExpression(args.request.url);
    return `${method} ${fromSecret !== undefined ? `(url from ${fromSecret})` : `${url.origin}${url.pathname}`}`;
  };

  function transportFailure(stepId: string, request: string, failure: TransportFailure): ApplicationFailure {
    switch (failure.kind) {
      case 'refused':
        return ApplicationFailure.create({
          type: FAILURE_TYPES.httpRefused,
          nonRetryable: true,
          message: `Step ${stepId}: ${request} refused: ${failure.hostname === failure.refusal.address ? failure.hostname : `${failure.hostname} resolves to ${failure.refusal.address}, which`} is ${failure.refusal.reason}, which http steps may not reach. ${ALLOW_HINT}`,
          details: [{ address: failure.refusal.address, reason: failure.refusal.reason, hint: ALLOW_HINT }],
        });
      case 'tooLarge':
        return ApplicationFailure.create({
          type: FAILURE_TYPES.httpTooLarge,
          nonRetryable: true,
          message: `Step ${stepId}: ${request}: the response is larger than ${failure.limit} bytes. Ask for less (paging, filters), or raise httpSteps.maxResponseBytes in temporal.yaml.`,
          details: [{ limit: failure.limit }],
        });
      case 'redirect':
        return ApplicationFailure.create({
          type: FAILURE_TYPES.httpRedirect,
          nonRetryable: true,
          message: `Step ${stepId}: ${request}: ${failure.problem}. Call the final URL directly.`,
        });
      case 'timeout':
        return ApplicationFailure.create({
          type: FAILURE_TYPES.http,
          nonRetryable: false,
          message: `Step ${stepId}: ${request} timed out after ${failure.timeoutMs} ms.`,
          details: [{ status: null, retryable: true }],
        });
      case 'network':
        return ApplicationFailure.create({
          type: FAILURE_TYPES.http,
          nonRetryable: false,
          message: `Step ${stepId}: ${request} failed: ${failure.problem}${failure.code && !failure.problem.includes(failure.code) ? ` (${failure.code})` : ''}.`,
          details: [{ status: null, retryable: true }],
        });
    }
  }

  async function perform(args: HttpRequestArgs, used: SecretValues): Promise<HttpResponse> {
    const { stepId } = args;
    const request = (await fillSecrets(
      args.request,
      args.secrets ?? [],
      lookupFor(args.connectionId),
      stepId,
      used,
      args.connectionId,
    )) as HttpRequestSpec;
    const method = (request.method ?? 'GET').toUpperCase();
    if (!METHODS.has(method) || typeof request.url !== 'string' || !/^https?:\/\//i.test(request.url)) {
      throw ApplicationFailure.create({
        type: FAILURE_TYPES.http,
        nonRetryable: true,
        message: `Step ${stepId}: the request needs an http(s) url and a known method, got ${method} ${String(request.url)}.`,
      });
    }
    let url: URL;
    try {
      url = new URL(request.url);
    } catch {
      throw ApplicationFailure.create({
        type: FAILURE_TYPES.http,
        nonRetryable: true,
        message: `Step ${stepId}: ${String(request.url)} is not a valid URL.`,
      });
    }
    for (const [key, value] of Object.entries(request.query ?? {})) url.searchParams.set(key, String(value));
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
    const described = describe(method, args, url);
    const secrets = new Redactor(used);
    let response;
    try {
      response = await sendRequest(
        {
          method,
          url,
          headers,
          ...(body !== undefined ? { body } : {}),
          holdsSecret: (text) => secrets.contains(text),
        },
        {
          policy,
          limits: {
            maxRedirects: settings.maxRedirects,
            maxResponseBytes: settings.maxResponseBytes,
            timeoutMs: dependencies.requestTimeoutMs,
          },
          signal: Context.current().cancellationSignal,
          ...(dependencies.resolve ? { resolve: dependencies.resolve } : {}),
        },
      );
    } catch (error) {
      if (error instanceof TransportError) throw transportFailure(stepId, described, error.failure);
      throw error;
    }
    const text = response.body.toString('utf8');
    const contentType = response.headers['content-type'] ?? '';
    let parsed: unknown = text;
    if (/\bjson\b/i.test(contentType) && text !== '') {
      try {
        parsed = JSON.parse(text) as unknown;
      } catch {
        parsed = text;
      }
    }
    if (response.status < 200 || response.status > 299) {
      const retryable = retryableStatus(response.status);
      const retryAfter = Number(response.headers['retry-after']);
      throw ApplicationFailure.create({
        type: FAILURE_TYPES.http,
        nonRetryable: !retryable,
        message: `Step ${stepId}: ${described} answered ${response.status} ${response.statusText}.`,
        // Redacted before it is cut: a secret cut in half would no longer be recognised.
        details: [{ status: response.status, retryable, body: secrets.text(text).slice(0, 2_000) }],
        ...(retryable && Number.isFinite(retryAfter) && retryAfter > 0
          ? { nextRetryDelay: retryAfter * 1000 }
          : {}),
      });
    }
    return { status: response.status, headers: response.headers, body: parsed };
  }

  return {
    /**
     * One HTTP request of an `http` step. Error statuses fail with HttpStepError (retryable or not by
     * status); refused destinations, too many redirects and too large answers with their own types.
     * Nothing leaves with a secret in it: the answer and every failure are redacted on the way out.
     */
    async httpRequest(args: HttpRequestArgs): Promise<HttpResponse> {
      const used: SecretValues = new Set();
      try {
        const response = await perform(args, used);
        return new Redactor(used).value(response);
      } catch (error) {
        throw new Redactor(used).error(error);
      }
    },
  };
}
