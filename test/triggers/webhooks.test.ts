import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { WorkflowNotFoundError } from '@temporalio/client';
import { request as httpRequest } from 'node:http';
import Fastify, { type FastifyInstance } from 'fastify';
import gongWebhooks from '../../api/routes/gong-webhooks';
import type { ApiContext } from '../../api/context';
import { signWebhookJwt } from '../../emulator/webhooks/jwt';
import { deployTriggers } from '../../triggers/deploy';
import { eventRunWorkflowId, pollerWorkflowId } from '../../triggers/ids';
import { addWebhookKeys, listWebhookKeys, revokeWebhookKey } from '../../triggers/webhook-keys';
import type { PollerStatus } from '../../workflows/triggers/poller';
import {
  ENDPOINT_RUN_MAX_EVENTS,
  type WebhookDeliveryReport,
} from '../../workflows/triggers/webhook-endpoint';
import { createGongflowWorker } from '../../workers/worker';
import { startTestEngine, type TestEngine } from '../support/engine';
import { freePort } from '../support/ports';
import { recordingPlan, runsOf, waitFor } from './support';

let engine: TestEngine;
let app: FastifyInstance;
let baseUrl: string;
const connectionId = `hook-${randomUUID().slice(0, 8)}`;
const definition = `hooks-${randomUUID().slice(0, 8)}`;
const urlKey = 'k3y-for-the-url-0123456789';
/** Our own "Gong rule" key pair, to sign deliveries the way Gong does (and to forge ones it would not). */
const rule = generateKeyPairSync('rsa', { modulusLength: 2048 });
const rulePrivatePem = rule.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const rulePublicKey = rule.publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
const forger = generateKeyPairSync('rsa', { modulusLength: 2048 });
const forgerPem = forger.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
let company: { id: string };
let emulatorRulePublicKey: string;

beforeAll(async () => {
  engine = await startTestEngine();
  company = await engine.emulator.admin.createCompany({
    name: `Hooks ${connectionId}`,
    callCount: 10,
    userCount: 5,
    rateLimits: { perSecond: 200, perDay: 1_000_000 },
  });
  const credentials = company as unknown as {
    apiBaseUrl: string;
    accessKey: string;
    accessKeySecret: string;
  };
  engine.connections.register({
    id: connectionId,
    type: 'key',
    baseUrl: credentials.apiBaseUrl,
    accessKey: credentials.accessKey,
    accessKeySecret: credentials.accessKeySecret,
  });
  // The receiver checks the JWT's webhook_url against the configured public URL: this server's own.
  const port = await freePort();
  baseUrl = `http://127.0.0.1:${port}`;
  app = await webhookServer({ publicUrl: baseUrl }, port);
  const created = engine.emulator.admin.createWebhookRule(company.id, {
    url: `${baseUrl}/webhooks/gong/${connectionId}`,
    authMethod: 'jwt',
    filter: { titleContains: 'Hooked' },
  });
  emulatorRulePublicKey = created.publicKey ?? '';
}, 120_000);
afterAll(async () => {
  await app?.close();
  await engine?.close();
});

/** The webhook route alone, as `gongflow server` mounts it, with the given http settings. */
async function webhookServer(http: { publicUrl?: string }, port = 0): Promise<FastifyInstance> {
  const server = Fastify();
  const context = { client: engine.client, config: { http } } as unknown as ApiContext;
  await server.register(gongWebhooks, { context });
  await server.listen({ host: '127.0.0.1', port });
  return server;
}

/** A POST whose Host header the sender picks (fetch does not let one set it). */
function postWithHost(
  target: string,
  host: string,
  payload: string,
  headers: Record<string, string>,
): Promise<{ statusCode: number; body: { error?: { code: string } } }> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(
      target,
      { method: 'POST', headers: { ...headers, host, 'content-type': 'application/json' } },
      (response) => {
        let text = '';
        response.on('data', (chunk: Buffer) => (text += chunk.toString()));
        response.on('end', () =>
          resolve({
            statusCode: response.statusCode ?? 0,
            body: JSON.parse(text) as { error?: { code: string } },
          }),
        );
      },
    );
    request.once('error', reject);
    request.end(payload);
  });
}

const url = () => `${baseUrl}/webhooks/gong/${connectionId}`;

function body(callId: string, isTest = false): string {
  return JSON.stringify({
    isTest,
    callData: {
      metaData: { id: callId, title: `Hooked ${callId}`, started: new Date().toISOString() },
      parties: [],
    },
  });
}

