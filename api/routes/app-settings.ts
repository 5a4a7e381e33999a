import { z } from 'zod';
import { DEFAULT_SETTINGS_KEY } from '../../connections/app-settings';
import { GONG_SCOPES } from '../../gong/catalog/scopes';
import { appSettingsPage } from '../pages/app-settings-page';
import type { ApiRoutes } from '../context';
import { connectionServicesFor } from './connections';

const AppSettingsViewSchema = z
  .object({
    key: z.string(),
    inherited: z.boolean(),
    credentials: z.union([
      z.object({ kind: z.literal('ours'), clientId: z.string().nullable() }),
      z.object({ kind: z.literal('yours'), clientId: z.string(), hasSecret: z.literal(true) }),
    ]),
    mandatoryScopes: z.array(z.string()),
    additionalScopes: z.array(z.string()),
    customScopes: z.array(z.string()),
    scopes: z.array(z.string()),
    warnings: z.array(z.string()),
    callbackUrl: z.string(),
  })
  .meta({ id: 'AppSettings' });

const CustomerQuery = z.object({
  customer: z.string().optional().describe('Customer-specific settings; absent: the defaults for everyone.'),
});

/** App settings: which Gong OAuth app (ours or yours), which scopes, and the callback URL. */
const appSettings: ApiRoutes = (app, { context }) => {
  const tags = ['app settings'];
  const settings = () => connectionServicesFor(context).settings;

  app.get(
    '/v1/app-settings',
    {
      schema: {
        tags,
        summary: 'The Gong app settings.',
        querystring: CustomerQuery,
        response: { 200: AppSettingsViewSchema },
      },
    },
    (request) => settings().view(request.query.customer ?? DEFAULT_SETTINGS_KEY),
  );

  app.put(
    '/v1/app-settings',
    {
      schema: {
        tags,
        summary: 'Save the Gong app settings (client secret write-only; api:users:read is always included).',
        querystring: CustomerQuery,
        body: z.object({
          credentials: z.union([
            z.object({ kind: z.literal('ours') }),
            z.object({ kind: z.literal('yours'), clientId: z.string(), clientSecret: z.string().optional() }),
          ]),
          additionalScopes: z.array(z.string()).default([]),
          customScopes: z.array(z.string()).default([]),
        }),
        response: { 200: AppSettingsViewSchema },
      },
    },
    (request) => settings().save(request.query.customer ?? DEFAULT_SETTINGS_KEY, request.body),
  );

  app.delete(
    '/v1/app-settings',
    {
      schema: {
        tags,
        summary: 'Back to the defaults (temporal.yaml).',
        querystring: CustomerQuery,
        response: { 200: AppSettingsViewSchema },
      },
    },
    async (request) => {
      const key = request.query.customer ?? DEFAULT_SETTINGS_KEY;
      await settings().reset(key);
      return settings().view(key);
    },
  );

  app.get(
    '/v1/app-settings/scopes',
    {
      schema: {
        tags,
        summary: "Gong's known scopes (the additional scopes to choose from).",
        response: {
          200: z.object({
            mandatory: z.array(z.string()),
            known: z.array(z.object({ scope: z.string(), description: z.string(), source: z.string() })),
          }),
        },
      },
    },
    () => ({ mandatory: ['api:users:read'], known: GONG_SCOPES.map((scope) => ({ ...scope })) }),
  );

  // The page itself is public: it holds no data and calls the API with the key typed into it.
  app.get('/settings/gong', { config: { public: true } }, (request, reply) => {
    const customer = (request.query as { customer?: unknown }).customer;
    return reply.type('text/html; charset=utf-8').send(
      appSettingsPage({
        callbackUrl: settings().callbackUrl,
        ...(typeof customer === 'string' ? { customer } : {}),
      }),
    );
  });
  return Promise.resolve();
};

export default appSettings;
