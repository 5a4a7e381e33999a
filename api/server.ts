import { readdirSync } from 'node:fs';
import path from 'node:path';
import swagger from '@fastify/swagger';
import type { Client } from '@temporalio/client';
import Fastify, {
  type FastifyError,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
  type FastifyServerOptions,
} from 'fastify';
import {
  hasZodFastifySchemaValidationErrors,
  isResponseSerializationError,
  jsonSchemaTransform,
  jsonSchemaTransformObject,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import type { GongflowConfig } from '../config/schema';
import type { ConnectionResolver } from '../connections/registry';
import { GongflowError } from '../core/errors';
import { UnknownKeyLimiter } from './auth/unknown-key-limiter';
import { TemporalApiKeyStore, type ApiKeyRecord, type ApiKeyVerifier } from './auth/api-keys';
import type { ApiContext, ApiRoutes } from './context';
import { API_ERROR_CODES, ApiErrorSchema, errorBody, gongflowErrorBody, statusForCode } from './errors';
import { createApiMetrics, type ApiMetrics } from './metrics';
import { traceRequests } from './tracing';
import { installTracing } from '../observability/tracing';
import { CSRF_HEADER, sameOrigin, sessionCookie, SessionSealer } from './console/session';
import { finishDocument } from './openapi-docs';
import { DefinitionCatalog } from './services/definitions';
import { addSecurityHeaders } from './security-headers';
import { RunService } from './services/runs';
import { jsonDepth, MAX_JSON_DEPTH } from '../core/json-depth';
import { isTemporalUnreachable, temporalUnavailable } from '../temporal/unavailable';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Served without an API key (health, OAuth callback, Gong webhooks: they verify their own way). */
    public?: boolean;
  }
  interface FastifyInstance {
    gongflow: { context: ApiContext; routes: RegisteredRoute[] };
  }
  interface FastifyRequest {
    /** The API key the request authenticated with (absent on public routes). */
    apiKey?: ApiKeyRecord;
  }
}

export interface RegisteredRoute {
  method: string;
  url: string;
  public: boolean;
  /** Left out of the OpenAPI document (the document itself). */
  hidden: boolean;
}

export interface ApiServerDeps {
  config: GongflowConfig;
  client: Client;
  namespace: string;
  taskQueue: string;
  uiUrl?: string | undefined;
  connections: ConnectionResolver;
  /** Absolute data folder; default: config.dataDir against the working directory. */
  dataDir?: string;
  /** Absolute folder of the definitions the API lists and runs. */
  definitionsDir: string;
  /** Default: API keys stored hashed in Temporal. */
  apiKeys?: ApiKeyVerifier;
  /** Failed API-key lookups a client address may make per window before 429 (default 20 per 10 s). */
  unknownKeyLimit?: { windowMs: number; maxFailures: number };
  metrics?: ApiMetrics;
  logger?: FastifyServerOptions['logger'];
  /** How long GET /v1/runs/{id}/steps waits for a worker to answer (default 10 s). */
  stepLogTimeoutMs?: number;
  /** Folder of route plugins; default api/routes. */
  routesDir?: string;
}

const ROUTES_DIR = path.join(__dirname, 'routes');

/**
 * The HTTP API: Fastify with zod schemas (validation, serialisation and the OpenAPI document at
 * /openapi.json come from the same models), one error shape, API-key auth, Prometheus metrics, and the
 * route plugins of api/routes/*.ts.
 */
