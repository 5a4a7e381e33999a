/**
 * The operator console in headless Chromium, driven as an operator uses it: sign in once with an API
 * key, then every page and action. Assertions are on what the page shows (and on the runs' outcomes the
 * API reports); each page is photographed for docs/console.md (see SCREENSHOTS).
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { createConnectionsRuntime } from '../../connections/runtime';
import { loadPlan } from '../../definitions/load';
import { deployTriggers } from '../../triggers/deploy';
import { definitionsFixture, startTestApi, type TestApi } from '../api/support';
import { launchChromium } from '../support/browser';
import { startTestEngine, type TestEngine } from '../support/engine';
import { waitFor } from '../support/wait';

jest.setTimeout(240_000);

/**
 * Where the screenshots go: docs/console/ (which docs/console.md shows) with GONGFLOW_UPDATE_SCREENSHOTS=1,
 * else a temporary folder, so a test run leaves the working tree as it was.
 */
const SCREENSHOTS =
  process.env['GONGFLOW_UPDATE_SCREENSHOTS'] === '1'
    ? path.resolve(__dirname, '../../docs/console')
    : mkdtempSync(path.join(os.tmpdir(), 'gongflow-console-screenshots-'));
const APPROVER = 'ops@acme.example';
const suffix = randomUUID().slice(0, 6);

const DEFINITIONS: Record<string, string> = {
  [`export-approval-${suffix}`]: `
name: export-approval-${suffix}
version: 1
description: Lists users, asks ${APPROVER} to approve the export, then records the decision and archives it.
input:
  reason: { type: string, description: Why the export is needed. }
  archive: { type: string, description: Where an approved export is posted. }
steps:
  - id: users
    title: List Gong users
    action: gong.users.list
    with: { maxItems: 5 }
  - id: approve
    approval: '\${{ "Export " + string(size(steps.users.output.users)) + " users for " + input.reason + "?" }}'
    approvers: [${APPROVER}]
    timeout: 1h
  - id: decide
    if: \${{ steps.approve.output.approved }}
    then:
      - id: exported
        set: { outcome: exported }
      - id: archive
        http:
          method: POST
          url: \${{ input.archive }}
          body: { reason: '\${{ input.reason }}' }
        retry: { maximumAttempts: 1 }
    else:
      - id: declined
        set: { outcome: declined }
output:
  outcome: \${{ vars.outcome }}
  by: \${{ steps.approve.output.by }}
`,
  [`someone-else-${suffix}`]: `
name: someone-else-${suffix}
version: 1
steps:
  - id: approve
    approval: Ship it?
    approvers: [cfo@acme.example]
    timeout: 1h
`,
  [`notify-${suffix}`]: `
name: notify-${suffix}
version: 1
input:
  url: { type: string }
steps:
  - id: users
    action: gong.users.list
    with: { maxItems: 3 }
  - id: each
    forEach: \${{ steps.users.output.users }}
    as: user
    maxItems: 10
    steps:
      - id: greet
        set: { greeting: '\${{ "Hello " + user.firstName }}' }
    output: \${{ steps.greet.output.greeting }}
  - id: notify
    http:
      method: POST
      url: \${{ input.url }}
      body: { greetings: '\${{ steps.each.output }}' }
    retry: { maximumAttempts: 1 }
output:
  greetings: \${{ steps.each.output }}
  status: \${{ steps.notify.output.status }}
`,
  [`wait-for-go-${suffix}`]: `
name: wait-for-go-${suffix}
version: 1
steps:
  - id: go
    waitForSignal: go
    payload:
      n: { type: integer }
    timeout: 1h
output:
  n: \${{ steps.go.output.n }}
`,
  [`weekly-${suffix}`]: `
name: weekly-${suffix}
version: 2
description: Every Monday, the week's users in parallel with a health check; failures are reported.
input:
  team: { type: string, default: sales, description: Which team to report on. }
triggers:
  - kind: schedule
    cron: '0 8 * * MON'
    timezone: Europe/Berlin
    paused: true
steps:
  - id: both
    mode: all
    parallel:
      people:
        - id: users
          action: gong.users.list
          with: { maxItems: 3 }
      health:
        - id: pause
          sleep: 10ms
  - id: guarded
    try:
      - id: count
        set: { count: '\${{ size(steps.users.output.users) }}' }
    catch:
      as: problem
      steps:
        - id: noted
          set: { count: 0 }
onFailure:
  - id: report
    set: { failed: true }
`,
};

