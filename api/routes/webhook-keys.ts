import { z } from 'zod';
import { addWebhookKeys, listWebhookKeys, revokeWebhookKey, webhookUrl } from '../../triggers/webhook-keys';
import type { ApiRoutes } from '../context';

const connection = z
  .string()
  .min(1)
  .max(200)
  .describe('Gong connection whose webhook endpoint holds the keys.');

export const WebhookKeySchema = z
  .object({
    id: z
      .string()
      .describe('pk_<12 hex> (public key) or uk_<12 hex> (URL key): the SHA-256 of the key, cut.'),
    type: z.enum(['public-key', 'url-key']),
    detail: z.string(),
  })
  .meta({ id: 'WebhookKey' });

export const WebhookKeyListSchema = z.object({ connection: z.string(), keys: z.array(WebhookKeySchema) });

export const AddWebhookKeysRequestSchema = z.object({
  connection,
  publicKey: z
    .string()
    .min(1)
    .max(8_000)
    .optional()
    .describe("A Gong rule's public key (base64 SPKI or PEM)."),
  urlKey: z
    .union([z.string().min(1).max(200), z.literal(true)])
    .optional()
    .describe('A URL key, or true to generate one (answered once, in urlKey and url).'),
});

export const AddedWebhookKeysSchema = z.object({
  added: z.array(WebhookKeySchema),
  urlKey: z
    .string()
    .optional()
    .describe('The generated URL key: shown this once, gongflow keeps only its hash.'),
  url: z
    .string()
    .optional()
    .describe("The Gong rule's destination URL with the generated key (needs http.publicUrl)."),
});

export const RevokeWebhookKeyRequestSchema = z.object({
  connection,
  key: z.string().min(1).max(8_000).describe('A key id from the list, or the key itself.'),
});

export const RevokedWebhookKeySchema = z.object({
  revoked: WebhookKeySchema,
  remaining: z.array(WebhookKeySchema),
});

export type WebhookKey = z.infer<typeof WebhookKeySchema>;
export type WebhookKeyList = z.infer<typeof WebhookKeyListSchema>;
export type AddWebhookKeysRequest = z.infer<typeof AddWebhookKeysRequestSchema>;
export type AddedWebhookKeys = z.infer<typeof AddedWebhookKeysSchema>;
export type RevokedWebhookKey = z.infer<typeof RevokedWebhookKeySchema>;

/**
 * Keys of a connection's Gong webhook endpoint (triggers/webhook-keys.ts): list, add, revoke. A revoked key
 * is refused by every receiver within 2 s of the revoke answering (receivers cache the endpoint that long).
 */
const webhookKeys: ApiRoutes = (app, { context }) => {
  const target = (connectionId: string) => ({ connection: connectionId, taskQueue: context.taskQueue });

  app.get(
    '/v1/triggers/webhook-keys',
    {
      schema: {
        tags: ['triggers'],
        operationId: 'listWebhookKeys',
        summary: "The public keys and URL keys of a connection's webhook endpoint, by id.",
        querystring: z.object({ connection }),
        response: { 200: WebhookKeyListSchema },
      },
    },
    async (request) => listWebhookKeys(context.client, target(request.query.connection)),
  );

  app.post(
    '/v1/triggers/webhook-keys',
    {
      schema: {
        tags: ['triggers'],
        operationId: 'addWebhookKeys',
        summary: "Add a Gong rule public key and/or a URL key to a connection's webhook endpoint.",
        body: AddWebhookKeysRequestSchema,
        response: { 200: AddedWebhookKeysSchema },
      },
    },
    async (request) => {
      const { connection: connectionId, publicKey, urlKey } = request.body;
      const result = await addWebhookKeys(context.client, target(connectionId), { publicKey, urlKey });
      const publicUrl = context.config.http.publicUrl;
      return {
        ...result,
        ...(result.urlKey && publicUrl
          ? { url: `${webhookUrl(publicUrl, connectionId)}?key=${result.urlKey}` }
          : {}),
      };
    },
  );

  app.post(
    '/v1/triggers/webhook-keys/revoke',
    {
      schema: {
        tags: ['triggers'],
        operationId: 'revokeWebhookKey',
        summary: 'Revoke a webhook key: deliveries with it are refused within 2 s of this answer.',
        body: RevokeWebhookKeyRequestSchema,
        response: { 200: RevokedWebhookKeySchema },
      },
    },
    async (request) => revokeWebhookKey(context.client, target(request.body.connection), request.body.key),
  );
  return Promise.resolve();
};

export default webhookKeys;
