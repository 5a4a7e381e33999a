import { createHash, createPublicKey, timingSafeEqual, verify, type KeyObject } from 'node:crypto';

/**
 * Verifies one Gong automation-rule delivery, one of two ways Gong offers:
 * - a key embedded in the destination URL (`?key=...`), compared by SHA-256 in constant time;
 * - an RS256 JWT in `Authorization` (Gong sends it bare; an optional `Bearer ` is accepted) signed by the
 *   rule's key, whose claims bind it to this delivery: `webhook_url` (the URL it was sent to),
 *   `body_sha256` (hex SHA-256 of the raw body bytes) and `exp`.
 * Whatever is presented must verify: a bad JWT is not rescued by a good URL key, or the reverse.
 */
export type DeliveryAuthentication =
  { ok: true; method: 'jwt' | 'url-key' } | { ok: false; code: WebhookAuthCode; message: string };

export type WebhookAuthCode =
  | 'WEBHOOK_UNAUTHENTICATED'
  | 'WEBHOOK_BAD_KEY'
  | 'WEBHOOK_BAD_SIGNATURE'
  | 'WEBHOOK_TOKEN_EXPIRED'
  | 'WEBHOOK_BODY_MISMATCH'
  | 'WEBHOOK_URL_MISMATCH'
  | 'WEBHOOK_METHOD_NOT_ALLOWED';

export interface DeliveryCredentials {
  urlKeySha256: readonly string[];
  /** Bare base64 SPKI (what Gong shows), or PEM. */
  publicKeys: readonly string[];
}

export interface DeliveryToVerify {
  rawBody: Buffer;
  /** Absolute URL the request was received at, as Gong addressed it (public URL, path and query). */
  receivedUrl: string;
  authorization: string | undefined;
  urlKey: string | undefined;
  /** Which methods the subscribed triggers accept. */
  allowed: 'jwt' | 'url-key' | 'either';
  nowMs?: number;
}

export function sha256Hex(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

export async function authenticateDelivery(
  delivery: DeliveryToVerify,
  credentials: DeliveryCredentials,
): Promise<DeliveryAuthentication> {
  const token = delivery.authorization?.replace(/^Bearer\s+/i, '').trim();
  if (token) {
    if (delivery.allowed === 'url-key')
      return fail('WEBHOOK_METHOD_NOT_ALLOWED', 'This endpoint accepts URL-key deliveries only.');
    return verifyJwt(token, delivery, credentials);
  }
  if (delivery.urlKey !== undefined) {
    if (delivery.allowed === 'jwt')
      return fail('WEBHOOK_METHOD_NOT_ALLOWED', 'This endpoint accepts signed (JWT) deliveries only.');
    const presented = Buffer.from(sha256Hex(delivery.urlKey), 'hex');
    const match = credentials.urlKeySha256.some((hash) => {
      const expected = Buffer.from(hash, 'hex');
      return expected.length === presented.length && timingSafeEqual(expected, presented);
    });
    return match
      ? { ok: true, method: 'url-key' }
      : fail('WEBHOOK_BAD_KEY', 'The key in the URL is not valid.');
  }
  return fail('WEBHOOK_UNAUTHENTICATED', 'The delivery has neither a signed token nor a URL key.');
}

async function verifyJwt(
  token: string,
  delivery: DeliveryToVerify,
  credentials: DeliveryCredentials,
): Promise<DeliveryAuthentication> {
  if (credentials.publicKeys.length === 0)
    return fail(
      'WEBHOOK_BAD_SIGNATURE',
      'No public key is configured for signed deliveries on this connection.',
    );
  const parts = token.split('.');
  if (parts.length !== 3) return fail('WEBHOOK_BAD_SIGNATURE', 'The Authorization header is not a JWT.');
  const [headerPart, payloadPart, signaturePart] = parts as [string, string, string];
  const header = decodeJson(headerPart);
  const payload = decodeJson(payloadPart);
  // RS256 only: never let the token pick its own algorithm (alg=none, HS256 with the public key).
  if (!header || header['alg'] !== 'RS256' || !payload)
    return fail('WEBHOOK_BAD_SIGNATURE', 'The token is not an RS256 JWT.');
  const signed = Buffer.from(`${headerPart}.${payloadPart}`);
  const signature = Buffer.from(signaturePart, 'base64url');
  const verified = credentials.publicKeys.some((publicKey) => {
    try {
      return verify('sha256', signed, importGongPublicKey(publicKey), signature);
    } catch {
      return false;
    }
  });
  if (!verified)
    return fail('WEBHOOK_BAD_SIGNATURE', 'The token is not signed by a configured Gong rule key.');
  const exp = payload['exp'];
  if (typeof exp !== 'number') return fail('WEBHOOK_BAD_SIGNATURE', 'The token has no exp claim.');
  if (exp * 1000 <= (delivery.nowMs ?? Date.now()))
    return fail('WEBHOOK_TOKEN_EXPIRED', 'The signed token has expired.');
  const bodySha = typeof payload['body_sha256'] === 'string' ? payload['body_sha256'].toLowerCase() : '';
  if (bodySha !== sha256Hex(delivery.rawBody))
    return fail('WEBHOOK_BODY_MISMATCH', 'The body does not match the signed body_sha256.');
  const claimed = typeof payload['webhook_url'] === 'string' ? payload['webhook_url'] : '';
  if (normalizeWebhookUrl(claimed) !== normalizeWebhookUrl(delivery.receivedUrl))
    return fail('WEBHOOK_URL_MISMATCH', 'The token was issued for another URL (webhook_url claim).');
  return Promise.resolve({ ok: true, method: 'jwt' });
}

function decodeJson(part: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return value !== null && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

const keyCache = new Map<string, KeyObject>();

/** Gong shows the rule's public key as bare base64 SPKI DER (PEM is accepted too). */
export function importGongPublicKey(publicKey: string): KeyObject {
  let key = keyCache.get(publicKey);
  if (!key) {
    key = publicKey.includes('BEGIN PUBLIC KEY')
      ? createPublicKey(publicKey)
      : createPublicKey({
          key: Buffer.from(publicKey.replace(/\s+/g, ''), 'base64'),
          format: 'der',
          type: 'spki',
        });
    keyCache.set(publicKey, key);
  }
  return key;
}

/** Scheme and host lower-cased, default port and fragment dropped, no trailing slash, query sorted. */
export function normalizeWebhookUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return `invalid:${value}`;
  }
  url.hash = '';
  url.searchParams.sort();
  const path = url.pathname.length > 1 ? url.pathname.replace(/\/+$/, '') : url.pathname;
  return `${url.protocol}//${url.host}${path}${url.search}`;
}

function fail(code: WebhookAuthCode, message: string): DeliveryAuthentication {
  return { ok: false, code, message };
}