export async function createApiServer(deps: ApiServerDeps): Promise<FastifyInstance> {
  const app = Fastify({
    logger: deps.logger ?? false,
    bodyLimit: 2 * 1024 * 1024,
    // Ids up to the schemas' own limits reach validation (and its error shape); longer ones and bad URLs
    // are refused here, in gongflow's shape too.
    routerOptions: { maxParamLength: 1_000 },
    frameworkErrors: (error, _request, reply) => {
      const plain = reply as unknown as FastifyReply;
      void plain.code(error.code === 'FST_ERR_MAX_PARAM_LENGTH' ? 414 : 400).send(
        errorBody(API_ERROR_CODES.invalidRequest, `Invalid request URL: ${error.message.slice(0, 200)}`, {
          hint: 'Path parameters are at most a few hundred characters; the routes are listed in /openapi.json.',
        }),
      );
    },
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  addSecurityHeaders(app);

  installTracing(); // when OTEL_EXPORTER_OTLP_* name a collector (observability/tracing.ts)
  const metrics = deps.metrics ?? createApiMetrics();
  const definitions = new DefinitionCatalog(deps.definitionsDir);
  const context: ApiContext = {
    config: deps.config,
    client: deps.client,
    namespace: deps.namespace,
    taskQueue: deps.taskQueue,
    uiUrl: deps.uiUrl,
    connections: deps.connections,
    definitions,
    runs: new RunService({
      client: deps.client,
      namespace: deps.namespace,
      taskQueue: deps.taskQueue,
      uiUrl: deps.uiUrl,
      definitions,
      connections: deps.connections,
      ...(deps.stepLogTimeoutMs !== undefined ? { stepLogTimeoutMs: deps.stepLogTimeoutMs } : {}),
      onStarted: (run) => metrics.runsStarted.inc({ definition: run.definition ?? 'unknown' }),
    }),
    apiKeys: deps.apiKeys ?? new TemporalApiKeyStore(deps.client, { taskQueue: deps.taskQueue }),
    metrics,
    dataDir: deps.dataDir ?? path.resolve(deps.config.dataDir),
    sessions: SessionSealer.forClient(deps.client),
    publicUrl: () => deps.config.http.publicUrl ?? listenUrl(app),
  };
  const sessions = context.sessions;
  const routes: RegisteredRoute[] = [];
  app.decorate('gongflow', { context, routes });

  app.addHook('onRoute', (route) => {
    const isPublic = route.config?.public === true;
    const hidden = route.schema?.hide === true;
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods) {
      if (method === 'HEAD') continue;
      routes.push({ method, url: route.url, public: isPublic, hidden });
    }
    traceRequests(route);
    if (hidden) return;
    // Every route says whether it needs a key; every route with schemas answers errors in the one shape.
    route.schema = {
      ...route.schema,
      ...(route.schema
        ? { response: { ...(route.schema.response as object), '4xx': ApiErrorSchema, '5xx': ApiErrorSchema } }
        : {}),
      ...(isPublic ? { security: [] } : {}),
    };
  });

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'gongflow API',
        version: '1',
        description:
          'Start and follow gongflow runs, validate definitions. Every error answers ' +
          '`{ error: { code, message, hint?, details? } }` with a stable code.',
      },
      components: {
        securitySchemes: {
          apiKey: {
            type: 'http',
            scheme: 'bearer',
            description: 'gongflow API key (gfk_...), created with `gongflow api-keys create`.',
          },
        },
      },
      security: [{ apiKey: [] }],
    },
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject,
  });

  const unknownKeys = new UnknownKeyLimiter(deps.unknownKeyLimit);
  app.addHook('onRequest', async (request, reply) => {
    if (request.is404 || request.routeOptions.config.public) return;
    const key = requestKey(request, sessions);
    const waitMs = unknownKeys.retryAfterMs(request.ip, key);
    if (waitMs > 0) {
      reply.header('retry-after', String(Math.ceil(waitMs / 1000)));
      throw new GongflowError(
        'API_RATE_LIMITED',
        'Too many requests with unknown API keys from this address.',
        {
          hint: `Check the key; try again in ${Math.ceil(waitMs / 1000)} s.`,
        },
      );
    }
    const record = await context.apiKeys.verify(key);
    if (record) unknownKeys.succeeded(key);
    else unknownKeys.failed(request.ip);
    if (!record) {
      throw new GongflowError(
        API_ERROR_CODES.unauthorized,
        'The API key is not valid (unknown or revoked).',
        {
          hint: 'Check the key, or create a new one with `gongflow api-keys create --name <who>`.',
        },
      );
    }
    request.apiKey = record;
  });

  // Deeply nested JSON would overflow the stack of whatever walks it next (hashing, evaluation): refused
  // at the door, with the limit.
  app.addHook('preValidation', (request, _reply, done) => {
    if (
      request.body !== null &&
      typeof request.body === 'object' &&
      jsonDepth(request.body, MAX_JSON_DEPTH) > MAX_JSON_DEPTH
    ) {
      done(
        new GongflowError(
          API_ERROR_CODES.invalidRequest,
          `The request body nests deeper than ${MAX_JSON_DEPTH} levels.`,
          {
            hint: `Flatten the JSON: gongflow accepts at most ${MAX_JSON_DEPTH} levels of objects and arrays.`,
          },
        ),
      );
      return;
    }
    done();
  });

  app.addHook('onResponse', async (request, reply) => {
    const route = request.is404 ? 'not_found' : (request.routeOptions.url ?? 'not_found');
    metrics.httpRequests.inc({ method: request.method, route, status: String(reply.statusCode) });
    metrics.httpDuration.observe({ method: request.method, route }, reply.elapsedTime / 1000);
  });

  app.setNotFoundHandler((request, reply) =>
    reply.code(404).send(
      errorBody(API_ERROR_CODES.routeNotFound, `No route ${request.method} ${request.url.split('?')[0]}.`, {
        hint: 'The routes are listed in /openapi.json.',
      }),
    ),
  );

  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (hasZodFastifySchemaValidationErrors(error)) {
      return reply.code(400).send(
        errorBody(
          API_ERROR_CODES.invalidRequest,
          `Invalid request ${error.validationContext ?? ''}: ${error.message}`,
          {
            hint: 'The request schemas are in /openapi.json.',
            details: error.validation.map((issue) => ({
              message: issue.message ?? 'invalid',
              path: `${error.validationContext ?? ''}${issue.instancePath.replace(/\//g, '.')}`,
            })),
          },
        ),
      );
    }
    if (!(error instanceof GongflowError) && isTemporalUnreachable(error)) {
      const unavailable = temporalUnavailable(error);
      request.log.warn({ err: error }, unavailable.message);
      return reply.code(503).send(gongflowErrorBody(unavailable));
    }
    if (error instanceof GongflowError) {
      const status = statusForCode(error.code);
      if (status >= 500) request.log.error({ err: error }, error.message);
      return reply.code(status).send(gongflowErrorBody(error));
    }
    if (!isResponseSerializationError(error) && error.statusCode && error.statusCode < 500) {
      const code = error.statusCode === 400 ? API_ERROR_CODES.invalidRequest : `API_HTTP_${error.statusCode}`;
      return reply.code(error.statusCode).send(errorBody(code, error.message));
    }
    request.log.error({ err: error }, 'unexpected error');
    return reply.code(500).send(
      errorBody(API_ERROR_CODES.internal, 'Something went wrong on the server.', {
        hint: 'See the server log.',
      }),
    );
  });

  app.get('/openapi.json', { schema: { hide: true }, config: { public: true } }, () =>
    finishDocument(app.swagger(), context.publicUrl()),
  );

  for (const plugin of loadRoutePlugins(deps.routesDir ?? ROUTES_DIR)) {
    await app.register(plugin, { context });
  }
  await app.ready();
  return app;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * The API key a request authenticates with: `Authorization: Bearer <key>`, or else the console's session
 * cookie, which for unsafe methods must come with the session's CSRF token from this origin.
 */
