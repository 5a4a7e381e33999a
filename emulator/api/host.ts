import multipart from '@fastify/multipart';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { setTimeout as delay } from 'node:timers/promises';
import type { CompanyRuntime, EmulatorContext } from '../context';
import { GONG_MESSAGES, GongApiError } from '../core/api-error';
import { isoTime } from '../core/clock';
import { decideFault } from '../core/faults';
import { parseJson, toJson } from '../core/json';
import { newRequestId } from '../core/request-id';
import { authenticate, credentialLabel, requireScope, type Caller } from './auth';
import type { ApiOperation, OperationContext } from './operation';
import { compileRouter } from './router';

/** Gong stamps every answer with its service version; some clients log it. */
const SERVICE_VERSION = 'PublicApiServer:emulator.gongflow';

/**
 * Parsers shared by every emulator host: JSON without losing big integers, and anything else kept as text.
 * An empty body is no body.
 */
export function installBodyParsers(app: FastifyInstance): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    const text = String(body);
    if (!text.trim()) return done(null, undefined);
    try {
      done(null, parseJson(text));
    } catch {
      done(new GongApiError(400, GONG_MESSAGES.malformed), undefined);
    }
  });
  app.addContentTypeParser('*', { parseAs: 'string' }, (_request, body, done) => done(null, String(body)));
}

export function sendJson(
  reply: FastifyReply,
  status: number,
  requestId: string,
  body: Record<string, unknown>,
): FastifyReply {
  return reply
    .code(status)
    .header('content-type', 'application/json; charset=utf-8')
    .header('x-traceid', requestId)
    .header('x-gong-service-version', SERVICE_VERSION)
    .send(toJson({ requestId, ...body }));
}

function errorBody(error: GongApiError): Record<string, unknown> {
  return { errors: error.errors, ...error.extra };
}

function firstValues(query: unknown): {
  first: Record<string, string | undefined>;
  all: Record<string, string[]>;
} {
  const first: Record<string, string | undefined> = {};
  const all: Record<string, string[]> = {};
  for (const [key, value] of Object.entries((query ?? {}) as Record<string, unknown>)) {
    const values = (Array.isArray(value) ? value : [value]).map(String);
    all[key] = values;
    first[key] = values[0];
  }
  return { first, all };
}