function sign(
  payload: string,
  options: { key?: string; url?: string; nowMs?: number; ttlSeconds?: number } = {},
) {
  return signWebhookJwt({
    privateKeyPem: options.key ?? rulePrivatePem,
    url: options.url ?? url(),
    body: payload,
    nowMs: options.nowMs ?? Date.now(),
    ttlSeconds: options.ttlSeconds ?? 300,
  });
}

/** A real HTTP delivery (light-my-request's inject does not load under jest). */
async function deliver(payload: string, headers: Record<string, string> = {}, query = '') {
  const response = await fetch(`${url()}${query}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: payload,
  });
  const text = await response.text();
  return { statusCode: response.status, json: () => JSON.parse(text) as unknown };
}

async function runExists(callId: string): Promise<boolean> {
  try {
    await engine.client.workflow
      .getHandle(eventRunWorkflowId(definition, connectionId, 'gong.call.processed', callId))
      .describe();
    return true;
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) return false;
    throw error;
  }
}

test('deploy: the webhook subscription and the reconciling poller of one definition', async () => {
  const plan = recordingPlan(definition, [
    { kind: 'gong.call.processed', settings: {} },
    { kind: 'gong.call.new', settings: { every: 300, lookback: 86_400_000 } },
  ]);
  await deployTriggers(engine.client, {
    plan,
    connectionId,
    taskQueue: engine.taskQueue,
    publicKey: rulePublicKey,
    urlKey,
    publicUrl: baseUrl,
  });
  await deployTriggers(engine.client, {
    plan,
    connectionId,
    taskQueue: engine.taskQueue,
    publicKey: emulatorRulePublicKey,
    publicUrl: baseUrl,
  });
  // One body for the delivery and its signature: body() stamps the time, which may tick between two calls.
  const payload = body('1000000000000000001');
  const first = await deliver(payload, { authorization: sign(payload) });
  expect(first.statusCode).toBe(200);
});

test('100 identical signed deliveries start 1 run', async () => {
  const callId = '1000000000000000100';
  const payload = body(callId);
  const token = sign(payload);
  const answers = await Promise.all(
    Array.from({ length: 100 }, () => deliver(payload, { authorization: token })),
  );
  expect(answers.map((answer) => answer.statusCode)).toEqual(Array(100).fill(200));
  const outcomes = answers.map(
    (answer) => (answer.json() as { runs: Array<{ outcome: string }> }).runs[0]?.outcome,
  );
  expect(outcomes.filter((outcome) => outcome === 'started')).toHaveLength(1);
  expect(outcomes.filter((outcome) => outcome === 'duplicate')).toHaveLength(99);
  const id = eventRunWorkflowId(definition, connectionId, 'gong.call.processed', callId);
  const runs = await waitFor(async () => {
    const found = await runsOf(engine.client, definition);
    return found.has(id) ? found : undefined;
  }, 'the run in visibility');
  expect(runs.get(id)).toBe(1);
  // After the run completed, a late redelivery still starts nothing (REJECT_DUPLICATE).
  await engine.client.workflow.getHandle(id).result();
  const late = await deliver(payload, { authorization: sign(payload) });
  expect((late.json() as { runs: Array<{ outcome: string }> }).runs[0]?.outcome).toBe('duplicate');
});

test.each([
  [
    'forged signature',
    (payload: string) => ({ payload, headers: { authorization: sign(payload, { key: forgerPem }) } }),
    401,
    'WEBHOOK_BAD_SIGNATURE',
  ],
  [
    'altered body',
    (payload: string) => ({
      payload: payload.replace('Hooked', 'Hacked'),
      headers: { authorization: sign(payload) },
    }),
    401,
    'WEBHOOK_BODY_MISMATCH',
  ],
  [
    'expired token',
    (payload: string) => ({
      payload,
      headers: { authorization: sign(payload, { nowMs: Date.now() - 3_600_000, ttlSeconds: 60 }) },
    }),
    401,
    'WEBHOOK_TOKEN_EXPIRED',
  ],
  [
    'wrong URL claim',
    (payload: string) => ({
      payload,
      headers: { authorization: sign(payload, { url: `${baseUrl}/webhooks/gong/other-connection` }) },
    }),
    401,
    'WEBHOOK_URL_MISMATCH',
  ],
  ['no credentials', (payload: string) => ({ payload, headers: {} }), 401, 'WEBHOOK_UNAUTHENTICATED'],
  [
    'token that is not a JWT',
    (payload: string) => ({ payload, headers: { authorization: 'Bearer not.a-jwt' } }),
    401,
    'WEBHOOK_BAD_SIGNATURE',
  ],
  [
    'wrong URL key',
    (payload: string) => ({ payload, headers: {}, query: '?key=guessed-key-0000000000' }),
    401,
    'WEBHOOK_BAD_KEY',
  ],
  [
    'malformed body (valid key)',
    () => ({ payload: '{"isTest": false, "callData": ', headers: {}, query: `?key=${urlKey}` }),
    400,
    'WEBHOOK_MALFORMED',
  ],
  [
    'body without a call id (valid key)',
    () => ({ payload: '{"isTest": false, "callData": {}}', headers: {}, query: `?key=${urlKey}` }),
    400,
    'WEBHOOK_MALFORMED',
  ],
])('%s: rejected, nothing started', async (_name, make, status, code) => {
  const callId = `2${String(Date.now()).slice(-9)}${Math.floor(Math.random() * 1e8)}`;
  const request = make(body(callId)) as { payload: string; headers: Record<string, string>; query?: string };
  const answer = await deliver(request.payload, request.headers, request.query ?? '');
  expect(answer.statusCode).toBe(status);
  expect((answer.json() as { error: { code: string } }).error.code).toBe(code);
  expect(await runExists(callId)).toBe(false);
});

test('a URL-key delivery starts the run; Bearer prefix accepted on JWTs', async () => {
  const keyed = await deliver(body('1000000000000000200'), {}, `?key=${urlKey}`);
  expect(keyed.statusCode).toBe(200);
  const payload = body('1000000000000000201');
  const bearer = await deliver(payload, { authorization: `Bearer ${sign(payload)}` });
  expect(bearer.statusCode).toBe(200);
  expect(await runExists('1000000000000000200')).toBe(true);
  expect(await runExists('1000000000000000201')).toBe(true);
});

test('Gong "Test now" deliveries are acknowledged, marked, and start no run', async () => {
  const payload = body('1000000000000000300', true);
  const answer = await deliver(payload, { authorization: sign(payload) });
  expect(answer.statusCode).toBe(200);
  expect(answer.json()).toMatchObject({ ok: true, test: true, runs: [{ outcome: 'test' }] });
  expect(await runExists('1000000000000000300')).toBe(false);
});

test('a call delivered by the emulator webhook and seen by the poller starts one run', async () => {
  const { callId } = engine.emulator.admin.createCall(company.id, {
    title: 'Hooked discovery',
    processingDelayMs: 0,
  }) as {
    callId: string;
  };
  const id = eventRunWorkflowId(definition, connectionId, 'gong.call.processed', callId);
  expect(id).toBe(eventRunWorkflowId(definition, connectionId, 'gong.call.new', callId));
  await waitFor(() => runExists(callId), 'the webhook run', 20_000).catch((error: unknown) => {
    throw new Error(
      `${String(error)}; deliveries: ${JSON.stringify(engine.emulator.admin.webhookDeliveries())}`,
    );
  });
  const poller = engine.client.workflow.getHandle(
    pollerWorkflowId(definition, 'gong.call.new', connectionId),
  );
  await waitFor(
    async () => (await poller.query<PollerStatus>('triggerStatus')).lastEvent?.id === callId,
    'the poller to see the call',
  );
  const status = await poller.query<PollerStatus>('triggerStatus');
  expect(status.lastEvent?.outcome).toBe('duplicate');
  const runs = await waitFor(async () => {
    const found = await runsOf(engine.client, definition);
    return found.has(id) ? found : undefined;
  }, 'visibility');
  expect(runs.get(id)).toBe(1);
});

test.each([
  ['a 5,000-digit call id', '7'.repeat(5_000)],
  ['a path for a call id', 'x/../../y'],
])('a signed delivery with %s: 400 WEBHOOK_BAD_CALL_ID, no run', async (_name, callId) => {
  const before = await runsOf(engine.client, definition);
  const payload = body(callId);
  const answer = await deliver(payload, { authorization: sign(payload) });
  expect(answer.statusCode).toBe(400);
  expect((answer.json() as { error: { code: string } }).error.code).toBe('WEBHOOK_BAD_CALL_ID');
  // A run the delivery had started would be listed by now: the answer came after every start was durable.
  const after = await runsOf(engine.client, definition);
  expect([...after.keys()].filter((id) => !before.has(id))).toEqual([]);
});

test('a spoofed Host header cannot make a token signed for another URL pass', async () => {
  const callId = '1000000000000000400';
  const payload = body(callId);
  const forHost = (host: string) => sign(payload, { url: `http://${host}/webhooks/gong/${connectionId}` });
  // With http.publicUrl, the URL checked is the configured one, whatever Host the request names.
  const spoofed = await postWithHost(url(), 'attacker.example', payload, {
    authorization: forHost('attacker.example'),
  });
  expect(spoofed).toMatchObject({ statusCode: 401, body: { error: { code: 'WEBHOOK_URL_MISMATCH' } } });
  // Without it, signed deliveries are refused outright rather than checked against the Host header.
  const unconfigured = await webhookServer({});
  try {
    const port = (unconfigured.server.address() as { port: number }).port;
    const answer = await postWithHost(
      `http://127.0.0.1:${port}/webhooks/gong/${connectionId}`,
      'attacker.example',
      payload,
      { authorization: forHost('attacker.example') },
    );
    expect(answer).toMatchObject({ statusCode: 503, body: { error: { code: 'WEBHOOK_PUBLIC_URL_UNSET' } } });
  } finally {
    await unconfigured.close();
  }
  expect(await runExists(callId)).toBe(false);
});