/**
 * The archive an approved export is posted to: it holds every request until `release()`, so the run is
 * still running after the approval and the page has to follow it live to see it complete.
 */
async function startArchive() {
  const held: http.ServerResponse[] = [];
  let released = false;
  const answer = (response: http.ServerResponse) => {
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ archived: true }));
  };
  const server = http.createServer((request, response) => {
    request.resume();
    request.on('end', () => (released ? answer(response) : held.push(response)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/archive`,
    held: () => held.length,
    release: () => {
      released = true;
      held.splice(0).forEach(answer);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** An endpoint the notify step posts to: down (503) until `up`. */
async function startEndpoint() {
  const state = { up: false };
  const server = http.createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      response.writeHead(state.up ? 200 : 503, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ ok: state.up }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    state,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('the console in a browser', () => {
  let engine: TestEngine;
  let api: TestApi;
  let browser: Browser;
  let context: BrowserContext;
  let operatorKey: string;
  let endpoint: Awaited<ReturnType<typeof startEndpoint>>;
  let archive: Awaited<ReturnType<typeof startArchive>>;
  let definitionsDir: string;
  /** Script errors of any page (the signed-out test checks there were none). */
  const pageErrors: string[] = [];

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    engine = await startTestEngine();
    definitionsDir = definitionsFixture();
    for (const [name, text] of Object.entries(DEFINITIONS))
      writeFileSync(path.join(definitionsDir, `${name}.yaml`), text);
    // Connections as `gongflow server` resolves them: the engine's emulator (announced in its data folder)
    // and the durable ones the console adds.
    const runtime = createConnectionsRuntime({
      config: engine.config,
      dataDir: engine.dataDir,
      client: engine.client,
      taskQueue: engine.taskQueue,
    });
    api = await startTestApi(engine, { definitionsDir, connections: runtime.resolver });
    operatorKey = (await api.keys.create(APPROVER)).key;
    endpoint = await startEndpoint();
    archive = await startArchive();
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  });
  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await endpoint?.close();
    await archive?.close();
    await api?.app.close();
    await engine?.close();
  });

  const shot = (page: Page, name: string) =>
    page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });

  /** The key is in no page's markup or address. */
  async function expectNoKey(page: Page): Promise<void> {
    expect(page.url()).not.toContain(operatorKey);
    expect(await page.content()).not.toContain(operatorKey);
  }

  const start = async (definition: string, input: Record<string, unknown> = {}) =>
    (await api.client.startRun({ definition, input, connection: 'emulator' })).run;

  async function open(url: string): Promise<Page> {
    const page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(`${url}: ${error.message}`));
    await page.goto(`${api.baseUrl}${url}`);
    return page;
  }

  it('signs in once with an API key: a sealed HttpOnly SameSite cookie, never the key in the page', async () => {
    const page = await context.newPage();
    await page.goto(`${api.baseUrl}/console/runs`);
    // Not signed in: the sign-in page, which comes back to where the operator was going.
    expect(page.url()).toBe(`${api.baseUrl}/console/login?next=%2Fconsole%2Fruns`);
    await page.getByLabel('API key').fill('gfk_000000000000_wrong');
    await page.getByRole('button', { name: 'Sign in' }).click();
    expect(await page.locator('#loginError').textContent()).toContain('not valid');
    await shot(page, 'sign-in');
    await page.getByLabel('API key').fill(operatorKey);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${api.baseUrl}/console/runs`);
    expect(await page.locator('#user').textContent()).toBe(APPROVER);
    await page.goto(`${api.baseUrl}/console`);
    expect(page.url()).toBe(`${api.baseUrl}/console/runs`);

    const [cookie, ...others] = await context.cookies();
    expect(others).toEqual([]);
    expect(cookie).toMatchObject({ name: 'gongflow_session', httpOnly: true, sameSite: 'Strict' });
    expect(cookie!.value).not.toContain(operatorKey);
    await expectNoKey(page);
    await page.close();
  });

  it('refuses actions with the session cookie but without its CSRF token, and sign-ins from elsewhere', async () => {
    const [cookie] = await context.cookies();
    const run = await start(`wait-for-go-${suffix}`);
    const forged = await fetch(`${api.baseUrl}/v1/runs/${encodeURIComponent(run.id)}/cancel`, {
      method: 'POST',
      headers: { cookie: `gongflow_session=${cookie!.value}`, origin: 'https://evil.example' },
    });
    expect(forged.status).toBe(403);
    expect(((await forged.json()) as { error: { code: string } }).error.code).toBe('API_CSRF_REJECTED');
    // Reading with the cookie works (the console's pages do it): the run is still running.
    const read = await fetch(`${api.baseUrl}/v1/runs/${encodeURIComponent(run.id)}`, {
      headers: { cookie: `gongflow_session=${cookie!.value}` },
    });
    expect(((await read.json()) as { run: { status: string } }).run.status).toBe('running');
    const crossSite = await fetch(`${api.baseUrl}/console/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://evil.example' },
      body: new URLSearchParams({ apiKey: operatorKey }).toString(),
      redirect: 'manual',
    });
    expect(crossSite.status).toBe(403);
    expect(crossSite.headers.get('set-cookie')).toBeNull();
    await api.client.terminate(run.id);
  });

  it('a run waiting for approval: the diagram highlights the waiting step; approving it completes the run on the same page', async () => {
    const run = await start(`export-approval-${suffix}`, { reason: 'the audit', archive: archive.url });
    const page = await open(`/console/runs/${encodeURIComponent(run.id)}`);
    // "On the same page": the page is never loaded again (no reload, no navigation) after it opened.
    let reloads = 0;
    page.on('load', () => (reloads += 1));
    const approve = page.locator('.node[data-path="approve"]');
    await page.locator('.node[data-path="approve"][data-status="waiting"]').waitFor();
    expect(await page.locator('.node[data-path="users"]').getAttribute('data-status')).toBe('completed');
    expect(await approve.getAttribute('aria-label')).toContain('waiting for approval');
    expect(await page.locator('.node[data-path="exported"]').getAttribute('data-status')).toBe('pending');
    expect(await page.locator('.approval').textContent()).toContain('Export 5 users for the audit?');
    await shot(page, 'run-waiting-for-approval');

    // The users step's details: what it was asked and what Gong answered.
    await page.locator('.node[data-path="users"]').click();
    expect(await page.locator('#details .value-input pre').textContent()).toContain('"maxItems": 5');
    expect(await page.locator('#details .value-output pre').textContent()).toContain('"users"');

    await page.getByLabel('Comment on approve').fill('fine for the audit');
    await page.getByRole('button', { name: 'Approve approve' }).click();
    // The approval is decided and the run goes on: the archive holds its request, so the run is running.
    await page.locator('.node[data-path="approve"][data-status="completed"]').waitFor();
    await page.locator('.node[data-path="archive"][data-status="running"]').waitFor();
    expect(await page.locator('#runStatus').textContent()).toBe('running');
    expect(await page.getByRole('button', { name: 'Approve approve' }).count()).toBe(0);
    await waitFor(() => Promise.resolve(archive.held() === 1), 'the archive to receive the export');
    archive.release();
    // Live: the page follows the run to its end without a reload.
    await page.locator('#runStatus', { hasText: 'completed' }).waitFor();
    expect(await page.locator('.node[data-path="archive"]').getAttribute('data-status')).toBe('completed');
    expect(await approve.getAttribute('data-status')).toBe('completed');
    expect(await page.locator('.node[data-path="exported"]').getAttribute('data-status')).toBe('completed');
    expect(await page.locator('.node[data-path="declined"]').getAttribute('data-status')).toBe('pending');
    expect(JSON.parse((await page.locator('#output').textContent()) ?? '')).toEqual({
      outcome: 'exported',
      by: APPROVER,
    });
    await shot(page, 'run-completed');
    expect(reloads).toBe(0);
    await expectNoKey(page);
    await page.close();
    expect(await api.client.getResult(run.id)).toMatchObject({
      status: 'completed',
      output: { by: APPROVER },
    });
  });

  it('reject, and an approval this operator may not decide shows no buttons', async () => {
    const run = await start(`export-approval-${suffix}`, { reason: 'curiosity', archive: archive.url });
    const page = await open(`/console/runs/${encodeURIComponent(run.id)}`);
    await page.locator('.node[data-path="approve"][data-status="waiting"]').waitFor();
    await page.getByRole('button', { name: 'Reject approve' }).click();
    await page.locator('#runStatus', { hasText: 'completed' }).waitFor();
    expect(await page.locator('.node[data-path="declined"]').getAttribute('data-status')).toBe('completed');
    await page.close();

    const other = await start(`someone-else-${suffix}`);
    const otherPage = await open(`/console/runs/${encodeURIComponent(other.id)}`);
    await otherPage.locator('.node[data-path="approve"][data-status="waiting"]').waitFor();
    expect(await otherPage.locator('.approval').textContent()).toContain(
      'waits for approval by cfo@acme.example',
    );
    expect(await otherPage.getByRole('button', { name: 'Approve approve' }).count()).toBe(0);
    await otherPage.close();
    await api.client.terminate(other.id);
  });

  it('a failed run: its failure, loop iterations with their outputs, and a rerun that reuses what completed', async () => {
    const run = await start(`notify-${suffix}`, { url: endpoint.url });
    await api.client.waitForResult(run.id, { timeoutMs: 60_000 });
    const page = await open(`/console/runs/${encodeURIComponent(run.id)}`);
    await page.locator('#runStatus', { hasText: 'failed' }).waitFor();
    expect(await page.locator('#failure').textContent()).toContain('HttpStepError');
    expect(await page.locator('.node[data-path="notify"]').getAttribute('data-status')).toBe('failed');
    // The loop body's step: its iterations, each with its output.
    const greet = page.locator('.node[data-path="each[*]/greet"]');
    expect(await greet.getAttribute('aria-label')).toContain('3 completed');
    await greet.click();
    expect(await page.locator('#details h3').textContent()).toBe('Iterations (3)');
    await page.locator('#details details.iteration[data-path="each[1]/greet"] > summary').click();
    expect(
      await page
        .locator('#details details.iteration[data-path="each[1]/greet"] .value-output pre')
        .textContent(),
    ).toContain('Hello');
    await page.locator('.node[data-path="notify"]').click();
    expect(await page.locator('#details').textContent()).toContain('HttpStepError');
    await shot(page, 'run-failed');

    endpoint.state.up = true;
    await page.getByRole('button', { name: 'Rerun from the failed step' }).click();
    await page.waitForURL(
      (url) =>
        url.pathname.startsWith('/console/runs/') && !url.pathname.endsWith(encodeURIComponent(run.id)),
    );
    await page.locator('#runStatus', { hasText: 'completed' }).waitFor();
    expect(await page.locator('.node[data-path="users"]').getAttribute('data-status')).toBe('reused');
    expect(await page.locator('.node[data-path="notify"]').getAttribute('data-status')).toBe('completed');
    expect(await page.locator('#facts').textContent()).toContain(run.id);
    await shot(page, 'run-rerun');
    await page.close();
  });

  it('signal, cancel and terminate from the run page', async () => {
    const signalled = await start(`wait-for-go-${suffix}`);
    const page = await open(`/console/runs/${encodeURIComponent(signalled.id)}`);
    await page.locator('.node[data-path="go"][data-status="waiting"]').waitFor();
    await page.getByLabel('Signal payload (JSON)').fill('{"n": 7}');
    await page.getByRole('button', { name: 'Send signal' }).click();
    await page.locator('#runStatus', { hasText: 'completed' }).waitFor();
    expect(JSON.parse((await page.locator('#output').textContent()) ?? '')).toEqual({ n: 7 });
    await page.close();

    const cancelled = await start(`wait-for-go-${suffix}`);
    const second = await open(`/console/runs/${encodeURIComponent(cancelled.id)}`);
    await second.getByRole('button', { name: 'Cancel run' }).click();
    await second.locator('#runStatus', { hasText: 'cancelled' }).waitFor();
    await second.close();

    const terminated = await start(`wait-for-go-${suffix}`);
    const third = await open(`/console/runs/${encodeURIComponent(terminated.id)}`);
    await third.getByRole('button', { name: 'Terminate…' }).click();
    await third.getByLabel('Reason for terminating').fill('console test');
    await third.getByRole('button', { name: 'Terminate now' }).click();
    await third.locator('#runStatus', { hasText: 'terminated' }).waitFor();
    await third.close();
    expect((await api.client.getResult(terminated.id)).status).toBe('terminated');
  });

  it('runs: listed newest first, filtered, and usable at phone width', async () => {
    const definition = `export-approval-${suffix}`;
    const page = await open(`/console/runs?definition=${definition}`);
    const rows = page.locator('#runs tbody tr');
    await waitFor(async () => {
      await page.getByRole('button', { name: 'Show' }).click();
      return (await rows.count()) >= 2;
    }, 'the approval runs to be listed');
    expect(await rows.first().locator('td').nth(1).textContent()).toBe(`${definition}@1`);
    await page.selectOption('#runStatus', 'failed');
    await page.getByRole('button', { name: 'Show' }).click();
    await page.locator('#status', { hasText: 'No runs match.' }).waitFor();
    await page.selectOption('#runStatus', '');
    await page.getByRole('button', { name: 'Show' }).click();
    await rows.first().waitFor();
    await shot(page, 'runs');

    await page.setViewportSize({ width: 390, height: 844 });
    await page.reload();
    await rows.first().waitFor();
    // One card per run, nothing wider than the phone.
    for (const locator of [page.locator('#runs'), rows.first(), page.locator('header.top')]) {
      expect((await locator.boundingBox())!.width).toBeLessThanOrEqual(390);
    }
    await shot(page, 'runs-phone');
    await rows.first().locator('a.run-link').click();
    await page.locator('.node').first().waitFor();
    expect((await page.locator('#diagram').boundingBox())!.width).toBeLessThanOrEqual(390);
    await shot(page, 'run-phone');
    await page.close();
  });

  it('definitions: the list, and a plan drawn as a diagram with its triggers and input', async () => {
    const name = `weekly-${suffix}`;
    const page = await open('/console/definitions');
    const link = page.getByRole('link', { name });
    await link.waitFor();
    await shot(page, 'definitions');
    await link.click();
    await page.locator('.node[data-path="both"]').waitFor();
    for (const path of [
      'both',
      'both.people/users',
      'both.health/pause',
      'guarded',
      'count',
      'noted',
      'onFailure/report',
    ]) {
      expect(await page.locator(`.node[data-path="${path}"]`).count()).toBe(1);
    }
    expect(await page.locator('.lane-label').allTextContents()).toEqual(
      expect.arrayContaining([
        'branch people',
        'branch health',
        'try',
        'catch any failure',
        'on failure (error handler)',
      ]),
    );
    expect(await page.locator('#planTriggers').textContent()).toContain(
      'schedule (cron 0 8 * * MON, timezone Europe/Berlin',
    );
    expect(await page.locator('#inputs tbody tr').first().locator('td').allTextContents()).toEqual([
      'team',
      'string',
      'no',
      '"sales"',
      'Which team to report on.',
    ]);
    await page.locator('.node[data-path="both.people/users"]').click();
    expect(await page.locator('#details pre').textContent()).toContain('gong.users.list');
    await shot(page, 'definition');
    await page.close();
  });

  it('triggers: pause, resume, backfill and undeploy a deployed schedule', async () => {
    const name = `weekly-${suffix}`;
    const plan = loadPlan(path.join(definitionsDir, `${name}.yaml`));
    await deployTriggers(engine.client, { plan, connectionId: 'emulator', taskQueue: engine.taskQueue });
    const page = await open('/console/triggers');
    const row = page.locator(`#triggers tr[data-definition="${name}"]`);
    await waitFor(async () => {
      await page.reload();
      return (await row.count()) === 1;
    }, 'the schedule to be listed');
    const label = `${name} schedule on emulator`;
    const status = () => row.locator('td').nth(4).textContent();
    expect(await status()).toBe('paused');
    await shot(page, 'triggers');
    await page.getByRole('button', { name: `Resume ${label}` }).click();
    await page.getByRole('button', { name: `Pause ${label}` }).waitFor();
    expect(await status()).toBe('running');
    await page.getByRole('button', { name: `Pause ${label}` }).click();
    await page.getByRole('button', { name: `Resume ${label}` }).waitFor();
    expect(await status()).toBe('paused');

    const from = new Date(Date.now() - 8 * 24 * 3600_000).toISOString().slice(0, 10);
    await page.getByLabel(`Backfill ${label} from`).fill(from);
    await page.getByRole('button', { name: `Backfill ${label}` }).click();
    await page.locator('#status', { hasText: /Backfill.*done/ }).waitFor();
    // A week back holds one Monday 08:00 at least: the backfill starts a run of it.
    await waitFor(
      async () => (await api.client.listRuns({ definition: name })).length >= 1,
      'a backfilled run',
    );

    await page.getByRole('button', { name: `Undeploy ${label}` }).click();
    await page.getByRole('button', { name: `Yes, undeploy ${label}` }).click();
    await page.locator('#status', { hasText: /Yes, undeploy.*done/ }).waitFor();
    expect(await row.count()).toBe(0);
    await page.close();
  });

  it('connections: add an access key, test it, and create an OAuth connect link', async () => {
    const id = `console-${suffix}`;
    const company = engine.emulator.defaultCompany;
    const page = await open('/console/connections');
    await page.locator('#status', { hasText: 'connection' }).waitFor();
    const form = page.locator('#addKey');
    await form.getByLabel('Connection id').fill(id);
    await form.getByLabel('Gong API base URL').fill(company.apiBaseUrl);
    await form.getByLabel('Access key', { exact: true }).fill(company.accessKey);
    await form.getByLabel('Access key secret').fill(company.accessKeySecret);
    await form.getByRole('button', { name: 'Add and check with Gong' }).click();
    await page.locator('#status', { hasText: `Added ${id}` }).waitFor();
    const row = page.locator(`#connections tr[data-connection-id="${id}"]`);
    await waitFor(
      async () => (await row.count()) === 1 || (await page.reload(), false),
      'the connection to be listed',
    );
    await row.getByRole('button', { name: `Test ${id}` }).click();
    await row.locator('.test-result[data-result="ok"]').waitFor();
    expect(await row.locator('.test-result').textContent()).toMatch(/^ok: \d+ users$/);
    expect(await page.content()).not.toContain(company.accessKeySecret);

    // Connecting with OAuth needs the Gong app's credentials (the app settings page sets them).
    const settings = await fetch(`${api.baseUrl}/v1/app-settings`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${api.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        credentials: { kind: 'yours', clientId: 'console-test-app', clientSecret: 'console-test-secret' },
      }),
    });
    expect(settings.status).toBe(200);
    const connect = page.locator('#connectOAuth');
    await connect.getByLabel('Connection id').fill(`oauth-${suffix}`);
    await connect.getByLabel('Customer').fill('acme');
    await connect.getByRole('button', { name: 'Create connect link' }).click();
    const link = page.locator('#connectUrl');
    await link.waitFor();
    await shot(page, 'connections');
    // The link opens the page the customer's Gong admin sees.
    const href = (await link.getAttribute('href')) ?? '';
    expect(href).toContain('/connect/gong?');
    const admin = await browser.newPage();
    await admin.goto(href);
    expect(await admin.locator('#customer').textContent()).toBe('acme');
    await admin.close();
    await page.close();
  });

  it('a run or definition that does not exist says so (404), instead of an empty page', async () => {
    const page = await context.newPage();
    const run = await page.goto(`${api.baseUrl}/console/runs/no-such-run`);
    expect(run?.status()).toBe(404);
    expect(await page.locator('#notFound').textContent()).toBe('No run with id "no-such-run".');
    expect(await page.locator('#diagram').count()).toBe(0);
    const definition = await page.goto(`${api.baseUrl}/console/definitions/no-such-definition`);
    expect(definition?.status()).toBe(404);
    expect(await page.locator('#notFound').textContent()).toContain('No definition named');
    await page.close();
  });

  it('signs out: the cookie is gone and the pages ask to sign in again (and no page had a script error)', async () => {
    const page = await open('/console/definitions');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(`${api.baseUrl}/console/login`);
    expect(await context.cookies()).toEqual([]);
    await page.goto(`${api.baseUrl}/console/triggers`);
    expect(page.url()).toContain('/console/login?next=');
    await page.close();
    expect(pageErrors).toEqual([]);
  });
});
