import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection, type WorkflowHandle } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { compileDefinition } from '../definitions/compile';
import { loadPlan } from '../definitions/load';
import type { Plan } from '../definitions/plan';
import { createGongflowClient } from '../runs/client';
import { followRun } from '../runs/follow';
import { startRun } from '../runs/start';
import { ENCRYPTION_KEY_FILE, loadCipher, type Cipher } from '../workers/payload-codec';
import { createGongflowWorker } from '../workers/worker';
import type { RunProgress } from '../workflows/progress';
import { startTestApi, type TestApi } from './api/support';
import { startTestEngine, type TestEngine } from './support/engine';
import { freePort } from './support/ports';

jest.setTimeout(180_000); // the worker bundles workflows first; shared CI machines are slow

const LIST_USERS = path.resolve(__dirname, '../definitions/examples/list-users.yaml');

type PayloadJson = { metadata?: Record<string, string>; data?: string };

/** History as Temporal stores and serves it, read without any codec: what an operator or a DB dump sees. */
async function rawHistory(engine: TestEngine, workflowId: string): Promise<temporal.api.history.v1.IHistory> {
  const connection = await Connection.connect(engine.endpoint.connectionOptions);
  try {
    const plain = new Client({ connection, namespace: engine.endpoint.namespace });
    return await plain.workflow.getHandle(workflowId).fetchHistory();
  } finally {
    await connection.close();
  }
}

const historyBytes = (history: temporal.api.history.v1.IHistory): Buffer =>
  Buffer.from(temporal.api.history.v1.History.encode(history).finish());

/** Every payload of a history, as the codec protocol's JSON (what the Temporal UI posts). */
function payloadsOf(history: temporal.api.history.v1.IHistory): PayloadJson[] {
  const found: PayloadJson[] = [];
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (!node || typeof node !== 'object' || node instanceof Uint8Array) return;
    const record = node as Record<string, unknown>;
    if (record['metadata'] && record['data'] instanceof Uint8Array) {
      found.push({
        metadata: Object.fromEntries(
          Object.entries(record['metadata'] as Record<string, Uint8Array>).map(([key, value]) => [
            key,
            Buffer.from(value).toString('base64'),
          ]),
        ),
        data: Buffer.from(record['data']).toString('base64'),
      });
      return;
    }
    Object.values(record).forEach(visit);
  };
  visit(history);
  return found;
}

const decodedText = (payloads: PayloadJson[]): string =>
  payloads.map((payload) => Buffer.from(payload.data ?? '', 'base64').toString('utf8')).join('\n');