test('keys: listed by id, a new one added, revoked ones refused (URL key by value, public key by id)', async () => {
  const target = { connection: connectionId, taskQueue: engine.taskQueue };
  const listed = await listWebhookKeys(engine.client, target);
  const ruleKeyId = listed.keys.find(
    (key) => key.type === 'public-key' && key.detail.includes(rulePublicKey.replace(/=+$/, '').slice(-12)),
  )?.id;
  expect(ruleKeyId).toMatch(/^pk_[0-9a-f]{12}$/);
  expect(listed.keys.filter((key) => key.type === 'url-key')).toHaveLength(1);
  expect(JSON.stringify(listed)).not.toContain(urlKey);

  const { urlKey: fresh } = await addWebhookKeys(engine.client, target, { urlKey: true });
  const callIds = (() => {
    let next = 500;
    return () => `1000000000000000${next++}`;
  })();
  const keyed = async (key: string) => (await deliver(body(callIds()), {}, `?key=${key}`)).statusCode;
  const signed = async () => {
    const payload = body(callIds());
    return (await deliver(payload, { authorization: sign(payload) })).statusCode;
  };
  await waitFor(async () => (await keyed(fresh ?? '')) === 200, 'the new URL key to verify', 10_000);

  const revokedUrlKey = await revokeWebhookKey(engine.client, target, urlKey);
  expect(revokedUrlKey.revoked.type).toBe('url-key');
  // Receivers reread the endpoint at most every 2 s: the revoked key is refused from then on.
  await waitFor(async () => (await keyed(urlKey)) === 401, 'the revoked URL key to be refused', 10_000);
  expect(await keyed(fresh ?? '')).toBe(200);
  const refused = await deliver(body(callIds()), {}, `?key=${urlKey}`);
  expect((refused.json() as { error: { code: string } }).error.code).toBe('WEBHOOK_BAD_KEY');

  await revokeWebhookKey(engine.client, target, ruleKeyId ?? '');
  await waitFor(async () => (await signed()) === 401, 'the revoked public key to be refused', 10_000);
  const payload = body(callIds());
  const unsigned = await deliver(payload, { authorization: sign(payload) });
  expect((unsigned.json() as { error: { code: string } }).error.code).toBe('WEBHOOK_BAD_SIGNATURE');
  await expect(revokeWebhookKey(engine.client, target, ruleKeyId ?? '')).rejects.toMatchObject({
    code: 'WEBHOOK_KEY_NOT_FOUND',
  });
});

