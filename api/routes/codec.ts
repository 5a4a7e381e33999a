import type { Payload, PayloadCodec } from '@temporalio/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { GongflowError } from '../../core/errors';
import { EncryptionCodec } from '../../workers/payload-codec';
import type { ApiContext, ApiRoutes } from '../context';
import { API_ERROR_CODES } from '../errors';

/**
 * Temporal's remote codec protocol, so the Temporal UI (and `temporal workflow show --codec-endpoint`)
 * can show the payloads gongflow encrypts: POST `<endpoint>/decode` and `<endpoint>/encode` with
 * `{ payloads: [{ metadata: { key: base64 }, data: base64 }] }` (protobuf JSON), answered in kind.
 *
 * Two endpoints, one codec (the API's own client's):
 * - `/v1/codec` needs an API key like every route (`--codec-auth 'Bearer gfk_...'` for the CLI);
 * - `/v1/codec/ui/<token>` is for the Temporal UI, which cannot send an API key: the token in the URL is
 *   derived from the encryption key (workers/payload-codec.ts `uiCodecToken`), so only someone given the
 *   URL (the UI's settings) can use it. `gongflow server` prints it and passes it to the dev server it starts.
 */
const PayloadJsonSchema = z.object({
  metadata: z.record(z.string(), z.string()).optional().describe('Metadata values, base64.'),
  data: z.string().optional().describe('Payload bytes, base64.'),
});
const PayloadsJsonSchema = z
  .object({ payloads: z.array(PayloadJsonSchema) })
  .meta({ id: 'CodecPayloads', description: 'Temporal Payloads as protobuf JSON (bytes in base64).' });
type PayloadsJson = z.infer<typeof PayloadsJsonSchema>;

const CODEC_BODY_LIMIT = 16 * 1024 * 1024; // a history page of 2 MB payloads, base64-encoded
const OPERATIONS = ['encode', 'decode'] as const;
type Operation = (typeof OPERATIONS)[number];

const codec: ApiRoutes = (app, { context }) => {
  const allowOrigin = corsOrigins(context.uiUrl);
  const withCors = (request: FastifyRequest, reply: FastifyReply, payload: unknown): Promise<unknown> => {
    const origin = request.headers.origin;
    if (origin && allowOrigin(origin)) {
      void reply.header('access-control-allow-origin', origin).header('vary', 'Origin');
    }
    return Promise.resolve(payload);
  };

  for (const operation of OPERATIONS) {
    app.post(
      `/v1/codec/${operation}`,
      {
        bodyLimit: CODEC_BODY_LIMIT,
        onSend: withCors,
        schema: {
          tags: ['codec'],
          summary: `Temporal remote codec: ${operation} payloads with gongflow's encryption keys.`,
          description:
            'For `temporal workflow show --codec-endpoint <api>/v1/codec --codec-auth "Bearer <key>"` and ' +
            'Temporal UIs that can send the key. The Temporal UI without one uses /v1/codec/ui/<token> ' +
            '(printed by `gongflow server`).',
          body: PayloadsJsonSchema,
          response: { 200: PayloadsJsonSchema },
        },
      },
      (request) => transcode(context, operation, request.body),
    );
    app.post(
      `/v1/codec/ui/:token/${operation}`,
      {
        bodyLimit: CODEC_BODY_LIMIT,
        onSend: withCors,
        config: { public: true },
        schema: {
          tags: ['codec'],
          summary: `Temporal remote codec for the Temporal UI: ${operation} payloads.`,
          description:
            'The URL carries a token derived from the encryption key instead of an API key (the UI cannot ' +
            'send one): `gongflow server` prints it and gives it to the dev server it starts.',
          params: z.object({ token: z.string().describe('Printed by `gongflow server`.') }),
          body: PayloadsJsonSchema,
          response: { 200: PayloadsJsonSchema },
        },
      },
      (request) => {
        if (!encryptionCodec(context)?.cipher.acceptsUiCodecToken(request.params.token)) {
          throw new GongflowError(API_ERROR_CODES.unauthorized, 'This codec endpoint URL is not valid.', {
            hint: 'Copy the Temporal UI codec endpoint `gongflow server` prints (it changes with the encryption key).',
          });
        }
        return transcode(context, operation, request.body);
      },
    );
    // Preflight: the UI posts JSON with an X-Namespace header, so browsers ask first (without credentials).
    for (const url of [`/v1/codec/${operation}`, `/v1/codec/ui/:token/${operation}`]) {
      const preflight = {
        tags: ['codec'],
        summary: 'CORS preflight of the Temporal UI (answered for its origin only).',
        ...(url.includes(':token') ? { params: z.object({ token: z.string() }) } : {}),
        response: { 204: z.null().describe('No body; CORS headers.') },
      };
      // Refusing means leaving the CORS headers out: the browser then stops the request itself.
      app.options(url, { config: { public: true }, schema: preflight }, (request, reply) => {
        const origin = request.headers.origin;
        if (origin && allowOrigin(origin)) {
          void reply
            .header('access-control-allow-origin', origin)
            .header('vary', 'Origin')
            .header('access-control-allow-methods', 'POST')
            .header(
              'access-control-allow-headers',
              'content-type, x-namespace, authorization, authorization-extras',
            )
            .header('access-control-max-age', '600');
        }
        void reply.code(204).send(null);
      });
    }
  }
  return Promise.resolve();
};

