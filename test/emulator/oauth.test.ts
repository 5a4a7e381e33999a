import type { GongEmulator } from '../../emulator';
import { basicAuth, gongClient, http, startTestEmulator, type HttpAnswer } from './client';

const REDIRECT = 'https://gongflow.example/oauth/callback';

function hiddenFields(html: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const match of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g))
    fields[match[1]!] = match[2]!.replace(/&#(\d+);/g, (_, code: string) =>
      String.fromCharCode(Number(code)),
    );
  return fields;
}

function form(fields: Record<string, string>): { body: string; headers: Record<string, string> } {
  return {
    body: new URLSearchParams(fields).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  };
}

describe('OAuth: consent page, token endpoint, rotation, scopes, revocation', () => {
  let emulator: GongEmulator;
  let app: { clientId: string; clientSecret: string };

  const admin = (method: string, path: string, body?: unknown) =>
    http(method, `${emulator.appUrl}/_emulator${path}`, { body });
  const token = (params: Record<string, string>, auth = basicAuth(app.clientId, app.clientSecret)) =>
    http('POST', `${emulator.appUrl}/oauth2/generate-customer-token`, { query: params, auth });

  /** Walks the consent page like a person: GET the page, POST its form with the chosen button. */
  async function consent(
    decision: 'approve' | 'deny',
    params: Record<string, string> = {},
  ): Promise<{ page: HttpAnswer; location: URL }> {
    const page = await http('GET', `${emulator.appUrl}/oauth2/authorize`, {
      query: {
        client_id: app.clientId,
        response_type: 'code',
        scope: 'api:users:read api:calls:read:basic',
        redirect_uri: REDIRECT,
        state: 'st-42',
        ...params,
      },
    });
    expect(page.status).toBe(200);
    const company = /<option value="(\d+)">/.exec(page.text)![1]!;
    const { body, headers } = form({ ...hiddenFields(page.text), company_id: company, decision });
    const answer = await http('POST', `${emulator.appUrl}/oauth2/authorize`, { body, headers });
    expect(answer.status).toBe(302);
    return { page, location: new URL(answer.headers.get('location')!) };
  }

  async function connect(): Promise<Record<string, string | number>> {
    const { location } = await consent('approve');
    const answer = await token({
      grant_type: 'authorization_code',
      code: location.searchParams.get('code')!,
      client_id: app.clientId,
      redirect_uri: REDIRECT,
    });
    expect(answer.status).toBe(200);
    return answer.json as Record<string, string | number>;
  }

  beforeAll(async () => {
    ({ emulator } = await startTestEmulator());
  });
  beforeEach(async () => {
    const created = await admin('POST', '/oauth/apps', {
      name: 'gongflow test app',
      redirectUris: [REDIRECT],
      scopes: ['api:users:read', 'api:calls:read:basic', 'api:calls:read:extensive'],
    });
    expect(created.status).toBe(201);
    app = created.json as unknown as typeof app;
  });
  afterAll(() => emulator.close());

  it('shows a consent page with the app, its scopes and approve/deny buttons', async () => {
    const { page } = await consent('approve');
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    expect(page.text).toContain('gongflow test app');
    expect(page.text).toContain('<li>api:users:read</li>');
    expect(page.text).toContain('<li>api:calls:read:basic</li>');
    expect(page.text).toMatch(/<button id="approve"[^>]*value="approve"/);
    expect(page.text).toMatch(/<button id="deny"[^>]*value="deny"/);
  });

  it('redirects back with a code and the state on approval, access_denied on denial', async () => {
    const approved = await consent('approve');
    expect(`${approved.location.origin}${approved.location.pathname}`).toBe(REDIRECT);
    expect(approved.location.searchParams.get('code')).toBeTruthy();
    expect(approved.location.searchParams.get('state')).toBe('st-42');
    const denied = await consent('deny');
    expect(denied.location.searchParams.get('error')).toBe('access_denied');
    expect(denied.location.searchParams.get('state')).toBe('st-42');
    expect(denied.location.searchParams.get('code')).toBeNull();
  });

  it('answers invalid_scope for a scope the app was not given, and refuses unknown clients and redirect URIs', async () => {
    const answer = await http('GET', `${emulator.appUrl}/oauth2/authorize`, {
      query: {
        client_id: app.clientId,
        response_type: 'code',
        scope: 'api:users:read api:logs:read',
        redirect_uri: REDIRECT,
        state: 's',
      },
    });
    expect(answer.status).toBe(302);
    const location = new URL(answer.headers.get('location')!);
    expect(location.searchParams.get('error')).toBe('invalid_scope');
    expect(location.searchParams.get('state')).toBe('s');
    const unknownClient = await http('GET', `${emulator.appUrl}/oauth2/authorize`, {
      query: { client_id: 'nope', response_type: 'code', redirect_uri: REDIRECT },
    });
    expect(unknownClient.status).toBe(400);
    const badRedirect = await http('GET', `${emulator.appUrl}/oauth2/authorize`, {
      query: { client_id: app.clientId, response_type: 'code', redirect_uri: 'https://evil.example/cb' },
    });
    expect(badRedirect.status).toBe(400);
    expect(badRedirect.headers.get('location')).toBeNull();
  });

  it('exchanges a code (query-string parameters + Basic client auth) for Gong token fields', async () => {
    const tokens = await connect();
    expect(typeof tokens['access_token']).toBe('string');
    expect(typeof tokens['refresh_token']).toBe('string');
    expect({ ...tokens, access_token: 'a', refresh_token: 'r' }).toEqual({
      access_token: 'a',
      refresh_token: 'r',
      scope: 'api:users:read api:calls:read:basic',
      token_type: 'bearer',
      expires_in: 86400,
      api_base_url_for_customer: emulator.defaultCompany.apiBaseUrl,
    });
    const users = await gongClient(
      String(tokens['api_base_url_for_customer']),
      `Bearer ${String(tokens['access_token'])}`,
    ).get('/v2/users');
    expect(users.status).toBe(200);
  });

  it('makes codes single-use and short-lived, and requires client authentication', async () => {
    const { location } = await consent('approve');
    const code = location.searchParams.get('code')!;
    const params = { grant_type: 'authorization_code', code, redirect_uri: REDIRECT };
    expect((await token(params, '')).json).toMatchObject({ error: 'invalid_client' });
    expect((await token(params, basicAuth(app.clientId, 'wrong'))).status).toBe(401);
    expect((await token(params)).status).toBe(200);
    const reused = await token(params);
    expect(reused.status).toBe(400);
    expect(reused.json).toMatchObject({ error: 'invalid_grant' });
    const late = (await consent('approve')).location.searchParams.get('code')!;
    emulator.admin.advanceClock(11 * 60_000);
    expect(
      (await token({ grant_type: 'authorization_code', code: late, redirect_uri: REDIRECT })).json,
    ).toMatchObject({
      error: 'invalid_grant',
    });
  });

  it("enforces scopes on Bearer tokens with Gong's 401 message", async () => {
    const tokens = await connect();
    const api = gongClient(emulator.defaultCompany.apiBaseUrl, `Bearer ${String(tokens['access_token'])}`);
    const refused = await api.post('/v2/calls/extensive', { filter: {} });
    expect(refused.status).toBe(401);
    expect(refused.json.errors).toEqual([
      "You don't have permission to use 'api:calls:read:extensive' in your app.",
    ]);
    expect((await api.get('/v2/calls', { fromDateTime: '2025-01-01T00:00:00Z' })).status).toBe(200);
  });

  it('rotates refresh tokens: each is single-use and reuse answers invalid_grant', async () => {
    const first = await connect();
    const refreshed = await token({
      grant_type: 'refresh_token',
      refresh_token: String(first['refresh_token']),
    });
    expect(refreshed.status).toBe(200);
    expect(refreshed.json['refresh_token']).not.toBe(first['refresh_token']);
    expect(refreshed.json['access_token']).not.toBe(first['access_token']);
    expect(refreshed.json['api_base_url_for_customer']).toBe(emulator.defaultCompany.apiBaseUrl);
    const reused = await token({
      grant_type: 'refresh_token',
      refresh_token: String(first['refresh_token']),
    });
    expect(reused.status).toBe(400);
    expect(reused.json).toEqual({
      error: 'invalid_grant',
      error_description: 'Token has been expired or revoked.',
    });
    const next = await token({
      grant_type: 'refresh_token',
      refresh_token: String(refreshed.json['refresh_token']),
    });
    expect(next.status).toBe(200);
  });

  it('honours a configurable expires_in: the token stops working once the clock passes it', async () => {
    await admin('PATCH', `/oauth/apps/${app.clientId}`, { accessTokenTtlSeconds: 60 });
    const tokens = await connect();
    expect(tokens['expires_in']).toBe(60);
    const api = gongClient(emulator.defaultCompany.apiBaseUrl, `Bearer ${String(tokens['access_token'])}`);
    expect((await api.get('/v2/users')).status).toBe(200);
    await admin('POST', '/clock/advance', { ms: 61_000 });
    const expired = await api.get('/v2/users');
    expect(expired.status).toBe(401);
    const refreshed = await token({
      grant_type: 'refresh_token',
      refresh_token: String(tokens['refresh_token']),
    });
    expect(refreshed.status).toBe(200);
  });

  it('revokes: an uninstalled app gets 403 on the API and invalid_grant on refresh', async () => {
    const tokens = await connect();
    const api = gongClient(emulator.defaultCompany.apiBaseUrl, `Bearer ${String(tokens['access_token'])}`);
    const revoked = await admin('POST', '/oauth/revoke', {
      clientId: app.clientId,
      companyId: emulator.defaultCompany.id,
    });
    expect(revoked.json['revoked']).toBeGreaterThan(0);
    expect((await api.get('/v2/users')).status).toBe(403);
    const refresh = await token({
      grant_type: 'refresh_token',
      refresh_token: String(tokens['refresh_token']),
    });
    expect(refresh.json).toMatchObject({ error: 'invalid_grant' });
  });

  it('revokes a single access token', async () => {
    const tokens = await connect();
    await admin('POST', '/oauth/revoke', { accessToken: tokens['access_token'] });
    const api = gongClient(emulator.defaultCompany.apiBaseUrl, `Bearer ${String(tokens['access_token'])}`);
    expect((await api.get('/v2/users')).status).toBe(403);
  });

  it("refuses a token on another company's host with 403", async () => {
    const other = await emulator.admin.createCompany({
      name: `Other ${app.clientId}`,
      userCount: 3,
      callCount: 2,
    });
    const tokens = await connect();
    const answer = await gongClient(other.apiBaseUrl, `Bearer ${String(tokens['access_token'])}`).get(
      '/v2/users',
    );
    expect(answer.status).toBe(403);
    expect(answer.json.errors).toEqual(['Forbidden']);
  });

  it('issues codes headlessly through the admin API', async () => {
    const { json } = await admin('POST', '/oauth/authorize', {
      clientId: app.clientId,
      companyId: emulator.defaultCompany.id,
      redirectUri: REDIRECT,
      scopes: ['api:users:read'],
    });
    const answer = await token({
      grant_type: 'authorization_code',
      code: String(json['code']),
      redirect_uri: REDIRECT,
    });
    expect(answer.json['scope']).toBe('api:users:read');
  });

  it('answers unsupported_grant_type for other grants', async () => {
    const answer = await token({ grant_type: 'client_credentials' });
    expect(answer.status).toBe(400);
    expect(answer.json['error']).toBe('unsupported_grant_type');
  });

  it('logs token requests without secrets', () => {
    const entries = emulator.admin.requestLog({ host: 'app', path: '/oauth2/generate-customer-token' });
    expect(entries.length).toBeGreaterThan(0);
    expect(entries.every((entry) => entry.auth === 'none' || entry.auth.startsWith('client:'))).toBe(true);
  });
});