test('with no worker running, a delivery is still verified and its run durably started', async () => {
  // The endpoint of another connection, served by a worker of its own that stops once the endpoint is live.
  const quietConnection = `hook-quiet-${randomUUID().slice(0, 8)}`;
  const taskQueue = `hooks-quiet-${randomUUID()}`;
  const worker = await createGongflowWorker({
    endpoint: engine.endpoint,
    config: engine.config,
    connections: engine.connections,
    taskQueue,
    logLevel: 'WARN',
    dataDir: engine.dataDir,
  });
  const running = worker.run();
  const plan = recordingPlan(definition, [{ kind: 'gong.call.processed', settings: {} }]);
  await deployTriggers(engine.client, {
    plan,
    connectionId: quietConnection,
    taskQueue,
    urlKey,
    publicUrl: baseUrl,
  });
  const quietUrl = `${baseUrl}/webhooks/gong/${quietConnection}?key=${urlKey}`;
  const post = async (callId: string, target = quietUrl) => {
    const response = await fetch(target, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: body(callId),
    });
    return {
      status: response.status,
      runs: ((await response.json()) as { runs?: Array<{ outcome: string; workflowId: string }> }).runs,
    };
  };
  await waitFor(async () => (await post('5000000000000000001')).status === 200, 'the endpoint to be live');
  await worker.shutdown();
  await running;
  // A receiver of its own: nothing cached, its first read of the configuration happens with no worker.
  const fresh = await webhookServer({ publicUrl: baseUrl });
  try {
    const port = (fresh.server.address() as { port: number }).port;
    const answer = await post(
      '5000000000000000002',
      `http://127.0.0.1:${port}/webhooks/gong/${quietConnection}?key=${urlKey}`,
    );
    expect(answer.status).toBe(200);
    expect(answer.runs?.map((run) => run.outcome)).toEqual(['started']);
    const run = engine.client.workflow.getHandle(answer.runs?.[0]?.workflowId ?? '');
    expect((await run.describe()).status.name).toBe('RUNNING');
    // A wrong key is still refused: the configuration was read, not skipped.
    const refused = await post(
      '5000000000000000003',
      `http://127.0.0.1:${port}/webhooks/gong/${quietConnection}?key=guessed-key-0000000000`,
    );
    expect(refused.status).toBe(401);
  } finally {
    await fresh.close();
    for (const id of [
      ...['5000000000000000001', '5000000000000000002'].map((callId) =>
        eventRunWorkflowId(definition, quietConnection, 'gong.call.processed', callId),
      ),
      `gongflow-webhooks/${quietConnection}`,
    ])
      await engine.client.workflow
        .getHandle(id)
        .terminate('test over')
        .catch(() => undefined);
  }
});

