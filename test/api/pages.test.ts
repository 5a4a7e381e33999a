import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { createConnectionsRuntime } from '../../connections/runtime';
import { launchChromium } from '../support/browser';
import { startTestEngine, type TestEngine } from '../support/engine';
import { definitionsFixture, startTestApi, type TestApi } from './support';

jest.setTimeout(180_000);

const ROOT = path.resolve(__dirname, '../..');

/**
 * Every web page the API serves, and the browser test that drives it. A page added without a browser test
 * fails the first test below. The OAuth connect flow (connect page, Gong's consent page on the emulator,
 * the callback page) is driven in test/connections/browser.test.ts, with the connections harness it needs.
 */
const PAGES: Record<string, string> = {
  'GET /runs': 'test/api/pages.test.ts',
  'GET /runs/:id': 'test/api/pages.test.ts',
  'GET /settings/gong': 'test/api/pages.test.ts',
  'GET /connections': 'test/api/pages.test.ts',
  'GET /console': 'test/console/console.test.ts',
  'GET /console/login': 'test/console/console.test.ts',
  'GET /console/runs': 'test/console/console.test.ts',
  'GET /console/runs/:id': 'test/console/console.test.ts',
  'GET /console/definitions': 'test/console/console.test.ts',
  'GET /console/definitions/:name': 'test/console/console.test.ts',
  'GET /console/triggers': 'test/console/console.test.ts',
  'GET /console/connections': 'test/console/console.test.ts',
  'GET /connect/gong': 'test/connections/browser.test.ts',
  'GET /connect/gong/start': 'test/connections/browser.test.ts',
  'GET /connect/gong/callback': 'test/connections/browser.test.ts',
};
/** GET routes outside /v1 that answer data, not pages. */
const NOT_PAGES = ['GET /healthz', 'GET /readyz', 'GET /metrics', 'GET /openapi.json'];