function requestKey(request: FastifyRequest, sessions: SessionSealer): string {
  const match = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '');
  if (match) return match[1] as string;
  const session = sessions.open(sessionCookie(request));
  if (!session) {
    throw new GongflowError(API_ERROR_CODES.unauthorized, 'This endpoint needs an API key.', {
      hint: 'Send Authorization: Bearer <key>; create a key with `gongflow api-keys create --name <who>`.',
    });
  }
  if (!SAFE_METHODS.has(request.method)) {
    const token = request.headers[CSRF_HEADER];
    if (
      !sameOrigin(request) ||
      !sessions.acceptsCsrf(session, typeof token === 'string' ? token : undefined)
    ) {
      throw new GongflowError(
        'API_CSRF_REJECTED',
        'This request came with the console session but without its CSRF token.',
        {
          hint: 'Actions with the session cookie are made from the console pages; API clients send Authorization: Bearer <key>.',
        },
      );
    }
  }
  return session.apiKey;
}

/** Every `*.ts` (or built `*.js`) in the routes folder, sorted by name, default-exporting an ApiRoutes. */
export function loadRoutePlugins(dir: string): ApiRoutes[] {
  return readdirSync(dir)
    .filter((name) => /\.(ts|js)$/.test(name) && !/\.(test|d)\.(ts|js)$/.test(name))
    .sort()
    .map((name) => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- route plugins are discovered at start-up
      const loaded = require(path.join(dir, name)) as { default?: unknown };
      if (typeof loaded.default !== 'function') {
        throw new GongflowError(
          'API_BAD_ROUTE_PLUGIN',
          `api/routes/${name} does not default-export a route plugin.`,
          {
            hint: 'Export `const routes: ApiRoutes = async (app, { context }) => { ... }; export default routes;`.',
          },
        );
      }
      return loaded.default as ApiRoutes;
    });
}

function listenUrl(app: FastifyInstance): string {
  const address = app.server.address();
  if (!address || typeof address === 'string') return 'http://127.0.0.1';
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return `http://${host === '0.0.0.0' || host === '[::]' ? '127.0.0.1' : host}:${address.port}`;
}