test('the endpoint counts what deliveries did', async () => {
  const status = await waitFor(async () => {
    const current = await engine.client.workflow
      .getHandle(`gongflow-webhooks/${connectionId}`)
      .query<{ counts: Record<string, number> }>('triggerStatus');
    return (current.counts['started'] ?? 0) > 0 && (current.counts['unauthorized'] ?? 0) > 0
      ? current
      : undefined;
  }, 'the delivery counts');
  expect(status.counts['duplicate']).toBeGreaterThanOrEqual(99);
});

test('the endpoint continues as new on a bounded history: counts and keys carried, deliveries still verified', async () => {
  const endpoint = engine.client.workflow.getHandle(`gongflow-webhooks/${connectionId}`);
  const counts = async () =>
    (await endpoint.query<{ counts: Record<string, number> }>('triggerStatus')).counts;
  const target = { connection: connectionId, taskQueue: engine.taskQueue };
  const { urlKey: added } = await addWebhookKeys(engine.client, target, { urlKey: true });
  const keyed = async (key: string, callId: string) =>
    (await deliver(body(callId), {}, `?key=${key}`)).statusCode;
  await waitFor(async () => (await keyed(added ?? '', '1000000000000000700')) === 200, 'the added URL key');
  const { runId: firstRunId } = await endpoint.describe();
  const before = (await counts())['filtered'] ?? 0;
  // Delivery reports as receivers send them (a signal per flush), until the run has continued as new.
  let sent = 0;
  while ((await endpoint.describe()).runId === firstRunId) {
    if (sent >= ENDPOINT_RUN_MAX_EVENTS) throw new Error(`no continue-as-new after ${sent} reports`);
    await endpoint.signal<[WebhookDeliveryReport[]]>('deliveries', [
      { at: new Date().toISOString(), callId: `bounded-${sent}`, test: false, outcome: 'filtered' },
    ]);
    sent += 1;
  }
  const first = await engine.client.workflow.getHandle(endpoint.workflowId, firstRunId).fetchHistory();
  expect(first.events?.at(-1)?.workflowExecutionContinuedAsNewEventAttributes).toBeTruthy();
  expect(first.events?.length).toBeLessThanOrEqual(ENDPOINT_RUN_MAX_EVENTS + 20);
  // Every report counted once, across both runs.
  await waitFor(async () => ((await counts())['filtered'] ?? 0) >= before + sent, 'every report counted');
  expect((await counts())['filtered']).toBe(before + sent);
  // The next run verifies with the keys and subscriptions it was handed: the key added in the first run
  // starts a run, the one revoked before it stays refused.
  expect(await keyed(added ?? '', '1000000000000000777')).toBe(200);
  expect(await runExists('1000000000000000777')).toBe(true);
  expect(await keyed(urlKey, '1000000000000000778')).toBe(401);
}, 120_000);