describe('the web pages in headless Chromium', () => {
  let engine: TestEngine;
  let api: TestApi;
  let browser: Browser;
  /** A definition only this file runs, so its listing does not move while other files start runs. */
  const definition = `pages-${randomUUID().slice(0, 8)}`;

  beforeAll(async () => {
    engine = await startTestEngine();
    const definitionsDir = definitionsFixture();
    writeFileSync(
      path.join(definitionsDir, `${definition}.yaml`),
      `name: ${definition}\nversion: 3\nsteps:\n  - id: remember\n    title: Remember a value\n    set: { x: 1 }\n`,
    );
    // Connections as `gongflow server` has them: durable ones (added through the API) resolve too.
    const runtime = createConnectionsRuntime({
      config: engine.config,
      dataDir: mkdtempSync(path.join(os.tmpdir(), 'gongflow-pages-connections-')),
      client: engine.client,
      taskQueue: engine.taskQueue,
    });
    api = await startTestApi(engine, { definitionsDir, connections: runtime.resolver });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await api?.app.close();
    await engine?.close();
  });

  /** Opens a page with the API key typed in (the pages keep it in sessionStorage only). */
  async function openWithKey(url: string): Promise<Page> {
    const page = await browser.newPage();
    await page.goto(`${api.baseUrl}${url}`);
    await page.fill('#apiKey', api.apiKey);
    return page;
  }

  /** Clicks a button that makes the page call the API, and waits until its status line says how it went. */
  async function submit(page: Page, selector: string): Promise<string> {
    // Strings, not functions: they run in the page, and this project compiles without the DOM library.
    await page.evaluate("document.getElementById('status').textContent = ''");
    await page.click(selector);
    // A locator, not waitForFunction: the page's Content-Security-Policy forbids evaluating strings.
    await page.locator('#status:not(:empty)').waitFor();
    return (await page.textContent('#status')) ?? '';
  }

  /** No page carries the key in its markup or address, whatever it shows. */
  async function expectNoSecrets(page: Page): Promise<void> {
    expect(page.url()).not.toContain(api.apiKey);
    expect(await page.content()).not.toContain(api.apiKey);
  }

  it('every page the server serves has a browser test', () => {
    const pages = api.app.gongflow.routes
      .filter((route) => route.method === 'GET' && !route.url.startsWith('/v1/') && !route.hidden)
      .map((route) => `${route.method} ${route.url}`)
      .filter((route) => !NOT_PAGES.includes(route));
    expect(pages.filter((route) => PAGES[route] === undefined)).toEqual([]);
    expect(pages).toEqual(
      expect.arrayContaining(['GET /runs', 'GET /runs/:id', 'GET /settings/gong', 'GET /connections']),
    );
    for (const route of pages) {
      const file = path.join(ROOT, PAGES[route] as string);
      expect(existsSync(file)).toBe(true);
      expect(readFileSync(file, 'utf8')).toContain('launchChromium()');
    }
  });

  it('recent runs: a run that just finished, with its Temporal UI link and its step log', async () => {
    const started = await api.client.startRun({ definition, input: {} });
    const result = await api.client.waitForResult(started.run.id, { timeoutMs: 60_000 });
    expect(result.status).toBe('completed');
    const run = await api.client.getRun(started.run.id);

    const page = await openWithKey(`/runs?definition=${definition}&status=completed`);
    // Visibility is eventually consistent: ask again until the run is listed.
    const row = page.locator(`tr[data-run-id="${run.id}"]`);
    await submit(page, '#show');
    for (let attempt = 0; attempt < 100 && (await row.count()) === 0; attempt++) await submit(page, '#show');
    expect(await row.locator('td').allTextContents()).toEqual([
      run.id,
      definition,
      '3',
      '-',
      'api',
      'completed',
      expect.stringMatching(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ$/) as unknown,
      expect.stringMatching(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ$/) as unknown,
      'Step log Temporal UI',
    ]);
    expect(page.url()).toContain(`/runs?definition=${definition}&status=completed`);
    await expectNoSecrets(page);

    // The Temporal UI link is the run's history page in the Temporal Web UI, and that UI serves it.
    const uiUrl = process.env['GONGFLOW_TEST_TEMPORAL_UI_URL'] ?? engine.endpoint.uiUrl;
    const href = await row.locator('a.ui-link').getAttribute('href');
    expect(href).toBe(
      `${uiUrl}/namespaces/${engine.endpoint.namespace}/workflows/${encodeURIComponent(run.id)}/${run.temporalRunId}/history`,
    );
    expect(href).toBe(run.uiUrl);
    if (process.env['GONGFLOW_TEST_TEMPORAL_UI_URL']) {
      const served = await fetch(href as string);
      expect(served.status).toBe(200);
      expect(served.headers.get('content-type')).toContain('text/html');
      // What the UI's page asks its own API for: this very run.
      const described = await fetch(
        `${uiUrl}/api/v1/namespaces/${engine.endpoint.namespace}/workflows/${encodeURIComponent(run.id)}?execution.runId=${run.temporalRunId}`,
      );
      expect(described.status).toBe(200);
      const body = (await described.json()) as { workflowExecutionInfo?: { execution?: { runId?: string } } };
      expect(body.workflowExecutionInfo?.execution?.runId).toBe(run.temporalRunId);
      // And followed in the browser, the UI shows the run.
      const ui = await browser.newPage();
      await ui.goto(href as string);
      await ui.getByText(run.temporalRunId).first().waitFor({ timeout: 30_000 });
      await ui.close();
    }

    // The step log page of the run, reached by its link.
    await row.locator('a.steps-link').click();
    await page.waitForSelector('#result[data-status]');
    expect(page.url()).toBe(`${api.baseUrl}/runs/${encodeURIComponent(run.id)}`);
    expect(await page.textContent('#runId')).toBe(run.id);
    expect(await page.locator('tr[data-step-id="remember"] td').allTextContents()).toEqual([
      'remember',
      'Remember a value',
      expect.any(String) as unknown,
      'completed',
      expect.stringMatching(/Z$/) as unknown,
      expect.stringMatching(/Z$/) as unknown,
      '-',
    ]);
    expect(await page.getAttribute('#result', 'data-status')).toBe('completed');
    expect(await page.getAttribute('#links a.ui-link', 'href')).toBe(run.uiUrl);
    await expectNoSecrets(page);
    await page.close();
  });

  it('recent runs: filters by definition and status, and pages older and newer', async () => {
    const ids: string[] = [];
    for (let index = 0; index < 3; index++) {
      const { run } = await api.client.startRun({ definition, input: {} });
      await api.client.waitForResult(run.id, { timeoutMs: 60_000 });
      ids.push(run.id);
    }
    const page = await openWithKey('/runs');
    await page.fill('#definition', definition);
    await page.selectOption('#runStatus', 'completed');
    await page.fill('#limit', '1');
    const listed = async (): Promise<string[]> =>
      Promise.all(
        (await page.locator('tbody tr[data-run-id]').all()).map(
          async (row) => (await row.getAttribute('data-run-id')) ?? '',
        ),
      );
    // Newest first: the last run started heads the list once visibility has all three.
    await submit(page, '#show');
    for (let attempt = 0; attempt < 100 && (await listed())[0] !== ids[2]; attempt++)
      await submit(page, '#show');
    expect(await listed()).toEqual([ids[2]]);
    expect(await page.isDisabled('#previous')).toBe(true);

    const turn = async (button: '#next' | '#previous', expected: string): Promise<void> => {
      expect(await submit(page, button)).toMatch(/^Page/);
      expect(await listed()).toEqual([expected]);
    };
    await turn('#next', ids[1] as string);
    expect(await page.textContent('#status')).toContain('Page 2');
    await turn('#next', ids[0] as string);
    await turn('#previous', ids[1] as string);
    await turn('#previous', ids[2] as string);
    expect(await page.isDisabled('#previous')).toBe(true);

    // Another status: none of this definition's runs failed.
    await page.selectOption('#runStatus', 'failed');
    expect(await submit(page, '#show')).toBe('No runs match.');
    expect(await listed()).toEqual([]);
    await page.close();
  });

  it('recent runs: a wrong key shows the API error, not a table', async () => {
    const page = await browser.newPage();
    await page.goto(`${api.baseUrl}/runs`);
    await page.fill('#apiKey', 'gfk_000000000000_wrong');
    expect(await submit(page, '#show')).toContain('API_UNAUTHORIZED');
    expect(await page.locator('tbody tr').count()).toBe(0);
    await page.close();
  });

  it('a run page for a run that does not exist says so', async () => {
    const page = await openWithKey('/runs/no-such-run');
    expect(await submit(page, '#load')).toContain('RUN_NOT_FOUND');
    await page.close();
  });

  it('connections: each with its status, and a test against Gong from the page', async () => {
    const id = `pages-key-${randomUUID().slice(0, 8)}`;
    const company = engine.emulator.defaultCompany;
    const added = await fetch(`${api.baseUrl}/v1/connections/key`, {
      method: 'POST',
      headers: { authorization: `Bearer ${api.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        id,
        baseUrl: company.apiBaseUrl,
        accessKey: company.accessKey,
        accessKeySecret: company.accessKeySecret,
      }),
    });
    expect(added.status).toBe(201);

    const page = await openWithKey('/connections');
    const row = page.locator(`tr[data-connection-id="${id}"]`);
    // The listing reads Temporal visibility: ask again until the new connection is in it.
    await submit(page, '#load');
    for (let attempt = 0; attempt < 100 && (await row.count()) === 0; attempt++) await submit(page, '#load');
    const cells = await row.locator('td').allTextContents();
    expect(cells.slice(0, 6)).toEqual([id, id, 'key', 'active', '(all: access key)', company.apiBaseUrl]);
    await row.locator('button.test').click();
    await row.locator('.test-result[data-result]').waitFor();
    expect(await row.locator('.test-result').getAttribute('data-result')).toBe('ok');
    expect(await row.locator('.test-result').textContent()).toMatch(/^ok: \d+ users$/);
    expect(await page.content()).not.toContain(company.accessKeySecret);

    // The connection's own secrets: set from the form, listed by name only, removed.
    const token = `page-token-${randomUUID()}`;
    await page.fill('#secretConnection', id);
    await page.fill('#secretName', 'crmToken');
    await page.fill('#secretValue', token);
    expect(await submit(page, '#setSecret')).toBe('Secret crmToken set.');
    expect(await page.inputValue('#secretValue')).toBe('');
    expect(await page.locator('tr[data-secret-name="crmToken"] td').first().textContent()).toBe('crmToken');
    expect(await page.content()).not.toContain(token);
    expect(await submit(page, '#listSecrets')).toBe(`1 secret(s) of ${id}.`);
    const stored = await fetch(`${api.baseUrl}/v1/connections/${id}/secrets`, {
      headers: { authorization: `Bearer ${api.apiKey}` },
    });
    const { secrets } = (await stored.json()) as { secrets: Array<Record<string, unknown>> };
    expect(secrets.map((secret) => Object.keys(secret).sort())).toEqual([['name', 'updatedAt']]);
    expect(secrets[0]?.['name']).toBe('crmToken');
    expect(await submit(page, '#removeSecret')).toBe('Secret crmToken removed.');
    expect(await page.locator('tr[data-secret-name]').count()).toBe(0);
    await expectNoSecrets(page);
    await page.close();
  });

  it('app settings: loads, saves additional and custom scopes, and shows the callback URL', async () => {
    const customer = `pages-${randomUUID().slice(0, 8)}`;
    const page = await openWithKey(`/settings/gong?customer=${customer}`);
    expect(await page.textContent('#callbackUrl')).toBe(`${api.baseUrl}/connect/gong/callback`);
    expect(await submit(page, '#load')).toContain('Requested scopes: api:users:read');
    await page.check('input[name=additional][value="api:calls:read:basic"]');
    await page.fill('#customScopes', 'api:brand-new:read');
    const saved = await submit(page, '#save');
    expect(saved).toMatch(/^Saved/);
    expect(saved).toContain('api:users:read api:calls:read:basic api:brand-new:read');
    expect(saved).toContain('invalid_scope');
    await expectNoSecrets(page);
    await page.close();

    // What the page saved is what the API answers, and a fresh page loads it back.
    const stored = await fetch(`${api.baseUrl}/v1/app-settings?customer=${customer}`, {
      headers: { authorization: `Bearer ${api.apiKey}` },
    });
    expect(await stored.json()).toMatchObject({
      additionalScopes: ['api:calls:read:basic'],
      customScopes: ['api:brand-new:read'],
    });
    const again = await openWithKey(`/settings/gong?customer=${customer}`);
    expect(await submit(again, '#load')).toContain('Requested scopes');
    expect(await again.isChecked('input[name=additional][value="api:calls:read:basic"]')).toBe(true);
    expect(await again.inputValue('#customScopes')).toBe('api:brand-new:read');
    await again.close();
  });
});
