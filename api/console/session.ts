import { createCipheriv, createDecipheriv, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Client } from '@temporalio/client';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { EncryptionCodec } from '../../workers/payload-codec';

/**
 * Console sessions: sign in once with an API key, then an HttpOnly, SameSite=Strict cookie carries it,
 * sealed (AES-256-GCM) so neither the page, its scripts nor anyone reading the cookie jar sees the key.
 * Servers stay stateless: any server holding the same secret opens the cookie, and every request still
 * verifies the key it holds (a revoked key ends its sessions at once).
 *
 * Unsafe requests made with the cookie must carry the session's CSRF token (`x-csrf-token`, or the
 * `csrf` field of a form) and come from this origin: another site can make the browser send the cookie
 * (SameSite aside, for old browsers), but it cannot read the token from our pages.
 */
export const SESSION_COOKIE = 'gongflow_session';
export const CSRF_HEADER = 'x-csrf-token';
/** How long a sign-in lasts. */
export const SESSION_TTL_MS = 12 * 60 * 60 * 1000;

export interface ConsoleSession {
  apiKey: string;
  /** Random per sign-in: the CSRF token is derived from it. */
  id: string;
  expiresAt: number;
}

export class SessionSealer {
  private readonly key: Buffer;

  constructor(secret: Buffer) {
    this.key = createHmac('sha256', secret).update('console session key').digest();
  }

  /**
   * The secret of a server: derived from the payload encryption key, so every server of a deployment
   * (which shares that key) opens every other's cookies. Without encryption, a random one: sessions then
   * last as long as the process.
   */
  static forClient(client: Pick<Client, 'options'> | undefined): SessionSealer {
    const codecs = client?.options?.loadedDataConverter.payloadCodecs ?? [];
    const codec = codecs.find((candidate) => candidate instanceof EncryptionCodec);
    return new SessionSealer(codec ? codec.cipher.deriveSecret('console session v1') : randomBytes(32));
  }

  seal(apiKey: string, now = Date.now()): { cookie: string; session: ConsoleSession } {
    const session: ConsoleSession = {
      apiKey,
      id: randomBytes(16).toString('base64url'),
      expiresAt: now + SESSION_TTL_MS,
    };
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const sealed = Buffer.concat([cipher.update(JSON.stringify(session), 'utf8'), cipher.final()]);
    return { cookie: Buffer.concat([iv, sealed, cipher.getAuthTag()]).toString('base64url'), session };
  }

  /** The session a cookie holds; undefined when it is not ours, was tampered with or has expired. */
  open(cookie: string | undefined, now = Date.now()): ConsoleSession | undefined {
    if (!cookie) return undefined;
    try {
      const bytes = Buffer.from(cookie, 'base64url');
      if (bytes.length < 12 + 16 + 2) return undefined;
      const decipher = createDecipheriv('aes-256-gcm', this.key, bytes.subarray(0, 12));
      decipher.setAuthTag(bytes.subarray(bytes.length - 16));
      const plain = Buffer.concat([decipher.update(bytes.subarray(12, bytes.length - 16)), decipher.final()]);
      const session = JSON.parse(plain.toString('utf8')) as ConsoleSession;
      return typeof session.apiKey === 'string' && session.expiresAt > now ? session : undefined;
    } catch {
      return undefined;
    }
  }

  csrfToken(session: ConsoleSession): string {
    return createHmac('sha256', this.key).update(`csrf ${session.id}`).digest('base64url');
  }

  acceptsCsrf(session: ConsoleSession, presented: string | undefined): boolean {
    if (!presented) return false;
    const expected = Buffer.from(this.csrfToken(session));
    const given = Buffer.from(presented);
    return expected.length === given.length && timingSafeEqual(expected, given);
  }
}

/** The session cookie of a request, read from the Cookie header. */
export function sessionCookie(request: FastifyRequest): string | undefined {
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name === SESSION_COOKIE) return value.join('=');
  }
  return undefined;
}

/** Sets (or, with undefined, clears) the session cookie: HttpOnly, SameSite=Strict, Secure over HTTPS. */
export function setSessionCookie(reply: FastifyReply, secure: boolean, value: string | undefined): void {
  const attributes = [
    `${SESSION_COOKIE}=${value ?? ''}`,
    'Path=/',
    'HttpOnly',
    'SameSite=Strict',
    `Max-Age=${value === undefined ? 0 : Math.floor(SESSION_TTL_MS / 1000)}`,
    ...(secure ? ['Secure'] : []),
  ];
  void reply.header('set-cookie', attributes.join('; '));
}

/**
 * Whether an unsafe request comes from this server's own pages. Browsers say so in Sec-Fetch-Site (pages
 * send `Referrer-Policy: no-referrer`, which turns their Origin into "null"); without it, Origin or Referer
 * must name this host.
 */
export function sameOrigin(request: FastifyRequest): boolean {
  const site = request.headers['sec-fetch-site'];
  if (typeof site === 'string') return site === 'same-origin';
  const origin = request.headers.origin;
  const source = origin && origin !== 'null' ? origin : request.headers.referer;
  if (!source) return false;
  try {
    return new URL(source).host === request.headers.host;
  } catch {
    return false;
  }
}
