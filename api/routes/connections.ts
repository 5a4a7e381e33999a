import path from 'node:path';
import { z } from 'zod';
import { addKeyConnection, testGongCredentials } from '../../connections/access-keys';
import { connectionServices, type ConnectionServices } from '../../connections/services';
import { GongflowError } from '../../core/errors';
import type { ApiContext, ApiRoutes } from '../context';

const services = new WeakMap<ApiContext, ConnectionServices>();

/** The connection services of one API server, built once from its context. */
export function connectionServicesFor(context: ApiContext): ConnectionServices {
  let found = services.get(context);
  if (!found) {
    found = connectionServices({
      config: context.config,
      client: context.client,
      taskQueue: context.taskQueue,
      resolver: context.connections,
      dataDir: path.resolve(context.config.dataDir),
      publicUrl: context.publicUrl,
    });
    services.set(context, found);
  }
  return found;
}

export const ConnectionSummarySchema = z
  .object({
    id: z.string(),
    customer: z.string(),
    authType: z.enum(['oauth', 'key']),
    apiBaseUrl: z.string(),
    scopes: z.array(z.string()).nullable().describe('Granted scopes; null for unscoped access keys.'),
    status: z.enum(['active', 'needs_reauth', 'revoked']),
    statusReason: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
    refreshes: z.number(),
    accessTokenExpiresAt: z.string().nullable(),
    accessKey: z.string().nullable(),
    clientId: z.string().nullable(),
    source: z.enum(['temporal', 'config']).optional(),
  })
  .meta({ id: 'Connection' });

const IdParams = z.object({ id: z.string() });

/** Gong connections: list, add an access key (tested first), start OAuth, test, revoke, delete. */
const connections: ApiRoutes = (app, { context }) => {
  const tags = ['connections'];

  app.get(
    '/v1/connections',
    {
      schema: {
        tags,
        summary: 'Every Gong connection (secrets never included).',
        response: { 200: z.object({ connections: z.array(ConnectionSummarySchema) }) },
      },
    },
    async () => ({ connections: await connectionServicesFor(context).list() }),
  );

  app.get(
    '/v1/connections/:id',
    {
      schema: {
        tags,
        summary: 'One connection.',
        params: IdParams,
        response: { 200: ConnectionSummarySchema },
      },
    },
    async (request) => {
      const all = await connectionServicesFor(context).list();
      const found = all.find((connection) => connection.id === request.params.id);
      if (!found) throw notFound(request.params.id);
      return found;
    },
  );

  app.post(
    '/v1/connections/key',
    {
      schema: {
        tags,
        summary: 'Add (or replace) a key-based connection; Gong must accept the key (GET /v2/users) first.',
        body: z.object({
          id: z.string(),
          customer: z.string().optional(),
          baseUrl: z.string().describe('The API base URL Gong shows next to the key.'),
          accessKey: z.string(),
          accessKeySecret: z.string(),
          scopes: z.array(z.string()).nullable().optional(),
        }),
        response: { 201: z.object({ connection: ConnectionSummarySchema, totalUsers: z.number() }) },
      },
    },
    async (request, reply) => {
      const { durable, secrets } = connectionServicesFor(context);
      const result = await addKeyConnection(durable, secrets, request.body);
      return reply.code(201).send(result);
    },
  );

  app.post(
    '/v1/connections/oauth',
    {
      schema: {
        tags,
        summary: 'Start connecting a customer with OAuth: the link to send to their Gong admin.',
        body: z.object({ customer: z.string(), connectionId: z.string().optional() }),
        response: {
          200: z.object({
            connectUrl: z
              .string()
              .describe('Signed connect link (see POST /v1/connections/{id}/connect-link).'),
            connectUrlExpiresAt: z.string(),
            authorizeUrl: z.string(),
            callbackUrl: z.string(),
          }),
        },
      },
    },
    async (request) => {
      const { install, links } = connectionServicesFor(context);
      const { authorizeUrl } = await install.begin(request.body);
      const link = links.create({
        connectionId: request.body.connectionId ?? request.body.customer,
        customer: request.body.customer,
      });
      return {
        connectUrl: link.url,
        connectUrlExpiresAt: link.expiresAt,
        authorizeUrl,
        callbackUrl: install.callbackUrl,
      };
    },
  );

  app.post(
    '/v1/connections/:id/test',
    {
      schema: {
        tags,
        summary: 'Calls GET /v2/users with the connection.',
        params: IdParams,
        response: {
          200: z.object({
            ok: z.boolean(),
            totalUsers: z.number().optional(),
            status: z.number().optional(),
            message: z.string().optional(),
          }),
        },
      },
    },
    async (request) => {
      const credentials = await context.connections.credentials(request.params.id);
      return testGongCredentials({
        baseUrl: credentials.baseUrl,
        authorization: await credentials.authorization(),
      });
    },
  );

  app.post(
    '/v1/connections/:id/revoke',
    {
      schema: {
        tags,
        summary: 'Revoke: secrets dropped, runs fail until reconnected.',
        params: IdParams,
        body: z.object({ reason: z.string().optional() }).optional(),
        response: { 200: ConnectionSummarySchema },
      },
    },
    async (request) => {
      assertDurable(request.params.id);
      return connectionServicesFor(context).durable.revoke(request.params.id, request.body?.reason);
    },
  );

  app.delete(
    '/v1/connections/:id',
    {
      schema: {
        tags,
        summary: 'Delete a connection.',
        params: IdParams,
        response: { 200: ConnectionSummarySchema },
      },
    },
    async (request) => {
      assertDurable(request.params.id);
      return connectionServicesFor(context).durable.remove(request.params.id);
    },
  );

  function assertDurable(id: string): void {
    if (connectionServicesFor(context).configured?.ids().includes(id)) {
      throw new GongflowError('CONNECTION_READ_ONLY', `Connection "${id}" is declared in temporal.yaml.`, {
        hint: 'Remove it from temporal.yaml (connections:) instead.',
      });
    }
  }
  return Promise.resolve();
};

function notFound(id: string): GongflowError {
  return new GongflowError('CONNECTION_NOT_FOUND', `No Gong connection "${id}".`, {
    hint: 'GET /v1/connections lists them.',
  });
}

export default connections;
