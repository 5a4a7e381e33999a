import { createHmac, timingSafeEqual } from 'node:crypto';
import { GongflowError } from '../core/errors';
import { CONNECTION_ID_PATTERN } from './model';
import type { SecretBox } from './secrets';

/** Path of the connect page a link opens; `/start` under it sends the admin on to Gong. */
export const CONNECT_PAGE_PATH = '/connect/gong';
export const CONNECT_START_PATH = '/connect/gong/start';

/** Default validity of a connect link: a customer's Gong admin may take days to get to it. */
export const CONNECT_LINK_DEFAULT_TTL_SECONDS = 7 * 24 * 3600;
/** Longest validity a link may be given. */
export const CONNECT_LINK_MAX_TTL_SECONDS = 30 * 24 * 3600;

const HMAC_PURPOSE = 'connect-link';

/** What a connect link grants: connecting a Gong to this connection, for this customer, until then. */
export interface ConnectLink {
  connectionId: string;
  customer: string;
  /** Epoch seconds. */
  expires: number;
}

export interface SignedConnectLink extends ConnectLink {
  /** The whole link to hand to the customer's Gong admin. */
  url: string;
  expiresAt: string;
}

/** Query parameters of a signed link (as a URL carries them). */
export type ConnectLinkParams = Record<string, string | undefined>;

/**
 * Connect links are the only way in to the public connect pages: anyone holding one can connect a Gong to
 * its connection, so each is bound to one connection and customer, expires, and is signed (HMAC-SHA256
 * under a key derived from the secrets key). Links signed before a key rotation stay valid while the old
 * key is in GONGFLOW_SECRETS_PREVIOUS_KEYS.
 */
export class ConnectLinks {
  constructor(
    private readonly options: {
      secrets: SecretBox;
      /** Public base URL of the HTTP server (where /connect/gong answers). */
      publicUrl: () => string;
      now?: () => number;
    },
  ) {}

  create(input: { connectionId: string; customer?: string; expiresInSeconds?: number }): SignedConnectLink {
    const connectionId = input.connectionId.trim();
    const customer = (input.customer ?? connectionId).trim();
    assertId(connectionId, 'connection id');
    assertId(customer, 'customer id');
    const ttl = input.expiresInSeconds ?? CONNECT_LINK_DEFAULT_TTL_SECONDS;
    if (!Number.isInteger(ttl) || ttl < 60 || ttl > CONNECT_LINK_MAX_TTL_SECONDS) {
      throw new GongflowError(
        'CONNECT_LINK_TTL_INVALID',
        `A connect link must live between 60 seconds and ${CONNECT_LINK_MAX_TTL_SECONDS / 86_400} days (asked: ${ttl} s).`,
        { hint: 'Pass whole seconds, e.g. 604800 for a week (the default).' },
      );
    }
    const link: ConnectLink = {
      connectionId,
      customer,
      expires: Math.floor(this.now() / 1000) + ttl,
    };
    const url = new URL(CONNECT_PAGE_PATH, this.options.publicUrl());
    url.search = this.query(link);
    return { ...link, url: url.toString(), expiresAt: new Date(link.expires * 1000).toISOString() };
  }

  /** The signed query string of a link (`connection=...&customer=...&expires=...&signature=...`). */
  query(link: ConnectLink): string {
    return new URLSearchParams({
      connection: link.connectionId,
      customer: link.customer,
      expires: String(link.expires),
      signature: mac(this.options.secrets.hmacKey(HMAC_PURPOSE), link),
    }).toString();
  }

  /** Checks a link's signature, then its expiry; the errors say which and what to do. */
  verify(params: ConnectLinkParams): ConnectLink {
    const { connection, customer, expires, signature } = params;
    if (!connection && !customer && !signature) {
      throw new GongflowError(
        'CONNECT_LINK_REQUIRED',
        'Gong is connected through a personal connect link; this page was opened without one.',
        { hint: LINK_HINT },
      );
    }
    if (!signature) {
      throw new GongflowError('CONNECT_LINK_UNSIGNED', 'This connect link is not signed.', {
        hint: `Connect links are created for one connection and signed. ${LINK_HINT}`,
      });
    }
    const invalid = new GongflowError(
      'CONNECT_LINK_INVALID',
      'This connect link is not valid: its signature does not match (it was changed, cut short, or made by another gongflow).',
      { hint: `Open the link exactly as you received it. ${LINK_HINT}` },
    );
    if (!connection || !customer || !expires || !/^\d{1,12}$/.test(expires)) throw invalid;
    const link: ConnectLink = { connectionId: connection, customer, expires: Number(expires) };
    const given = Buffer.from(signature);
    const matches = this.options.secrets.hmacKeys(HMAC_PURPOSE).some((key) => {
      const expected = Buffer.from(mac(key, link));
      return expected.length === given.length && timingSafeEqual(expected, given);
    });
    if (!matches) throw invalid;
    if (link.expires * 1000 <= this.now()) {
      throw new GongflowError(
        'CONNECT_LINK_EXPIRED',
        `This connect link expired on ${new Date(link.expires * 1000).toISOString()}.`,
        {
          hint: `Ask whoever sent it for a new connect link. (Operators: gongflow connections connect ${link.customer}${link.connectionId !== link.customer ? ` --connection ${link.connectionId}` : ''}.)`,
        },
      );
    }
    return link;
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }
}

const LINK_HINT =
  'Ask whoever sent you here for a fresh connect link. (Operators create one with `gongflow connections connect <customer>` or POST /v1/connections/{id}/connect-link.)';

/** HTTP status of a connect-link error: 410 for an expired link, 403 for the others. */
export function connectLinkStatus(code: string): number | undefined {
  if (code === 'CONNECT_LINK_EXPIRED') return 410;
  if (code === 'CONNECT_LINK_INVALID' || code === 'CONNECT_LINK_UNSIGNED' || code === 'CONNECT_LINK_REQUIRED')
    return 403;
  return undefined;
}

function mac(key: Buffer, link: ConnectLink): string {
  // Ids cannot contain ':' (CONNECTION_ID_PATTERN), so the message is unambiguous.
  return createHmac('sha256', key)
    .update(`gongflow-connect-link:v1:${link.connectionId}:${link.customer}:${link.expires}`)
    .digest('base64url');
}

function assertId(id: string, what: string): void {
  if (!CONNECTION_ID_PATTERN.test(id)) {
    throw new GongflowError('CONNECT_INVALID_CUSTOMER', `"${id}" is not a valid ${what}.`, {
      hint: 'Use lowercase letters, digits and dashes, starting with a letter (at most 63 characters).',
    });
  }
}
