import { GongInstallFlow } from '../../connections/install';
import { SecretBox } from '../../connections/secrets';
import { connectHeadless, startConnectionsHarness, type ConnectionsHarness } from './harness';

/** Follows Gong's authorize page the way a browser would after "Approve"/"Deny", without a browser. */
async function consent(
  harness: ConnectionsHarness,
  authorizeUrl: string,
  decision: 'approve' | 'deny',
): Promise<Record<string, string>> {
  const url = new URL(authorizeUrl);
  const form = new URLSearchParams(url.searchParams);
  form.set('decision', decision);
  form.set('company_id', harness.emulator.defaultCompany.id);
  const response = await fetch(`${url.origin}${url.pathname}`, {
    method: 'POST',
    body: form,
    redirect: 'manual',
  });
  const location = response.headers.get('location');
  if (!location) throw new Error(`no redirect from the consent page (${response.status})`);
  return Object.fromEntries(new URL(location).searchParams);
}

describe('the Gong OAuth install flow', () => {
  let harness: ConnectionsHarness;
  beforeAll(async () => {
    harness = await startConnectionsHarness();
  });
  afterAll(async () => {
    await harness?.close();
  });

  it('redirects to Gong with client id, scopes, callback and a signed state', async () => {
    const { authorizeUrl, state } = await harness.install.begin({ customer: harness.uniqueId('begin') });
    const url = new URL(authorizeUrl);
    expect(`${url.origin}${url.pathname}`).toBe(harness.config.gong.oauthApp.authorizeUrl);
    expect(url.searchParams.get('client_id')).toBe(harness.oauthApp.clientId);
    expect(url.searchParams.get('response_type')).toBe('code');
    expect(url.searchParams.get('scope')).toBe('api:users:read api:calls:read:basic');
    expect(url.searchParams.get('redirect_uri')).toBe(harness.callbackUrl);
    expect(url.searchParams.get('state')).toBe(state);
    expect(state).toMatch(/^[\w-]+\.[\w-]+$/);
  });

  it('approve: stores tokens, the company host and the granted scopes', async () => {
    const customer = harness.uniqueId('approve');
    const { authorizeUrl } = await harness.install.begin({ customer });
    const params = await consent(harness, authorizeUrl, 'approve');
    const connection = await harness.install.complete(params);
    expect(connection).toMatchObject({
      id: customer,
      status: 'active',
      authType: 'oauth',
      apiBaseUrl: harness.emulator.defaultCompany.apiBaseUrl,
      scopes: ['api:users:read', 'api:calls:read:basic'],
    });
    // The code exchange sent its parameters on the query string with HTTP Basic client auth.
    const exchange = harness.emulator.admin
      .requestLog({ path: '/oauth2/generate-customer-token' })
      .find((entry) => entry.query['grant_type'] === 'authorization_code');
    expect(exchange).toMatchObject({
      status: 200,
      auth: `client:${harness.oauthApp.clientId}`,
      query: { redirect_uri: harness.callbackUrl, client_id: harness.oauthApp.clientId },
    });
  });

  it('deny: OAUTH_DENIED, nothing connected', async () => {
    const customer = harness.uniqueId('deny');
    const { authorizeUrl } = await harness.install.begin({ customer });
    const params = await consent(harness, authorizeUrl, 'deny');
    expect(params['error']).toBe('access_denied');
    await expect(harness.install.complete(params)).rejects.toMatchObject({ code: 'OAUTH_DENIED' });
    expect(await harness.runtime.durable.get(customer)).toBeUndefined();
  });

  it('a scope the Gong app lacks: OAUTH_INVALID_SCOPE with the fix', async () => {
    const customer = harness.uniqueId('scope');
    const saved = await harness.settings.save(customer, {
      credentials: { kind: 'ours' },
      additionalScopes: ['api:calls:read:basic'],
      customScopes: ['api:made-up:read'],
    });
    expect(saved.scopes).toEqual(['api:users:read', 'api:calls:read:basic', 'api:made-up:read']);
    expect(saved.warnings[0]).toContain('api:made-up:read');
    const { authorizeUrl } = await harness.install.begin({ customer });
    // Gong checks scopes before showing the consent page: it redirects straight back with the error.
    const response = await fetch(authorizeUrl, { redirect: 'manual' });
    const params = Object.fromEntries(new URL(response.headers.get('location') ?? '').searchParams);
    expect(params['error']).toBe('invalid_scope');
    const failure = harness.install.complete(params);
    await expect(failure).rejects.toMatchObject({ code: 'OAUTH_INVALID_SCOPE' });
    await expect(failure).rejects.toHaveProperty('hint', expect.stringContaining('Developer Hub'));
  });

  it('state mismatch: forged, tampered or missing state is refused before any code exchange', async () => {
    const { state } = await harness.install.begin({ customer: harness.uniqueId('forged') });
    const [payload, mac] = state.split('.');
    const tampered = `${Buffer.from(
      JSON.stringify({ ...JSON.parse(Buffer.from(payload!, 'base64url').toString()), c: 'victim' }),
    ).toString('base64url')}.${mac}`;
    for (const bad of [undefined, 'nonsense', `${payload}.AAAA`, tampered]) {
      await expect(harness.install.complete({ code: 'whatever', state: bad })).rejects.toMatchObject({
        code: 'OAUTH_STATE_MISMATCH',
      });
    }
    // A state signed with another key (another deployment) is refused too.
    const other = new GongInstallFlow({
      connections: harness.runtime.durable,
      settings: harness.settings,
      secrets: SecretBox.random(),
    });
    await expect(other.complete({ code: 'whatever', state })).rejects.toMatchObject({
      code: 'OAUTH_STATE_MISMATCH',
    });
  });

  it('replayed callback: the state is single-use', async () => {
    const customer = harness.uniqueId('replay');
    const { authorizeUrl } = await harness.install.begin({ customer });
    const params = await consent(harness, authorizeUrl, 'approve');
    await harness.install.complete(params);
    await expect(harness.install.complete(params)).rejects.toMatchObject({ code: 'OAUTH_STATE_REPLAYED' });
  });

  it('replayed code: Gong refuses a used code, OAUTH_CODE_REJECTED', async () => {
    const customer = harness.uniqueId('code');
    const first = await harness.install.begin({ customer });
    const params = await consent(harness, first.authorizeUrl, 'approve');
    await harness.install.complete(params);
    const second = await harness.install.begin({ customer });
    await expect(
      harness.install.complete({ code: params['code'], state: second.state }),
    ).rejects.toMatchObject({
      code: 'OAUTH_CODE_REJECTED',
    });
  });

  it('expired state: OAUTH_STATE_EXPIRED', async () => {
    const customer = harness.uniqueId('late');
    const { authorizeUrl } = await harness.install.begin({ customer });
    const params = await consent(harness, authorizeUrl, 'approve');
    const later = new GongInstallFlow({
      connections: harness.runtime.durable,
      settings: harness.settings,
      secrets: harness.secrets,
      now: () => Date.now() + 16 * 60_000,
    });
    await expect(later.complete(params)).rejects.toMatchObject({ code: 'OAUTH_STATE_EXPIRED' });
  });

  it('expired code (Gong codes live 10 minutes): OAUTH_CODE_REJECTED', async () => {
    const customer = harness.uniqueId('expired');
    const { authorizeUrl } = await harness.install.begin({ customer });
    const params = await consent(harness, authorizeUrl, 'approve');
    harness.emulator.admin.advanceClock(11 * 60_000);
    await expect(harness.install.complete(params)).rejects.toMatchObject({ code: 'OAUTH_CODE_REJECTED' });
  });

  it('reconnecting replaces the credentials of the same connection', async () => {
    const customer = harness.uniqueId('again');
    const first = await connectHeadless(harness, customer);
    const second = await connectHeadless(harness, customer);
    expect(second.createdAt).toBe(first.createdAt);
    expect(second.status).toBe('active');
  });
});
