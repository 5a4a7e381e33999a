import type { ApiContext, ApiRoutes } from '../context';
import { GongWebhookReceiver } from '../../triggers/webhook-receiver';

/** Gong's largest automation-rule payloads (extensive call data) stay well below this; runs carry it in history. */
export const WEBHOOK_BODY_LIMIT = 1_536 * 1024;

/**
 * POST /webhooks/gong/:connectionId: the destination URL of a Gong automation rule ("Fire webhook").
 * Public (no API key): Gong authenticates with the rule's signed JWT or a key in the URL, checked against
 * the raw body bytes, which is why this plugin reads every body as a Buffer.
 */
const gongWebhooks: ApiRoutes = async (app, { context }) => {
  const receiver = new GongWebhookReceiver({ client: context.client });
  app.addHook('onClose', () => receiver.close());
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(
    '*',
    { parseAs: 'buffer', bodyLimit: WEBHOOK_BODY_LIMIT },
    (_request, body, done) => done(null, body),
  );
  app.post<{ Params: { connectionId: string }; Querystring: { key?: string } }>(
    '/webhooks/gong/:connectionId',
    { config: { public: true }, bodyLimit: WEBHOOK_BODY_LIMIT },
    async (request, reply) => {
      const answer = await receiver.receive({
        connectionId: request.params.connectionId,
        rawBody: Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0),
        receivedUrl: receivedUrl(context, request.url),
        authorization: request.headers.authorization,
        urlKey: typeof request.query.key === 'string' ? request.query.key : undefined,
      });
      return reply.code(answer.status).send(answer.body);
    },
  );
  return Promise.resolve();
};

/**
 * The URL Gong addressed: the configured public URL plus the path and query received. Never the request's
 * Host header: whoever sends the request chooses it, so a token signed for another URL would pass the
 * webhook_url check. Without http.publicUrl, signed deliveries are refused (WEBHOOK_PUBLIC_URL_UNSET).
 */
function receivedUrl(context: Pick<ApiContext, 'config'>, path: string): string | undefined {
  const base = context.config.http.publicUrl;
  return base === undefined ? undefined : `${base.replace(/\/+$/, '')}${path}`;
}

export default gongWebhooks;
