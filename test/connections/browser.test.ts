import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { chromium, type Browser } from 'playwright-core';
import { createApiServer } from '../../api/server';
import { loadPlan } from '../../definitions/load';
import { followRun } from '../../runs/follow';
import { startRun } from '../../runs/start';
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
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    });
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

  it('connect page -> Gong consent -> callback: an active connection whose runs succeed', async () => {
    const customer = harness.uniqueId('browser');
    const page = await browser.newPage();
    await page.goto(`${baseUrl}/connect/gong`);
    await page.fill('#customer', customer);
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
    const page = await browser.newPage();
    await page.goto(`${baseUrl}/connect/gong?customer=${customer}`);
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
    expect(body.error.hint).toContain('connect page');
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
