/**
 * Gong's token endpoint (`/oauth2/generate-customer-token`): parameters on the query string, client
 * authenticated with HTTP Basic, as Gong documents it. Used for the code exchange (install callback) and
 * for refreshes (the refresh activity). Secrets travel only in the request; nothing here logs them.
 */

export interface GongTokens {
  accessToken: string;
  refreshToken: string;
  expiresInSeconds: number;
  /** Granted scopes (`scope`), when Gong says. */
  scopes: string[] | null;
  /** `api_base_url_for_customer`: every API call of the connection must go there. */
  apiBaseUrl: string | null;
}

export type TokenResult =
  { ok: true; tokens: GongTokens } | { ok: false; error: string; description: string; status: number };

export interface ClientCredentials {
  clientId: string;
  clientSecret: string;
}

/** Thrown for answers retrying may fix (network, 5xx, 429, unreadable body). */
export class TokenEndpointUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TokenEndpointUnavailableError';
  }
}

export async function requestGongToken(input: {
  tokenUrl: string;
  client: ClientCredentials;
  params: Record<string, string>;
  timeoutMs?: number;
}): Promise<TokenResult> {
  const url = new URL(input.tokenUrl);
  for (const [key, value] of Object.entries(input.params)) url.searchParams.set(key, value);
  const basic = Buffer.from(
    `${encodeURIComponent(input.client.clientId)}:${encodeURIComponent(input.client.clientSecret)}`,
  ).toString('base64');
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { authorization: `Basic ${basic}`, accept: 'application/json' },
      signal: AbortSignal.timeout(input.timeoutMs ?? 30_000),
    });
  } catch (error) {
    throw new TokenEndpointUnavailableError(
      `Could not reach Gong's token endpoint ${url.origin}${url.pathname}: ${(error as Error).message}`,
    );
  }
  const text = await response.text();
  let body: Record<string, unknown> = {};
  try {
    body = JSON.parse(text) as Record<string, unknown>;
  } catch {
    if (response.ok)
      throw new TokenEndpointUnavailableError(
        `Gong's token endpoint answered ${response.status} without JSON.`,
      );
  }
  if (response.status === 429 || response.status >= 500) {
    throw new TokenEndpointUnavailableError(`Gong's token endpoint answered ${response.status}.`);
  }
  if (!response.ok) {
    return {
      ok: false,
      status: response.status,
      error: typeof body['error'] === 'string' ? body['error'] : `http_${response.status}`,
      description:
        typeof body['error_description'] === 'string' ? body['error_description'] : text.slice(0, 200),
    };
  }
  const accessToken = body['access_token'];
  const refreshToken = body['refresh_token'];
  if (typeof accessToken !== 'string' || typeof refreshToken !== 'string') {
    return {
      ok: false,
      status: response.status,
      error: 'invalid_response',
      description: 'the token response has no access_token or refresh_token',
    };
  }
  const expiresIn = Number(body['expires_in']);
  return {
    ok: true,
    tokens: {
      accessToken,
      refreshToken,
      // Gong's documented default is a day; never assume it when Gong says otherwise.
      expiresInSeconds: Number.isFinite(expiresIn) && expiresIn > 0 ? expiresIn : 86_400,
      scopes: typeof body['scope'] === 'string' ? body['scope'].split(/\s+/).filter(Boolean) : null,
      apiBaseUrl:
        typeof body['api_base_url_for_customer'] === 'string' ? body['api_base_url_for_customer'] : null,
    },
  };
}
