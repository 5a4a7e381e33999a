import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Browser } from 'playwright-core';
import { createApiServer } from '../../api/server';
import { GongflowClient } from '../../client/index';
import { ConnectLinks } from '../../connections/connect-link';
import { loadPlan } from '../../definitions/load';
import { followRun } from '../../runs/follow';
import { startRun } from '../../runs/start';
import { launchChromium } from '../support/browser';
import { freePort } from '../support/ports';
import { startConnectionsHarness, type ConnectionsHarness } from './harness';

const LIST_USERS = path.resolve(__dirname, '../../definitions/examples/list-users.yaml');
const API_KEY = 'test-connections-key';

jest.setTimeout(180_000);

/**
 * The connect flow as a person does it: gongflow's connect page, Gong's consent page (the emulator's),
 * back to gongflow's callback page; then the connection runs definitions. Plus the API and its errors.
 */
describe('connecting Gong in a browser, and the connections API', () => {
  let harness: ConnectionsHarness;
  let api: FastifyInstance;
  let baseUrl: string;
  let browser: Browser;

  beforeAll(async () => {
    const port = await freePort();
    harness = await startConnectionsHarness({ publicUrl: `http://127.0.0.1:${port}` });
    api = await createApiServer({
      config: harness.config,
      client: harness.client,
      namespace: harness.endpoint.namespace,
      taskQueue: harness.taskQueue,
      connections: harness.runtime.resolver,
      definitionsDir: mkdtempSync(path.join(os.tmpdir(), 'gongflow-connections-defs-')),
      apiKeys: {
        verify: (key) =>
          Promise.resolve(
            key === API_KEY
              ? { id: 'test', name: 'test', createdAt: new Date(0).toISOString(), status: 'active' as const }
              : undefined,
          ),
      },
    });
    baseUrl = await api.listen({ host: '127.0.0.1', port });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await api?.close();
    await harness?.close();
  });

  const call = async (method: string, url: string, body?: unknown) => {
    const response = await fetch(`${baseUrl}${url}`, {
      method,
      headers: {
        authorization: `Bearer ${API_KEY}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };

  it('signed connect link -> Gong consent -> callback: an active connection whose runs succeed', async () => {
    const customer = harness.uniqueId('browser');
    // The operator creates the link (TS client -> API), and sends it to the customer's Gong admin.
    const gongflow = new GongflowClient({ baseUrl, apiKey: API_KEY });
    const link = await gongflow.createConnectLink(customer, { expiresInSeconds: 3600 });
    expect(link).toMatchObject({ connectionId: customer, customer });
    expect(Date.parse(link.expiresAt) - Date.now()).toBeGreaterThan(3500_000);
    expect(link.url.startsWith(`${baseUrl}/connect/gong?`)).toBe(true);
    expect(new URL(link.url).searchParams.get('signature')).toMatch(/^[\w-]{43}$/);

    const page = await browser.newPage();
    await page.goto(link.url);
    expect(await page.textContent('#customer')).toBe(customer);
    await page.click('#connect-button');
    // The emulator's consent page: the app's scopes, then Approve.
    await page.waitForSelector('#approve');
    expect(await page.locator('#scopes li').allTextContents()).toEqual([
      'api:users:read',
      'api:calls:read:basic',
    ]);
    await page.click('#approve');
    await page.waitForSelector('#result');
    expect(await page.getAttribute('#result', 'data-status')).toBe('connected');
    expect(await page.textContent('#connection-id')).toBe(customer);
    await page.close();

    const listed = await call('GET', '/v1/connections');
    expect(listed.status).toBe(200);
    expect(listed.body['connections']).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ id: customer, status: 'active', authType: 'oauth' }),
      ]),
    );
    const tested = await call('POST', `/v1/connections/${customer}/test`);
    expect(tested.body['ok']).toBe(true);
    expect(tested.body['totalUsers']).toBeGreaterThan(100);

    const handle = await startRun(harness.client, {
      plan: loadPlan(LIST_USERS),
      connectionId: customer,
      taskQueue: harness.taskQueue,
      connections: harness.runtime.resolver,
    });
    expect(await followRun(handle, { pollIntervalMs: 50 })).toMatchObject({ status: 'completed' });
  });

  it('deny in the browser ends on a clear page; the API gives the same code', async () => {
    const customer = harness.uniqueId('denied');
    const { body: link } = await call('POST', `/v1/connections/${customer}/connect-link`, {});
    const page = await browser.newPage();
    await page.goto(link['url'] as string);
    await page.click('#connect-button');
    await page.click('#deny');
    await page.waitForSelector('#result');
    expect(await page.getAttribute('#result', 'data-code')).toBe('OAUTH_DENIED');
    expect(await page.textContent('#hint')).toContain('approve');
    await page.close();

    const json = await fetch(`${baseUrl}/connect/gong/callback?error=access_denied&state=forged`, {
      headers: { accept: 'application/json' },
    });
    expect(json.status).toBe(400);
    const body = (await json.json()) as { error: { code: string; hint?: string } };
    expect(body.error.code).toBe('OAUTH_STATE_MISMATCH');
    expect(body.error.hint).toContain('connect link');
  });

  it('every install error ends on a clear page, and on the same code as JSON', async () => {
    const customer = harness.uniqueId('errors');
    const begin = () => harness.install.begin({ customer });
    const approved = async () => {
      const { authorizeUrl, state } = await begin();
      const { code } = harness.emulator.admin.authorize({
        clientId: harness.oauthApp.clientId,
        companyId: harness.emulator.defaultCompany.id,
        redirectUri: harness.callbackUrl,
        scopes: new URL(authorizeUrl).searchParams.get('scope')?.split(' ') ?? [],
      });
      return { code, state };
    };
    const used = await approved();
    await harness.install.complete(used); // connects; its state and code are now spent
    const cases: [string, Record<string, string>][] = [
      ['OAUTH_DENIED', { error: 'access_denied', state: (await begin()).state }],
      ['OAUTH_INVALID_SCOPE', { error: 'invalid_scope', state: (await begin()).state }],
      ['OAUTH_STATE_MISMATCH', { code: 'x', state: 'forged.state' }],
      ['OAUTH_STATE_REPLAYED', used],
      ['OAUTH_CODE_REJECTED', { code: used.code, state: (await begin()).state }],
      ['OAUTH_NO_CODE', { state: (await begin()).state }],
    ];
    for (const [code, params] of cases) {
      const query = new URLSearchParams(params).toString();
      const page = await fetch(`${baseUrl}/connect/gong/callback?${query}`);
      const html = await page.text();
      expect({ code, status: page.status }).toEqual({ code, status: 400 });
      expect(html).toContain(`data-code="${code}"`);
      expect(html).toMatch(/id="hint">[^<]+</);
    }
    const json = await fetch(
      `${baseUrl}/connect/gong/callback?${new URLSearchParams({ error: 'invalid_scope', state: (await begin()).state }).toString()}`,
      { headers: { accept: 'application/json' } },
    );
    expect(json.status).toBe(400);
    expect(await json.json()).toMatchObject({
      error: { code: 'OAUTH_INVALID_SCOPE', hint: expect.stringContaining('Developer Hub') as unknown },
    });
  });

  it('the connect pages open only through a signed, unexpired link: clear page and problem details', async () => {
    const customer = harness.uniqueId('linked');
    const created = await call('POST', `/v1/connections/${customer}/connect-link`, {
      customer,
      expiresInSeconds: 600,
    });
    expect(created.status).toBe(201);
    const good = new URL(created.body['url'] as string);
    const json = { headers: { accept: 'application/json' } };

    const opened = await fetch(good, json);
    expect(opened.status).toBe(200);
    const view = (await opened.json()) as { connectionId: string; startUrl: string };
    expect(view.connectionId).toBe(customer);
    // The start route checks the link again before sending anyone to Gong.
    const start = await fetch(`${baseUrl}${view.startUrl}`, { redirect: 'manual' });
    expect(start.status).toBe(302);
    expect(start.headers.get('location')).toContain('/oauth2/authorize?');

    const tampered = new URL(good);
    tampered.searchParams.set('connection', 'someone-else');
    const later = new ConnectLinks({
      secrets: harness.secrets,
      publicUrl: () => baseUrl,
      now: () => Date.now() - 3_600_000,
    }).create({ connectionId: customer, expiresInSeconds: 600 });
    const cases: [string, number, string][] = [
      [`${baseUrl}/connect/gong`, 403, 'CONNECT_LINK_REQUIRED'],
      [`${baseUrl}/connect/gong?customer=${customer}`, 403, 'CONNECT_LINK_UNSIGNED'],
      [tampered.toString(), 403, 'CONNECT_LINK_INVALID'],
      [tampered.toString().replace('/connect/gong?', '/connect/gong/start?'), 403, 'CONNECT_LINK_INVALID'],
      [later.url, 410, 'CONNECT_LINK_EXPIRED'],
    ];
    for (const [url, status, code] of cases) {
      const problem = await fetch(url, { ...json, redirect: 'manual' });
      expect({ url, status: problem.status }).toEqual({ url, status });
      const body = (await problem.json()) as { error: { code: string; message: string; hint?: string } };
      expect(body.error.code).toBe(code);
      expect(body.error.hint).toContain('connect link');
    }

    // A person sees a page saying what happened and what to do.
    const page = await browser.newPage();
    const response = await page.goto(later.url);
    expect(response?.status()).toBe(410);
    expect(await page.getAttribute('#result', 'data-code')).toBe('CONNECT_LINK_EXPIRED');
    expect(await page.textContent('#message')).toContain('expired');
    expect(await page.textContent('#hint')).toContain('new connect link');
    await page.goto(tampered.toString());
    expect(await page.getAttribute('#result', 'data-code')).toBe('CONNECT_LINK_INVALID');
    await page.close();

    // The older OAuth start endpoint hands out signed links too.
    const oauth = await call('POST', '/v1/connections/oauth', { customer });
    expect(oauth.status).toBe(200);
    expect(new URL(oauth.body['connectUrl'] as string).searchParams.get('signature')).toBeTruthy();
    expect((await fetch(oauth.body['connectUrl'] as string, json)).status).toBe(200);
  });

  it('app settings: mandatory scope stays, custom scopes warn, the callback URL is shown', async () => {
    const customer = harness.uniqueId('settings');
    const saved = await call('PUT', `/v1/app-settings?customer=${customer}`, {
      credentials: {
        kind: 'yours',
        clientId: harness.oauthApp.clientId,
        clientSecret: harness.oauthApp.clientSecret,
      },
      additionalScopes: ['api:calls:read:basic', 'api:users:read'],
      customScopes: ['api:brand-new:read'],
    });
    expect(saved.status).toBe(200);
    expect(saved.body).toMatchObject({
      credentials: { kind: 'yours', clientId: harness.oauthApp.clientId, hasSecret: true },
      mandatoryScopes: ['api:users:read'],
      additionalScopes: ['api:calls:read:basic'],
      scopes: ['api:users:read', 'api:calls:read:basic', 'api:brand-new:read'],
      callbackUrl: `${baseUrl}/connect/gong/callback`,
    });
    expect(JSON.stringify(saved.body)).not.toContain(harness.oauthApp.clientSecret);
    expect((saved.body['warnings'] as string[])[0]).toContain('invalid_scope');
    const unknown = await call('PUT', '/v1/app-settings', {
      credentials: { kind: 'ours' },
      additionalScopes: ['api:not-a-scope'],
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body).toMatchObject({ error: { code: 'APP_SETTINGS_UNKNOWN_SCOPE' } });

    const page = await browser.newPage();
    await page.goto(`${baseUrl}/settings/gong`);
    expect(await page.textContent('#callbackUrl')).toBe(`${baseUrl}/connect/gong/callback`);
    expect(await page.isDisabled('input[type=checkbox][disabled]')).toBe(true);
    await page.close();
  });

  it('key-based connections: tested with GET /v2/users when added; a bad key is refused', async () => {
    const id = harness.uniqueId('key');
    const company = harness.emulator.defaultCompany;
    const added = await call('POST', '/v1/connections/key', {
      id,
      baseUrl: company.apiBaseUrl,
      accessKey: company.accessKey,
      accessKeySecret: company.accessKeySecret,
    });
    expect(added.status).toBe(201);
    expect(added.body).toMatchObject({ connection: { id, authType: 'key', status: 'active', scopes: null } });
    expect(JSON.stringify(added.body)).not.toContain(company.accessKeySecret);
    const bad = await call('POST', '/v1/connections/key', {
      id: harness.uniqueId('badkey'),
      baseUrl: company.apiBaseUrl,
      accessKey: company.accessKey,
      accessKeySecret: 'wrong-secret-1234',
    });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ error: { code: 'CONNECTION_TEST_FAILED' } });

    const handle = await startRun(harness.client, {
      plan: loadPlan(LIST_USERS),
      connectionId: id,
      taskQueue: harness.taskQueue,
      connections: harness.runtime.resolver,
    });
    expect(await followRun(handle, { pollIntervalMs: 50 })).toMatchObject({ status: 'completed' });

    const removed = await call('DELETE', `/v1/connections/${id}`);
    expect(removed.status).toBe(200);
    // Listing reads Temporal visibility, which catches up with the deletion within moments.
    let gone = await call('GET', `/v1/connections/${id}`);
    for (let attempt = 0; attempt < 50 && gone.status !== 404; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      gone = await call('GET', `/v1/connections/${id}`);
    }
    expect(gone.status).toBe(404);
  });
});