describe('scoped access keys', () => {
  let emulator: GongEmulator;
  beforeAll(async () => {
    ({ emulator } = await startTestEmulator());
  });
  afterAll(() => emulator.close());

  it('enforces the scopes a key was created with, and leaves classic keys unscoped', async () => {
    const key = await http(
      'POST',
      `${emulator.appUrl}/_emulator/companies/${emulator.defaultCompany.id}/access-keys`,
      {
        body: { scopes: ['api:users:read'] },
      },
    );
    expect(key.status).toBe(201);
    const api = gongClient(
      emulator.defaultCompany.apiBaseUrl,
      basicAuth(String(key.json['accessKey']), String(key.json['accessKeySecret'])),
    );
    expect((await api.get('/v2/users')).status).toBe(200);
    const refused = await api.get('/v2/calls');
    expect(refused.status).toBe(401);
    expect(refused.json.errors).toEqual([
      "You don't have permission to use 'api:calls:read:basic' in your app.",
    ]);
  });

  it('refuses a revoked key with 401', async () => {
    const created = emulator.admin.createAccessKey(emulator.defaultCompany.id, {});
    const api = gongClient(
      emulator.defaultCompany.apiBaseUrl,
      basicAuth(created.accessKey, created.accessKeySecret),
    );
    expect((await api.get('/v2/users')).status).toBe(200);
    const revoked = await http('DELETE', `${emulator.appUrl}/_emulator/access-keys/${created.accessKey}`);
    expect(revoked.status).toBe(200);
    expect((await api.get('/v2/users')).status).toBe(401);
  });
});
