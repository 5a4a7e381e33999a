import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { GongflowError } from '../core/errors';
import { DEFAULT_SETTINGS_KEY, type AppSettingsStore } from './app-settings';
import { CONNECTION_ID_PATTERN, type ConnectionSummary } from './model';
import { requestGongToken, TokenEndpointUnavailableError } from './oauth-token';
import type { SecretBox } from './secrets';
import type { TemporalConnections } from './temporal-connections';

/** How long a started install may take (Gong's own authorization codes live 10 minutes). */
export const INSTALL_STATE_TTL_MS = 15 * 60_000;

const STATE_HMAC_PURPOSE = 'oauth-state';

/** What every "start again" hint says: the connect pages only open through a signed link. */
const START_AGAIN = 'Open your connect link again (ask for a new one if it has expired)';

export interface InstallState {
  nonce: string;
  connectionId: string;
  customer: string;
  expiresAt: number;
}

export interface CallbackParams {
  code?: string | undefined;
  state?: string | undefined;
  error?: string | undefined;
  error_description?: string | undefined;
}

/**
 * Gong's OAuth install: `begin` builds the authorize URL with a signed (HMAC-SHA256), expiring state
 * whose nonce is registered as pending; `complete` (the callback) verifies and claims the state (single
 * use, fleet-wide), exchanges the code (query parameters + HTTP Basic client auth) and stores the tokens,
 * `api_base_url_for_customer` and the granted scopes in the connection entity.
 * Every failure is a GongflowError with a stable OAUTH_* code the page and the API show.
 */
export class GongInstallFlow {
  constructor(
    private readonly options: {
      connections: TemporalConnections;
      settings: AppSettingsStore;
      secrets: SecretBox;
      stateTtlMs?: number;
      now?: () => number;
    },
  ) {}

  get callbackUrl(): string {
    return this.options.settings.callbackUrl;
  }

  async begin(input: {
    customer: string;
    connectionId?: string;
  }): Promise<{ authorizeUrl: string; state: string }> {
    const customer = input.customer.trim();
    if (!CONNECTION_ID_PATTERN.test(customer)) {
      throw new GongflowError('CONNECT_INVALID_CUSTOMER', `"${customer}" is not a valid customer id.`, {
        hint: 'Use lowercase letters, digits and dashes, starting with a letter, e.g. acme.',
      });
    }
    const connectionId = input.connectionId ?? customer;
    if (!CONNECTION_ID_PATTERN.test(connectionId)) {
      throw new GongflowError('CONNECT_INVALID_CUSTOMER', `"${connectionId}" is not a valid connection id.`, {
        hint: 'Use lowercase letters, digits and dashes, starting with a letter.',
      });
    }
    const app = await this.options.settings.resolve(customer);
    const install: InstallState = {
      nonce: randomBytes(18).toString('base64url'),
      connectionId,
      customer,
      expiresAt: this.now() + (this.options.stateTtlMs ?? INSTALL_STATE_TTL_MS),
    };
    await this.options.settings.registerInstall(install);
    const state = this.sign(install);
    const url = new URL(app.authorizeUrl);
    url.searchParams.set('client_id', app.clientId);
    url.searchParams.set('response_type', 'code');
    url.searchParams.set('scope', app.scopes.join(' '));
    url.searchParams.set('redirect_uri', this.callbackUrl);
    url.searchParams.set('state', state);
    return { authorizeUrl: url.toString(), state };
  }

