import { z } from 'zod';
import { MAX_CONNECTION_SECRET_BYTES } from '../../connections/model';
import type { ApiRoutes } from '../context';
import { connectionServicesFor } from './connections';

const SecretInfoSchema = z
  .object({
    name: z.string().describe('What definitions read as secrets.<name>.'),
    updatedAt: z.string().describe('When the value was last set (ISO 8601).'),
  })
  .meta({ id: 'ConnectionSecret' });

const SecretsSchema = z.object({ secrets: z.array(SecretInfoSchema) });
const ConnectionParams = z.object({ id: z.string() });
const SecretParams = z.object({ id: z.string(), name: z.string() });

/**
 * Named secrets of a connection: http steps of its runs read `secrets.<name>` here before the
 * operator-wide ones. Values go in and are never read back: answers carry names and update times.
 */
const connectionSecrets: ApiRoutes = (app, { context }) => {
  const tags = ['connections'];
  const secrets = () => connectionServicesFor(context).namedSecrets;

  app.get(
    '/v1/connections/:id/secrets',
    {
      schema: {
        tags,
        summary: "The connection's secrets: names and update times, never values.",
        params: ConnectionParams,
        response: { 200: SecretsSchema },
      },
    },
    async (request) => ({ secrets: await secrets().list(request.params.id) }),
  );

  app.put(
    '/v1/connections/:id/secrets/:name',
    {
      schema: {
        tags,
        summary: 'Set or rotate a secret of the connection (sealed before it is stored).',
        params: SecretParams,
        body: z.object({ value: z.string().min(1).max(MAX_CONNECTION_SECRET_BYTES) }),
        response: { 200: SecretsSchema },
      },
    },
    async (request) => ({
      secrets: await secrets().set(request.params.id, request.params.name, request.body.value),
    }),
  );

  app.delete(
    '/v1/connections/:id/secrets/:name',
    {
      schema: {
        tags,
        summary: 'Remove a secret of the connection.',
        params: SecretParams,
        response: { 200: SecretsSchema },
      },
    },
    async (request) => ({ secrets: await secrets().remove(request.params.id, request.params.name) }),
  );
  return Promise.resolve();
};

export default connectionSecrets;
