import type { FastifyReply, FastifyRequest } from 'fastify';
import { GongflowError } from '../../core/errors';
import { connectedPage, connectErrorPage, connectPage } from '../pages/connect-pages';
import type { ApiRoutes } from '../context';
import { errorBody } from '../errors';
import { connectionServicesFor } from './connections';

type Query = Record<string, string | undefined>;

function stringQuery(request: FastifyRequest): Query {
  const query: Query = {};
  for (const [key, value] of Object.entries((request.query ?? {}) as Record<string, unknown>)) {
    query[key] = typeof value === 'string' ? value : undefined;
  }
  return query;
}

function wantsJson(request: FastifyRequest): boolean {
  const accept = request.headers.accept ?? '';
  return accept.includes('application/json') && !accept.includes('text/html');
}

/** A failed connect ends on a page that says what happened and what to do (or JSON for API clients). */
function failure(request: FastifyRequest, reply: FastifyReply, error: unknown): FastifyReply {
  if (!(error instanceof GongflowError)) throw error;
  request.log.warn({ code: error.code }, error.message);
  const status = error.code === 'OAUTH_APP_NOT_CONFIGURED' ? 503 : 400;
  if (wantsJson(request))
    return reply.code(status).send(errorBody(error.code, error.message, { hint: error.hint }));
  return reply.code(status).type('text/html; charset=utf-8').send(connectErrorPage(error));
}

/**
 * The public half of the OAuth install: the connect page, the redirect to Gong with a signed state, and
 * the callback Gong sends the admin back to. No API key: the signed, single-use state protects it.
 */
const connect: ApiRoutes = (app, { context }) => {
  app.get('/connect/gong', { config: { public: true } }, async (request, reply) => {
    const { install } = connectionServicesFor(context);
    const query = stringQuery(request);
    if (!query['customer']) {
      return reply.type('text/html; charset=utf-8').send(connectPage({ callbackUrl: install.callbackUrl }));
    }
    try {
      const { authorizeUrl } = await install.begin({
        customer: query['customer'],
        ...(query['connection'] ? { connectionId: query['connection'] } : {}),
      });
      return await reply.redirect(authorizeUrl, 302);
    } catch (error) {
      return failure(request, reply, error);
    }
  });

  app.get('/connect/gong/callback', { config: { public: true } }, async (request, reply) => {
    const { install } = connectionServicesFor(context);
    const query = stringQuery(request);
    try {
      const connection = await install.complete({
        code: query['code'],
        state: query['state'],
        error: query['error'],
        error_description: query['error_description'],
      });
      request.log.info({ connection: connection.id, customer: connection.customer }, 'Gong connected');
      if (wantsJson(request)) return await reply.send({ connection });
      return await reply.type('text/html; charset=utf-8').send(
        connectedPage({
          connectionId: connection.id,
          customer: connection.customer,
          apiBaseUrl: connection.apiBaseUrl,
          scopes: connection.scopes,
        }),
      );
    } catch (error) {
      return failure(request, reply, error);
    }
  });
  return Promise.resolve();
};

export default connect;
