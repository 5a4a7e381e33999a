import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { HttpStepPlan, StepPlan } from '../../definitions/plan';
import { createGongflowClient } from '../../runs/client';
import { Cipher } from '../../workers/payload-codec';
import { startTestEngine, type TestEngine } from '../support/engine';
import { expr, runPlan, set, testPlan, tx } from './support';

jest.setTimeout(180_000); // the worker bundles workflows first; shared CI machines are slow

const SECRET = `secret-${randomBytes(8).toString('hex')}`;
const retry = { maximumAttempts: 3, initialIntervalMs: 10, backoffCoefficient: 1, maximumIntervalMs: 10 };
const httpStep = (id: string, url: string, extra: Partial<HttpStepPlan> = {}): StepPlan => ({
  id,
  kind: 'http',
  request: { t: 'lit', v: { method: 'GET', url } },
  activity: { startToCloseTimeoutMs: 10_000, retry },
  ...extra,
});

/** A small HTTP service the steps call: JSON, a missing path, a flaky path (503 then 200), a large answer. */
async function startService(): Promise<{ url: string; hits: Map<string, number>; close(): Promise<void> }> {
  const hits = new Map<string, number>();
  const server = http.createServer((request, response) => {
    const path = (request.url ?? '').split('?')[0] ?? '';
    const count = (hits.get(path) ?? 0) + 1;
    hits.set(path, count);
    const json = (status: number, body: unknown): void => {
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(body));
    };
    if (path === '/echo') {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () =>
        json(200, {
          method: request.method,
          query: request.url,
          body: JSON.parse(body || 'null') as unknown,
        }),
      );
      return;
    }
    if (path === '/auth')
      return json(200, { authorized: request.headers.authorization === `Bearer ${SECRET}` });
    if (path === '/flaky')
      return count === 1 ? json(503, { error: 'busy' }) : json(200, { ok: true, attempt: count });
    if (path === '/large')
      return json(200, {
        items: Array.from({ length: 2_000 }, (_, index) => ({ index, text: `large-result-marker-${index}` })),
      });
    return json(404, { error: 'no such thing' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    hits,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

describe('interpreter: http steps and large results', () => {
  let engine: TestEngine;
  let service: Awaited<ReturnType<typeof startService>>;
  beforeAll(async () => {
    // Unencrypted, so the tests can read in the history what stays inline (encryption: the describe below).
    engine = await startTestEngine({ blobThresholdBytes: 4_096, cipher: null });
    service = await startService();
  });
  afterAll(async () => {
    await engine?.close();
    await service?.close();
  });

  it('sends method, query and JSON body, and returns status, headers and the parsed body', async () => {
    const plan = testPlan(
      [
        httpStep('call', '', {
          request: {
            t: 'obj',
            f: {
              method: { t: 'lit', v: 'POST' },
              url: { t: 'expr', e: expr('input.base + "/echo"') },
              query: { t: 'lit', v: { page: 2 } },
              body: { t: 'expr', e: expr('{"name": "gong"}') },
            },
          },
        }),
      ],
      { input: { base: { type: 'string', required: true } }, output: tx('steps.call.output') },
    );
    const outcome = await runPlan(engine, plan, { input: { base: service.url } }, 'http');
    expect(outcome).toMatchObject({
      status: 'completed',
      output: { status: 200, body: { method: 'POST', query: '/echo?page=2', body: { name: 'gong' } } },
    });
  });

  it('secrets are filled in by the activity: the request carries them, history never does', async () => {
    process.env['GONGFLOW_SECRET_API_TOKEN'] = SECRET;
    const plan = testPlan(
      [
        httpStep('call', '', {
          request: {
            t: 'obj',
            f: {
              url: { t: 'expr', e: expr('input.base + "/auth"') },
              headers: { t: 'lit', v: { authorization: { $secret: '"Bearer " + secrets.apiToken' } } },
            },
          },
          secrets: ['apiToken'],
        }),
      ],
      { input: { base: { type: 'string', required: true } }, output: tx('steps.call.output.body') },
    );
    const outcome = await runPlan(engine, plan, { input: { base: service.url } }, 'http-secret');
    expect(outcome).toMatchObject({ status: 'completed', output: { authorized: true } });
    expect(allBytes(await outcome.handle.fetchHistory())).not.toContain(SECRET);
  });

  it('404 fails with a non-retried HttpStepError; 503 is retried by Temporal', async () => {
    const missing = await runPlan(engine, testPlan([httpStep('call', `${service.url}/missing`)]));
    expect(missing).toMatchObject({ status: 'failed', failureType: 'HttpStepError' });
    expect(service.hits.get('/missing')).toBe(1);

    const flaky = await runPlan(
      engine,
      testPlan([httpStep('call', `${service.url}/flaky`)], { output: tx('steps.call.output.body') }),
    );
    expect(flaky).toMatchObject({ status: 'completed', output: { ok: true, attempt: 2 } });
  });

  it('a result above the threshold stays out of history and is read transparently by expressions', async () => {
    const plan = testPlan(
      [
        httpStep('big', `${service.url}/large`),
        set('summary', {
          count: tx('size(steps.big.output.body.items)'),
          last: tx('steps.big.output.body.items[1999].text'),
        }),
      ],
      { output: tx('vars') },
    );
    const outcome = await runPlan(engine, plan, {}, 'blob-result');
    expect(outcome).toMatchObject({
      status: 'completed',
      output: { count: 2_000, last: 'large-result-marker-1999' },
    });
    const history = allBytes(await outcome.handle.fetchHistory());
    expect(history).not.toContain('large-result-marker-1000');
    expect(history).toContain('large-result-marker-1999'); // the small value an expression picked is there
    expect(history).toContain('$gongflowBlob');
  });

  it('forEach over a large stored list reads it batch by batch, never through history', async () => {
    const plan = testPlan(
      [
        httpStep('big', `${service.url}/large`),
        {
          id: 'each',
          kind: 'forEach',
          items: expr('steps.big.output.body.items'),
          as: 'row',
          concurrency: 50,
          maxItems: 5_000,
          steps: [],
          output: tx('row.index * 2'),
        },
      ],
      { output: tx('{"count": size(steps.each.output), "last": steps.each.output[1999]}') },
    );
    const outcome = await runPlan(engine, plan, { limits: { forEachBatchSize: 800 } }, 'for-each-blob-list');
    expect(outcome).toMatchObject({ status: 'completed', output: { count: 2_000, last: 3_998 } });
    const history = await outcome.handle.fetchHistory();
    expect(allBytes(history)).not.toContain('large-result-marker-1000');
    const children =
      history.events?.filter((event) => event.startChildWorkflowExecutionInitiatedEventAttributes) ?? [];
    expect(children.length).toBe(3);
  });
});

/** Every byte string in a history (payload data and metadata), as text: what an operator could read. */
function allBytes(value: unknown): string {
  const parts: string[] = [];
  const visit = (node: unknown): void => {
    if (node instanceof Uint8Array) parts.push(Buffer.from(node).toString('latin1'));
    else if (Array.isArray(node)) node.forEach(visit);
    else if (node !== null && typeof node === 'object') Object.values(node).forEach(visit);
  };
  visit(value);
  return parts.join('\n');
}

/** The same check on an unencrypted engine finds the plaintext: the test above can fail. */
async function plainRunHistory(_engine: TestEngine): Promise<unknown> {
  const plain = await startTestEngine({ cipher: null });
  try {
    const plan = testPlan([set('keep', { token: tx('input.token') })], {
      input: { token: { type: 'string', required: true } },
    });
    const outcome = await runPlan(plain, plan, { input: { token: 'sk_live_visible' } });
    const history = await outcome.handle.fetchHistory();
    expect(allBytes(history)).toContain('sk_live_visible');
    return history;
  } finally {
    await plain.close();
  }
}

describe('interpreter: payload encryption', () => {
  const oldKey = { id: 'k1', key: randomBytes(32) };
  const newKey = { id: 'k2', key: randomBytes(32) };
  let engine: TestEngine;
  beforeAll(async () => {
    engine = await startTestEngine({ cipher: new Cipher([oldKey]) });
  });
  afterAll(async () => {
    await engine?.close();
  });

  it('history holds no plaintext of inputs, vars or outputs; a rotated key ring still reads old runs', async () => {
    const secret = `sk_live_${randomBytes(12).toString('hex')}`;
    const plan = testPlan([set('keep', { token: tx('input.token') })], {
      input: { token: { type: 'string', required: true } },
      output: tx('{"token": vars.token}'),
    });
    const outcome = await runPlan(engine, plan, { input: { token: secret } });
    expect(outcome).toMatchObject({ status: 'completed', output: { token: secret } });

    const history = await outcome.handle.fetchHistory();
    const raw = allBytes(history);
    expect(raw).toContain('k1'); // the key id travels in the metadata
    expect(raw).not.toContain(secret);
    expect(raw).toContain('binary/encrypted');
    expect(allBytes(await plainRunHistory(engine)).length).toBeGreaterThan(0);

    // After rotation (new key first, old key kept for decryption) the old run's result still decodes.
    const rotated = await createGongflowClient({
      endpoint: engine.endpoint,
      config: engine.config,
      cipher: new Cipher([newKey, oldKey]),
    });
    try {
      const result: unknown = await rotated.client.workflow.getHandle(outcome.handle.workflowId).result();
      expect(result).toEqual({ token: secret });
    } finally {
      await rotated.close();
    }
    // Without the old key it cannot.
    const lost = await createGongflowClient({
      endpoint: engine.endpoint,
      config: engine.config,
      cipher: new Cipher([newKey]),
    });
    try {
      await expect(lost.client.workflow.getHandle(outcome.handle.workflowId).result()).rejects.toThrow(/k1/);
    } finally {
      await lost.close();
    }
  });
});
