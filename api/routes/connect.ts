import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import {
  CONNECT_LINK_MAX_TTL_SECONDS,
  CONNECT_START_PATH,
  connectLinkStatus,
  type ConnectLink,
} from '../../connections/connect-link';
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
  const status = connectLinkStatus(error.code) ?? (error.code === 'OAUTH_APP_NOT_CONFIGURED' ? 503 : 400);
  if (wantsJson(request))
    return reply.code(status).send(errorBody(error.code, error.message, { hint: error.hint }));
  return reply.code(status).type('text/html; charset=utf-8').send(connectErrorPage(error));
}

export const CreateConnectLinkRequestSchema = z.object({
  customer: z
    .string()
    .optional()
    .describe('Customer the Gong belongs to (app settings are per customer); default: the connection id.'),
  expiresInSeconds: z
    .number()
    .int()
    .min(60)
    .max(CONNECT_LINK_MAX_TTL_SECONDS)
    .optional()
    .describe('How long the link works; default a week.'),
});

export const ConnectLinkSchema = z
  .object({
    url: z.string().describe("The link to send to the customer's Gong technical administrator."),
    connectionId: z.string(),
    customer: z.string(),
    expiresAt: z.string().describe('ISO-8601; the link is refused (410) after it.'),
  })
  .meta({ id: 'ConnectLink' });

export type CreateConnectLinkRequest = z.infer<typeof CreateConnectLinkRequestSchema>;
export type ConnectLinkResponse = z.infer<typeof ConnectLinkSchema>;

/** The signed parameters of a link, to carry from the connect page on to the start route. */
function linkParams(link: ConnectLink, query: Query): Record<string, string> {
  return {
    connection: link.connectionId,
    customer: link.customer,
    expires: String(link.expires),
    signature: query['signature'] ?? '',
  };
}

/**
 * The public half of the OAuth install: the connect page a signed, expiring link opens, the redirect to
 * Gong with a signed single-use state, and the callback Gong sends the admin back to. No API key: the
 * link's signature lets an admin in, for that one connection; the state protects the callback. Creating a
 * link needs an API key.
 */
const connect: ApiRoutes = (app, { context }) => {
  app.post(
    '/v1/connections/:id/connect-link',
    {
      schema: {
        tags: ['connections'],
        summary:
          "A signed, expiring link to the connect page for this connection (send it to the customer's Gong admin).",
        params: z.object({ id: z.string() }),
        body: CreateConnectLinkRequestSchema.optional(),
        response: { 201: ConnectLinkSchema },
      },
    },
    async (request, reply) => {
      const link = await connectionServicesFor(context).createConnectLink({
        connectionId: request.params.id,
        ...(request.body?.customer ? { customer: request.body.customer } : {}),
        ...(request.body?.expiresInSeconds !== undefined
          ? { expiresInSeconds: request.body.expiresInSeconds }
          : {}),
      });
      return reply.code(201).send({
        url: link.url,
        connectionId: link.connectionId,
        customer: link.customer,
        expiresAt: link.expiresAt,
      });
    },
  );

  app.get('/connect/gong', { config: { public: true } }, async (request, reply) => {
    const { install, links } = connectionServicesFor(context);
    const query = stringQuery(request);
    try {
      const link = links.verify(query);
      const expiresAt = new Date(link.expires * 1000).toISOString();
      const params = linkParams(link, query);
      if (wantsJson(request)) {
        return await reply.send({
          connectionId: link.connectionId,
          customer: link.customer,
          expiresAt,
          startUrl: `${CONNECT_START_PATH}?${new URLSearchParams(params).toString()}`,
        });
      }
      return await reply.type('text/html; charset=utf-8').send(
        connectPage({
          connectionId: link.connectionId,
          customer: link.customer,
          expiresAt,
          link: params,
          callbackUrl: install.callbackUrl,
        }),
      );
    } catch (error) {
      return failure(request, reply, error);
    }
  });

  app.get(CONNECT_START_PATH, { config: { public: true } }, async (request, reply) => {
    const { install, links } = connectionServicesFor(context);
    try {
      const link = links.verify(stringQuery(request));
      const { authorizeUrl } = await install.begin({
        customer: link.customer,
        connectionId: link.connectionId,
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