describe('payload encryption, on by default', () => {
  let engine: TestEngine;
  let api: TestApi;
  beforeAll(async () => {
    engine = await startTestEngine();
    api = await startTestApi(engine);
  });
  afterAll(async () => {
    await api?.app.close();
    await engine?.close();
  });

  it('keeps Gong data out of history in plaintext while gongflow reads it; the codec endpoint decodes it', async () => {
    // A user whose name cannot appear anywhere by accident: it reaches history only as a step result.
    const marker = `Zq${randomBytes(6).toString('hex')}`;
    engine.emulator.admin.createUser(engine.emulator.defaultCompany.id, {
      firstName: marker,
      lastName: 'Encrypted',
      emailAddress: `${marker.toLowerCase()}@example.com`,
    });
    const handle = await startRun(engine.client, {
      plan: loadPlan(LIST_USERS),
      connectionId: 'emulator',
      taskQueue: engine.taskQueue,
    });
    const outcome = await followRun(handle, { pollIntervalMs: 100 });
    expect(outcome.status).toBe('completed');

    // gongflow's client reads results and queries normally.
    const progress = await handle.query<RunProgress>('gongflow.progress');
    expect(JSON.stringify(progress.outputs)).toContain(marker);

    // Temporal itself holds no trace of the name: not in results, inputs, query answers or metadata.
    const history = await rawHistory(engine, handle.workflowId);
    const bytes = historyBytes(history);
    expect(bytes.length).toBeGreaterThan(1_000);
    expect(bytes.includes(marker)).toBe(false);
    expect(bytes.includes(marker.toLowerCase())).toBe(false);
    expect(bytes.includes(engine.emulator.defaultCompany.accessKeySecret)).toBe(false);
    expect(bytes.includes('binary/encrypted')).toBe(true);
    // The key was generated into the project's data folder, readable by its owner only.
    const cipher = loadCipher({ settings: engine.config.encryption, dataDir: engine.dataDir, env: {} });
    expect(statSync(path.join(engine.dataDir, ENCRYPTION_KEY_FILE)).mode & 0o777).toBe(0o600);
    expect(bytes.includes(cipher!.currentKeyId)).toBe(true);

    // The codec endpoint (for the Temporal UI and `temporal workflow show`) turns it back into JSON.
    const payloads = payloadsOf(history);
    expect(decodedText(payloads)).not.toContain(marker);
    const decode = (url: string, headers: Record<string, string> = {}): Promise<Response> =>
      fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-namespace': engine.endpoint.namespace, ...headers },
        body: JSON.stringify({ payloads }),
      });
    const viaKey = await decode(`${api.baseUrl}/v1/codec/decode`, { authorization: `Bearer ${api.apiKey}` });
    expect(viaKey.status).toBe(200);
    const decoded = ((await viaKey.json()) as { payloads: PayloadJson[] }).payloads;
    expect(decoded).toHaveLength(payloads.length);
    expect(decodedText(decoded)).toContain(marker);
    expect(Buffer.from(decoded[0]!.metadata!['encoding']!, 'base64').toString()).toMatch(/^json\//);

    // The UI's URL carries the token instead of a key; anything else is refused.
    const viaUi = await decode(
      `${api.baseUrl}/v1/codec/ui/${cipher!.uiCodecToken()}/decode?preserveStorageRefs=true`,
    );
    expect(viaUi.status).toBe(200);
    expect(decodedText(((await viaUi.json()) as { payloads: PayloadJson[] }).payloads)).toContain(marker);
    expect((await decode(`${api.baseUrl}/v1/codec/decode`)).status).toBe(401);
    expect((await decode(`${api.baseUrl}/v1/codec/ui/not-the-token/decode`)).status).toBe(401);

    // encode then decode gives back the payload.
    const plain = {
      metadata: { encoding: Buffer.from('json/plain').toString('base64') },
      data: Buffer.from('"hi"').toString('base64'),
    };
    const encoded = await fetch(`${api.baseUrl}/v1/codec/encode`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${api.apiKey}` },
      body: JSON.stringify({ payloads: [plain] }),
    });
    const [sealed] = ((await encoded.json()) as { payloads: PayloadJson[] }).payloads;
    expect(sealed?.data).not.toBe(plain.data);
    const roundTrip = await decode(`${api.baseUrl}/v1/codec/decode`, {
      authorization: `Bearer ${api.apiKey}`,
    });
    expect(roundTrip.status).toBe(200);
  });

  it('keeps failure messages and stack traces out of history in plaintext; gongflow still reads them', async () => {
    // A marker in an activity's failure (the URL it could not reach) and in the run's own failure message.
    const marker = `Fm${randomBytes(6).toString('hex')}`;
    const compiled = compileDefinition(
      `
name: failing
version: 1
input:
  marker: { type: string, required: true }
  closedUrl: { type: string, required: true }
steps:
  - id: attempt
    try:
      - id: call
        http: { url: '\${{ input.closedUrl + "/" + input.marker }}' }
        retry: { maximumAttempts: 1 }
    catch:
      as: problem
      steps:
        - id: stop
          fail: '\${{ "gave up on " + input.marker + ": " + problem.message }}'
`,
      'failing.yaml',
    );
    if (!compiled.ok) throw new Error(JSON.stringify(compiled.problems));
    const handle = await startRun(engine.client, {
      plan: compiled.plan,
      input: { marker, closedUrl: `http://127.0.0.1:${await freePort()}` },
      taskQueue: engine.taskQueue,
    });
    const outcome = await followRun(handle, { pollIntervalMs: 100 });
    expect(outcome).toMatchObject({ status: 'failed', failureType: 'BusinessError' });

    // gongflow's client (and the API) read the messages as before.
    const result = await api.client.getResult(handle.workflowId);
    expect('failure' in result && result.failure.message).toContain(`gave up on ${marker}: Step call: GET`);
    const steps = await api.client.stepLog(handle.workflowId);
    expect(steps.steps.find((step) => step.id === 'call')?.error).toContain(marker);

    // Temporal holds them as encrypted payloads only: the activity's failure and the run's.
    const history = await rawHistory(engine, handle.workflowId);
    const bytes = historyBytes(history);
    expect(bytes.includes(marker)).toBe(false);
    expect(bytes.includes('gave up on')).toBe(false);
    expect(bytes.includes('.ts:')).toBe(false); // no stack trace frame (file:line) either
    expect(bytes.includes('Encoded failure')).toBe(true);
  });

  it('answers the browser preflight of the Temporal UI', async () => {
    const uiOrigin = new URL(api.app.gongflow.context.uiUrl ?? 'http://127.0.0.1:8233').origin;
    const preflight = await fetch(`${api.baseUrl}/v1/codec/ui/anything/decode`, {
      method: 'OPTIONS',
      headers: {
        origin: uiOrigin,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type,x-namespace',
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe(uiOrigin);
    expect(preflight.headers.get('access-control-allow-headers')).toContain('x-namespace');
    // The answer itself carries the header too, also when it is a refusal the UI should show.
    const refused = await fetch(`${api.baseUrl}/v1/codec/decode`, {
      method: 'POST',
      headers: { origin: uiOrigin, 'content-type': 'application/json' },
      body: JSON.stringify({ payloads: [] }),
    });
    expect(refused.status).toBe(401);
    expect(refused.headers.get('access-control-allow-origin')).toBe(uiOrigin);
  });
});

const ROTATION_DEFINITION = `
name: rotation
version: 1
input:
  secret: { type: string, required: true }
steps:
  - id: gate
    waitForSignal: go
    payload:
      note: { type: string }
    timeout: 1h
output:
  secret: \${{ input.secret }}
  note: \${{ steps.gate.output.note }}
`;

describe('key rotation', () => {
  let engine: TestEngine;
  beforeAll(async () => {
    engine = await startTestEngine();
  });
  afterAll(async () => {
    await engine?.close();
  });

  /** A worker and a client of a fleet configured with GONGFLOW_ENCRYPTION_KEYS, on their own task queue. */
  async function fleetProcess(keys: string, taskQueue: string) {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'gongflow-rotation-'));
    const cipher = loadCipher({
      settings: engine.config.encryption,
      dataDir,
      env: { GONGFLOW_ENCRYPTION_KEYS: keys },
    }) as Cipher;
    const worker = await createGongflowWorker({
      endpoint: engine.endpoint,
      config: engine.config,
      connections: engine.connections,
      taskQueue,
      logLevel: 'WARN',
      dataDir,
      cipher,
    });
    const running = worker.run();
    const temporal = await createGongflowClient({ endpoint: engine.endpoint, config: engine.config, cipher });
    return {
      client: temporal.client,
      async stop() {
        await worker.shutdown();
        await running;
        await temporal.close();
      },
    };
  }

  it('a run started under key A finishes, and answers queries, after rotating to B with A still listed', async () => {
    const compiled = compileDefinition(ROTATION_DEFINITION, 'rotation.yaml');
    if (!compiled.ok) throw new Error(JSON.stringify(compiled.problems));
    const plan: Plan = compiled.plan;
    const taskQueue = `test-rotation-${randomUUID()}`;
    const keyA = `key-a-${randomBytes(4).toString('hex')}:${randomBytes(32).toString('base64')}`;
    const keyB = `key-b-${randomBytes(4).toString('hex')}:${randomBytes(32).toString('base64')}`;
    const [idA, idB] = [keyA.split(':')[0]!, keyB.split(':')[0]!];
    const secret = `sk_live_${randomBytes(8).toString('hex')}`;
    const note = `note-${randomBytes(8).toString('hex')}`;

    const before = await fleetProcess(keyA, taskQueue);
    let handle: WorkflowHandle;
    try {
      handle = await startRun(before.client, { plan, input: { secret }, taskQueue });
      await waitFor(async () =>
        (await handle.query<RunProgress>('gongflow.progress')).current?.includes('gate'),
      );
    } finally {
      await before.stop();
    }

    const after = await fleetProcess(`${keyB},${keyA}`, taskQueue);
    try {
      const rotated = after.client.workflow.getHandle(handle.workflowId);
      const progress = await rotated.query<RunProgress>('gongflow.progress');
      expect(progress.current).toEqual(['gate']);
      await rotated.signal('gongflow.signal', { name: 'go', payload: { note } });
      expect(await rotated.result()).toEqual({ secret, note });
    } finally {
      await after.stop();
    }

    const bytes = historyBytes(await rawHistory(engine, handle.workflowId));
    expect(bytes.includes(idA)).toBe(true); // the start, under A
    expect(bytes.includes(idB)).toBe(true); // the signal and the result, under B
    expect(bytes.includes(secret)).toBe(false);
    expect(bytes.includes(note)).toBe(false);
  });
});

/** Polls a condition (the run's own state), never a fixed sleep. */
async function waitFor(check: () => Promise<boolean | undefined>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
