import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import { GongApiError } from '../core/api-error';
import { toJson } from '../core/json';
import type { EmulatorAdmin } from './admin';

type Params = Record<string, string>;

function param(params: unknown, name: string): string {
  return (params as Params)[name] ?? '';
}

function send(reply: FastifyReply, status: number, body: unknown): FastifyReply {
  return reply.code(status).header('content-type', 'application/json; charset=utf-8').send(toJson(body));
}

/** The admin API on the app host, for tests and demos. Plain JSON, not Gong's envelope. */
export function registerAdminRoutes(app: FastifyInstance, admin: EmulatorAdmin): void {
  const route = (
    method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
    url: string,
    run: (input: { params: unknown; body: unknown; query: Record<string, string | undefined> }) => unknown,
    status = 200,
  ) => {
    app.route({
      method,
      url: `/_emulator${url}`,
      handler: async (request, reply) => {
        try {
          const result = await run({
            params: request.params,
            body: request.body ?? {},
            query: (request.query ?? {}) as Record<string, string | undefined>,
          });
          return send(reply, status, result ?? { ok: true });
        } catch (error) {
          if (error instanceof GongApiError)
            return send(reply, error.status, { error: error.errors.join('; ') });
          if (error instanceof z.ZodError)
            return send(reply, 400, {
              error: error.issues
                .map((issue) => `${issue.path.join('.') || 'body'}: ${issue.message}`)
                .join('; '),
            });
          return send(reply, 500, { error: error instanceof Error ? error.message : String(error) });
        }
      },
    });
  };
  const body = <T>(input: { body: unknown }) => input.body as T;

  route('GET', '/health', () => ({ ok: true, now: admin.now() }));
  route('GET', '/clock', () => ({ now: admin.now() }));
  route('POST', '/clock/advance', (input) => ({
    now: admin.advanceClock(Number(body<{ ms?: unknown }>(input).ms)),
  }));
  route('POST', '/clock/set', (input) => ({
    now: admin.setClock(String(body<{ now?: unknown }>(input).now)),
  }));

  route('GET', '/companies', () => ({ companies: admin.companies() }));
  route('POST', '/companies', (input) => admin.createCompany(body(input)), 201);
  route(
    'POST',
    '/companies/:companyId/access-keys',
    (input) => admin.createAccessKey(param(input.params, 'companyId'), body(input)),
    201,
  );
  route('DELETE', '/access-keys/:accessKey', (input) =>
    admin.revokeAccessKey(param(input.params, 'accessKey')),
  );
  route(
    'POST',
    '/companies/:companyId/users',
    (input) => admin.createUser(param(input.params, 'companyId'), body(input)),
    201,
  );
  route(
    'POST',
    '/companies/:companyId/calls',
    (input) => admin.createCall(param(input.params, 'companyId'), body(input)),
    201,
  );
  route('POST', '/companies/:companyId/process-calls', (input) =>
    admin.processCalls(param(input.params, 'companyId'), body<{ callIds?: string[] }>(input).callIds),
  );
  route('GET', '/companies/:companyId/faults', (input) => admin.faults(param(input.params, 'companyId')));
  route('PUT', '/companies/:companyId/faults', (input) =>
    admin.setFaults(param(input.params, 'companyId'), body(input)),
  );
  route('GET', '/companies/:companyId/limits', (input) => admin.limits(param(input.params, 'companyId')));
  route('PUT', '/companies/:companyId/limits', (input) =>
    admin.setLimits(param(input.params, 'companyId'), body(input)),
  );

  route('POST', '/oauth/apps', (input) => admin.createOAuthApp(body(input)), 201);
  route('PATCH', '/oauth/apps/:clientId', (input) =>
    admin.updateOAuthApp(param(input.params, 'clientId'), body(input)),
  );
  route('POST', '/oauth/authorize', (input) => admin.authorize(body(input)));
  route('POST', '/oauth/revoke', (input) => admin.revokeOAuth(body(input)));

  route('GET', '/companies/:companyId/webhook-rules', (input) => ({
    rules: admin.webhookRules(param(input.params, 'companyId')),
  }));
  route(
    'POST',
    '/companies/:companyId/webhook-rules',
    (input) => admin.createWebhookRule(param(input.params, 'companyId'), body(input)),
    201,
  );
  route('DELETE', '/webhook-rules/:ruleId', (input) =>
    admin.deleteWebhookRule(param(input.params, 'ruleId')),
  );
  route('POST', '/webhook-rules/:ruleId/test', (input) =>
    admin.testWebhookRule(param(input.params, 'ruleId'), body<{ callId?: string }>(input).callId),
  );
  route('GET', '/webhook-deliveries', () => ({ deliveries: admin.webhookDeliveries() }));

  route('GET', '/requests', (input) => ({
    requests: admin.requestLog({
      host: input.query['host'],
      path: input.query['path'],
      sinceSeq: input.query['sinceSeq'] === undefined ? undefined : Number(input.query['sinceSeq']),
    }),
  }));
  route('DELETE', '/requests', () => admin.clearRequestLog());
  route('GET', '/internal-errors', () => ({ errors: admin.internalErrors() }));
  route('POST', '/reset', () => admin.reset());
}