export default codec;

/**
 * Origins allowed to call from a browser: the Temporal UI gongflow knows of (and its localhost/127.0.0.1
 * twin). With no UI known (e.g. Temporal Cloud's), any origin: the endpoints take no cookies, so a page
 * elsewhere gains nothing without the key or token.
 */
function corsOrigins(uiUrl: string | undefined): (origin: string) => boolean {
  if (!uiUrl) return () => true;
  const ui = new URL(uiUrl);
  const twins = new Set([ui.origin]);
  for (const [from, to] of [
    ['localhost', '127.0.0.1'],
    ['127.0.0.1', 'localhost'],
  ] as const) {
    if (ui.hostname === from) twins.add(`${ui.protocol}//${to}${ui.port ? `:${ui.port}` : ''}`);
  }
  return (origin) => twins.has(origin);
}

function codecsOf(context: ApiContext): PayloadCodec[] {
  // The client's own codecs: what workers and clients of this project write is what the UI can read.
  return context.client.options?.loadedDataConverter.payloadCodecs ?? [];
}

function encryptionCodec(context: ApiContext): EncryptionCodec | undefined {
  return codecsOf(context).find((candidate) => candidate instanceof EncryptionCodec);
}

async function transcode(
  context: ApiContext,
  operation: Operation,
  body: PayloadsJson,
): Promise<PayloadsJson> {
  let payloads = body.payloads.map(fromJson);
  const codecs = codecsOf(context);
  try {
    if (operation === 'encode') {
      for (const each of codecs) payloads = await each.encode(payloads);
    } else {
      for (const each of [...codecs].reverse()) payloads = await each.decode(payloads);
    }
  } catch (error) {
    if (error instanceof GongflowError) throw error;
    throw new GongflowError('CODEC_FAILED', `Cannot ${operation} the payloads: ${(error as Error).message}`, {
      hint: 'The payloads were not written by this project, or were altered.',
    });
  }
  return { payloads: payloads.map(toJson) };
}

function fromJson(payload: PayloadsJson['payloads'][number]): Payload {
  return {
    metadata: Object.fromEntries(
      Object.entries(payload.metadata ?? {}).map(([key, value]) => [key, Buffer.from(value, 'base64')]),
    ),
    data: Buffer.from(payload.data ?? '', 'base64'),
  };
}

function toJson(payload: Payload): PayloadsJson['payloads'][number] {
  return {
    metadata: Object.fromEntries(
      Object.entries(payload.metadata ?? {}).map(([key, value]) => [
        key,
        Buffer.from(value).toString('base64'),
      ]),
    ),
    data: Buffer.from(payload.data ?? new Uint8Array()).toString('base64'),
  };
}