  async complete(params: CallbackParams): Promise<ConnectionSummary> {
    const install = this.verify(params.state);
    const claim = await this.options.settings.claimInstall(install.nonce);
    if (!claim.ok) {
      if (claim.reason === 'replayed') {
        throw new GongflowError('OAUTH_STATE_REPLAYED', 'This connect link was already used.', {
          hint: `${START_AGAIN}.`,
        });
      }
      if (claim.reason === 'expired') throw stateExpired();
      throw new GongflowError(
        'OAUTH_STATE_MISMATCH',
        'The state returned by Gong does not match an install started here.',
        {
          hint: `${START_AGAIN}.`,
        },
      );
    }
    if (params.error) throw gongError(params.error, params.error_description);
    if (!params.code) {
      throw new GongflowError('OAUTH_NO_CODE', 'Gong returned to gongflow without an authorization code.', {
        hint: `${START_AGAIN}.`,
      });
    }
    const app = await this.options.settings.resolve(install.customer);
    let result;
    const askedAt = Date.now();
    try {
      result = await requestGongToken({
        tokenUrl: app.tokenUrl,
        client: { clientId: app.clientId, clientSecret: app.clientSecret },
        params: {
          grant_type: 'authorization_code',
          code: params.code,
          client_id: app.clientId,
          redirect_uri: this.callbackUrl,
        },
      });
    } catch (error) {
      if (error instanceof TokenEndpointUnavailableError) {
        throw new GongflowError('OAUTH_TOKEN_ENDPOINT_UNAVAILABLE', error.message, {
          hint: `Gong did not answer. ${START_AGAIN} in a moment.`,
        });
      }
      throw error;
    }
    if (!result.ok) {
      if (result.error === 'invalid_grant') {
        throw new GongflowError(
          'OAUTH_CODE_REJECTED',
          `Gong refused the authorization code (${result.description}): it was already used or has expired.`,
          {
            hint: `${START_AGAIN}; Gong's codes are valid for minutes and once.`,
          },
        );
      }
      if (result.error === 'invalid_client') {
        throw new GongflowError(
          'OAUTH_INVALID_CLIENT',
          `Gong refused the app's client credentials (${result.description}).`,
          {
            hint: 'Check the client id and secret in app settings (or GONGFLOW_GONG_CLIENT_SECRET) against the Gong app.',
          },
        );
      }
      throw new GongflowError(
        'OAUTH_TOKEN_ERROR',
        `Gong's token endpoint answered ${result.error}: ${result.description}.`,
        {
          hint: `${START_AGAIN}.`,
        },
      );
    }
    const tokens = result.tokens;
    if (!tokens.apiBaseUrl) {
      throw new GongflowError(
        'OAUTH_NO_API_BASE_URL',
        'Gong’s token response has no api_base_url_for_customer.',
        {
          hint: 'gongflow never guesses the company host; try connecting again.',
        },
      );
    }
    const { secrets } = this.options;
    return this.options.connections.save(install.connectionId, {
      customer: install.customer,
      apiBaseUrl: tokens.apiBaseUrl,
      scopes: tokens.scopes ?? app.scopes,
      credentials: {
        type: 'oauth',
        accessToken: secrets.seal(tokens.accessToken),
        refreshToken: secrets.seal(tokens.refreshToken),
        accessTokenExpiresAt: askedAt + tokens.expiresInSeconds * 1000,
        accessTokenLifetimeMs: tokens.expiresInSeconds * 1000,
        app: app.ref,
        tokenUrl: app.tokenUrl,
      },
    });
  }

  private sign(install: InstallState): string {
    const payload = Buffer.from(
      JSON.stringify({
        n: install.nonce,
        c: install.connectionId,
        u: install.customer,
        e: install.expiresAt,
      }),
    ).toString('base64url');
    return `${payload}.${this.mac(payload)}`;
  }

  /** Signature and expiry; single use is checked by claiming the nonce. */
  private verify(state: string | undefined): InstallState {
    const mismatch = new GongflowError(
      'OAUTH_STATE_MISMATCH',
      'The state returned by Gong is missing or was not signed by gongflow.',
      {
        hint: `${START_AGAIN}; do not edit the address Gong sends you back to.`,
      },
    );
    const [payload, mac] = (state ?? '').split('.');
    if (!payload || !mac) throw mismatch;
    const given = Buffer.from(mac);
    // Any known key: a state signed just before a key rotation still completes.
    const signed = this.options.secrets.hmacKeys(STATE_HMAC_PURPOSE).some((key) => {
      const expected = Buffer.from(this.mac(payload, key));
      return expected.length === given.length && timingSafeEqual(expected, given);
    });
    if (!signed) throw mismatch;
    let decoded: { n?: unknown; c?: unknown; u?: unknown; e?: unknown };
    try {
      decoded = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as typeof decoded;
    } catch {
      throw mismatch;
    }
    if (
      typeof decoded.n !== 'string' ||
      typeof decoded.c !== 'string' ||
      typeof decoded.u !== 'string' ||
      typeof decoded.e !== 'number'
    )
      throw mismatch;
    const install = { nonce: decoded.n, connectionId: decoded.c, customer: decoded.u, expiresAt: decoded.e };
    if (install.expiresAt <= this.now()) throw stateExpired();
    return install;
  }

  private mac(payload: string, key = this.options.secrets.hmacKey(STATE_HMAC_PURPOSE)): string {
    return createHmac('sha256', key).update(payload).digest('base64url');
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }
}

function stateExpired(): GongflowError {
  return new GongflowError(
    'OAUTH_STATE_EXPIRED',
    'This connect attempt has expired: more than 15 minutes passed between Connect Gong and Gong’s answer.',
    {
      hint: `${START_AGAIN} and finish within 15 minutes.`,
    },
  );
}

function gongError(error: string, description: string | undefined): GongflowError {
  const detail = description ? ` (${description})` : '';
  if (error === 'access_denied') {
    return new GongflowError('OAUTH_DENIED', `The Gong administrator denied access${detail}.`, {
      hint: `Nothing was connected. To connect: ${START_AGAIN}, and approve.`,
    });
  }
  if (error === 'invalid_scope') {
    return new GongflowError('OAUTH_INVALID_SCOPE', `Gong refused the requested scopes${detail}.`, {
      hint: "Every scope gongflow asks for must be selected in the Gong app (Developer Hub): remove unknown custom scopes in gongflow's app settings or add them to the Gong app.",
    });
  }
  return new GongflowError('OAUTH_ERROR', `Gong returned an error: ${error}${detail}.`, {
    hint: `${START_AGAIN}.`,
  });
}

export { DEFAULT_SETTINGS_KEY };