/** One company's API host (`api_base_url_for_customer`): every /v2 operation behind Gong's checks. */
export function buildApiHost(
  context: EmulatorContext,
  runtime: CompanyRuntime,
  operations: readonly ApiOperation[],
): FastifyInstance {
  const app = Fastify({ logger: false, bodyLimit: 64 * 1024 * 1024, forceCloseConnections: true });
  installBodyParsers(app);
  void app.register(multipart, { limits: { fileSize: 64 * 1024 * 1024 } });

  const log = (
    request: FastifyRequest,
    status: number,
    requestId: string | null,
    caller: string,
    receivedAt = context.clock.now(),
  ) => {
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(request.headers)) {
      if (name === 'authorization' || value === undefined) continue;
      headers[name] = Array.isArray(value) ? value.join(', ') : value;
    }
    context.requestLog.add({
      time: isoTime(context.clock.now()),
      receivedAt: isoTime(receivedAt),
      host: runtime.state.id,
      method: request.method,
      path: request.url.split('?')[0] ?? request.url,
      query: (request.query ?? {}) as Record<string, unknown>,
      auth: caller,
      body: request.isMultipart() ? '[multipart]' : (request.body ?? null),
      status,
      requestId,
      headers,
    });
  };

  const route = compileRouter(operations);

  const serve = async (
    request: FastifyRequest,
    reply: FastifyReply,
    operation: ApiOperation,
    params: Record<string, string>,
  ) => {
    const requestId = newRequestId();
    const receivedAt = context.clock.now();
    const fault = decideFault(runtime.faults, context.faultRandom);
    if (runtime.faults.latencyMs > 0) await delay(runtime.faults.latencyMs);
    if (fault.kind === 'drop') {
      log(request, 0, null, 'dropped', receivedAt);
      reply.hijack();
      request.raw.socket.destroy();
      return reply;
    }
    // Named before authentication, so a refused request shows which credentials it presented.
    let callerLabel = credentialLabel(request.headers.authorization);
    try {
      if (fault.kind === 'error')
        throw new GongApiError(
          fault.status,
          fault.status === 500 ? GONG_MESSAGES.internal : 'Service unavailable',
        );
      context.advanceProcessing();
      const caller: Caller = authenticate(request.headers.authorization, runtime.state.id, context);
      callerLabel = caller.label;
      const now = context.clock.now();
      const wait = runtime.limiter.take(now, runtime.state.limits);
      if (wait > 0)
        throw new GongApiError(429, GONG_MESSAGES.rateLimited, { headers: { 'retry-after': String(wait) } });
      if (operation.scope) requireScope(caller, operation.scope);
      const { first, all } = firstValues(request.query);
      const ctx: OperationContext = {
        context,
        runtime,
        company: runtime.state,
        now,
        query: first,
        queryAll: all,
        params,
        body: request.body,
        request,
        caller,
        requireScope: (scope) => requireScope(caller, scope),
      };
      const result = await operation.handle(ctx);
      const status = result.status ?? 200;
      log(request, status, requestId, callerLabel, receivedAt);
      if (runtime.faults.loseAnswerNext > 0) {
        runtime.faults.loseAnswerNext--;
        reply.hijack();
        request.raw.socket.destroy();
        return reply;
      }
      return sendJson(reply, status, requestId, result.body ?? {});
    } catch (error) {
      const apiError = error instanceof GongApiError ? error : new GongApiError(500, GONG_MESSAGES.internal);
      if (!(error instanceof GongApiError)) context.requestLog.noteInternalError(error);
      for (const [name, value] of Object.entries(apiError.headers)) reply.header(name, value);
      log(request, apiError.status, requestId, callerLabel, receivedAt);
      return sendJson(reply, apiError.status, requestId, errorBody(apiError));
    }
  };

  const unrouted = (request: FastifyRequest, reply: FastifyReply, status: 404 | 405) => {
    const requestId = newRequestId();
    log(request, status, requestId, 'none');
    return sendJson(reply, status, requestId, {
      errors: [status === 405 ? GONG_MESSAGES.methodNotAllowed : 'Not Found'],
    });
  };

  app.route({
    method: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
    url: '/v2/*',
    handler: (request, reply) => {
      const match = route(request.method, request.url.split('?')[0] ?? '');
      if (match.kind === 'found') return serve(request, reply, match.operation, match.params);
      return unrouted(request, reply, match.kind === 'wrong-method' ? 405 : 404);
    },
  });

  // Media URLs of /v2/calls/extensive (Gong serves them from a CDN, valid 8 hours): fake bytes here.
  app.get('/_media/:callId/:file', (request, reply) => {
    const { callId, file } = request.params as { callId: string; file: string };
    const expires = Number((request.query as Record<string, string | undefined>)['expires']);
    const call = runtime.state.calls.find((candidate) => candidate.id === callId);
    if (!call || !Number.isFinite(expires) || expires * 1000 <= context.clock.now())
      return reply.code(403).type('text/plain').send('Request has expired or is invalid');
    const video = file.endsWith('.mp4');
    return reply
      .type(video ? 'video/mp4' : 'audio/mpeg')
      .send(Buffer.from(`gongflow-emulator ${video ? 'video' : 'audio'} of call ${callId}`));
  });

  app.setNotFoundHandler((request, reply) => unrouted(request, reply, 404));

  app.setErrorHandler((error, request, reply) => {
    const requestId = newRequestId();
    const status = error instanceof GongApiError ? error.status : 400;
    const messages = error instanceof GongApiError ? error.errors : [GONG_MESSAGES.malformed];
    log(request, status, requestId, 'none');
    return sendJson(reply, status, requestId, { errors: messages });
  });
  return app;
}
