import { expressionSource } from '../expressions';
import type { StepSources } from '../model';
import { DEFINITION_CODES as CODES } from '../problems';
import type { Compilation, CompiledStep, StepSite } from './context';
import { compileValue } from './expressions';
import { resolveRetry } from './retry';
import type { Recovered } from './shape';

const HTTP_DEFAULTS = {
  startToCloseTimeoutMs: 30_000,
  retry: { maximumAttempts: 3, initialIntervalMs: 1_000, backoffCoefficient: 2, maximumIntervalMs: 30_000 },
} as const;

/** `http:` steps: the request is one template whose values may read secrets (resolved by the activity). */
export function compileHttpStep(
  c: Compilation,
  step: Recovered<StepSources['http']>,
  site: StepSite,
): CompiledStep {
  const { path, common, scope } = site;
  const request = step.http ?? {};
  const requestPath = [...path, 'http'];
  const secrets = new Set<string>();
  const value = {
    method: request.method ?? (request.body === undefined ? 'GET' : 'POST'),
    ...(request.url !== undefined ? { url: request.url } : {}),
    ...(request.headers ? { headers: request.headers } : {}),
    ...(request.query ? { query: request.query } : {}),
    ...(request.body !== undefined ? { body: request.body } : {}),
  };
  const compiled = compileValue(c, value, requestPath, scope, { secrets });
  if (
    typeof request.url === 'string' &&
    expressionSource(request.url) === undefined &&
    !/^https?:\/\//.test(request.url)
  ) {
    c.reporter.report(
      CODES.invalidValue,
      `"${request.url}" is not an http(s) URL`,
      [...requestPath, 'url'],
      'Write a full URL such as https://hooks.slack.com/services/..., or an expression.',
    );
  }
  if (request.url === undefined) return { exported: site.own };
  return {
    plan: {
      ...common,
      kind: 'http',
      request: compiled,
      activity: {
        startToCloseTimeoutMs: step.attemptTimeout ?? HTTP_DEFAULTS.startToCloseTimeoutMs,
        retry: resolveRetry(c, step.retry, HTTP_DEFAULTS.retry, [...path, 'retry']),
      },
      ...(secrets.size > 0 ? { secrets: [...secrets].sort() } : {}),
    },
    exported: site.own,
  };
}
