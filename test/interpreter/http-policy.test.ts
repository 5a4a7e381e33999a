import { randomBytes } from 'node:crypto';
import dns from 'node:dns';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { createHttpActivities, DEFAULT_HTTP_STEPS } from '../../activities/http-request';
import { compileDefinition } from '../../definitions/compile';
import { followRun, type RunOutcome } from '../../runs/follow';
import { startRun } from '../../runs/start';
import { startTestEngine, TEST_HTTP_ALLOW, type TestEngine } from '../support/engine';

jest.setTimeout(180_000); // the worker bundles workflows first; shared CI machines are slow

/**
 * What an http step may reach and receive, through real runs: private destinations refused after name
 * resolution (whatever the URL spells), redirects capped and never carrying credentials to another origin,
 * responses capped in size. URLs come from run input, the way an attacker would try to steer them.
 */

interface Received {
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A listener on 127.0.0.1 that records what reaches it and answers by path. */
async function startServer(
  answer: (request: http.IncomingMessage, response: http.ServerResponse, body: string) => void,
): Promise<{ origin: string; port: number; received: Received[]; close(): Promise<void> }> {
  const received: Received[] = [];
  const server = http.createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      received.push({ path: request.url ?? '', headers: request.headers, body });
      answer(request, response, body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    port,
    received,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function plan(yaml: string) {
  const compiled = compileDefinition(yaml, 'http-policy.yaml');
  if (!compiled.ok) throw new Error(JSON.stringify(compiled.problems));
  return compiled.plan;
}

const FETCH = plan(`
name: fetch
version: 1
input:
  url: { type: string, required: true }
steps:
  - id: call
    http: { url: '\${{ input.url }}' }
    retry: { maximumAttempts: 1 }
output: \${{ steps.call.output }}
`);

async function run(
  engine: TestEngine,
  runPlan: typeof FETCH,
  input: Record<string, unknown>,
): Promise<RunOutcome> {
  const handle = await startRun(engine.client, { plan: runPlan, input, taskQueue: engine.taskQueue });
  return followRun(handle, { pollIntervalMs: 100 });
}

describe('http steps: destinations refused by default', () => {
  let engine: TestEngine;
  let target: Awaited<ReturnType<typeof startServer>>;
  beforeAll(async () => {
    // gongflow's default: nothing allowed (the tests' other engines allow 127.0.0.1).
    engine = await startTestEngine({
      configure: (config) => ({ ...config, httpSteps: { ...config.httpSteps, allow: [] } }),
    });
    target = await startServer((_request, response) => response.end('reached'));
  });
  afterAll(async () => {
    await engine?.close();
    await target?.close();
  });

  it('refuses loopback, private, link-local, metadata and unspecified addresses in every spelling', async () => {
    const port = target.port;
    const cases: Array<[string, RegExp]> = [
      [`http://127.0.0.1:${port}/`, /127\.0\.0\.1 is a loopback address/],
      [
        `http://localhost:${port}/`,
        /localhost resolves to (127\.0\.0\.1|::1), which is (a|the) loopback address/,
      ],
      [`http://2130706433:${port}/`, /127\.0\.0\.1 is a loopback address/], // decimal spelling
      [`http://0x7f.1:${port}/`, /127\.0\.0\.1 is a loopback address/], // hex + short form
      [`http://[::1]:${port}/`, /::1 is the loopback address/],
      [`http://[::ffff:127.0.0.1]:${port}/`, /::ffff:7f00:1 is a loopback address/],
      [`http://0.0.0.0:${port}/`, /0\.0\.0\.0 is an unspecified address/],
      ['http://10.1.2.3/', /a private address \(RFC 1918\)/],
      ['http://192.168.0.10:8080/admin', /a private address \(RFC 1918\)/],
      ['http://172.20.0.1/', /a private address \(RFC 1918\)/],
      ['http://169.254.169.254/latest/meta-data/', /the cloud metadata service/],
      ['http://[fd00:ec2::254]/latest/meta-data/', /the cloud metadata service/],
      ['http://[::ffff:a9fe:a9fe]/latest/meta-data/', /the cloud metadata service/],
      ['http://169.254.1.1/', /a link-local address/],
      ['http://[fe80::1]/', /a link-local address/],
      ['http://[fd12:3456::1]/', /a unique local address/],
    ];
    const outcomes = await Promise.all(cases.map(([url]) => run(engine, FETCH, { url })));
    outcomes.forEach((outcome, index) => {
      const [url, reason] = cases[index]!;
      expect({ url, outcome }).toMatchObject({
        url,
        outcome: {
          status: 'failed',
          failureType: 'HttpDestinationRefusedError',
          message: expect.stringMatching(reason) as unknown,
        },
      });
      expect(outcome.status === 'failed' && outcome.message).toContain('httpSteps.allow in temporal.yaml');
    });
    // Refused before anything was sent: the listener on 127.0.0.1 never saw a request.
    expect(target.received).toEqual([]);
  });
});

describe('http steps: allowlist, redirects and response size', () => {
  const SECRET = `tok_${randomBytes(12).toString('hex')}`;
  let engine: TestEngine;
  let origin: Awaited<ReturnType<typeof startServer>>;
  let other: Awaited<ReturnType<typeof startServer>>;
  /** What the resolver says `rebind.test` is, per lookup: first an allowed address, then a refused one. */
  const rebindAnswers = ['127.0.0.1', '127.0.0.2'];
  let rebindLookups = 0;

  beforeAll(async () => {
    other = await startServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' }).end('{"landed":"other"}');
    });
    origin = await startServer((request, response) => {
      const path = request.url ?? '';
      const redirect = (status: number, location: string) => response.writeHead(status, { location }).end();
      if (path === '/to-other') return redirect(302, `${other.origin}/landing`);
      if (path === '/to-other-307') return redirect(307, `${other.origin}/landing`);
      if (path === '/same') return redirect(301, '/landing');
      if (path === '/loop') return redirect(302, '/loop');
      if (path === '/to-metadata') return redirect(302, 'http://169.254.169.254/latest/meta-data/');
      if (path === '/to-file') return redirect(302, 'file:///etc/passwd');
      if (path === '/big')
        return response.writeHead(200).end(Buffer.alloc(DEFAULT_HTTP_STEPS.maxResponseBytes + 1, 97));
      if (path === '/bomb') {
        // 64 MB of zeros in a few kB: the limit counts what the body decodes to.
        const zipped = gzipSync(Buffer.alloc(64 * 1024 * 1024));
        return response.writeHead(200, { 'content-encoding': 'gzip' }).end(zipped);
      }
      if (path === '/gzip') {
        return response
          .writeHead(200, { 'content-encoding': 'gzip', 'content-type': 'application/json' })
          .end(gzipSync('{"unzipped":true}'));
      }
      response.writeHead(200, { 'content-type': 'application/json' }).end('{"landed":"origin"}');
    });
    const settings = { ...DEFAULT_HTTP_STEPS, allow: TEST_HTTP_ALLOW };
    engine = await startTestEngine({
      activities: createHttpActivities({
        requestTimeoutMs: 10_000,
        httpSteps: settings,
        secret: (name) => Promise.resolve(name === 'apiToken' ? SECRET : undefined),
        // A DNS answer that changes between lookups, as an attacker's name server would give.
        resolve: (hostname, family, callback) => {
          if (hostname !== 'rebind.test') return dns.lookup(hostname, { all: true, family }, callback);
          const address = rebindAnswers[Math.min(rebindLookups, rebindAnswers.length - 1)]!;
          rebindLookups += 1;
          callback(null, [{ address, family: 4 }]);
        },
      }),
    });
  });
  afterAll(async () => {
    await engine?.close();
    await origin?.close();
    await other?.close();
  });

  /** A POST carrying the secret in two headers and the body, next to a cookie and a plain header. */
  const WITH_CREDENTIALS = plan(`
name: with-credentials
version: 1
input:
  url: { type: string, required: true }
steps:
  - id: call
    http:
      method: POST
      url: \${{ input.url }}
      headers:
        authorization: \${{ "Bearer " + secrets.apiToken }}
        x-api-token: \${{ secrets.apiToken }}
        cookie: session=abc
        x-trace: visible
      body: { token: '\${{ secrets.apiToken }}' }
    retry: { maximumAttempts: 1 }
output: \${{ steps.call.output.body }}
`);

  it('reaches an allowed address; a name is checked on every lookup, so a rebinding answer is refused', async () => {
    expect(await run(engine, FETCH, { url: `${origin.origin}/plain` })).toEqual({
      status: 'completed',
      output: expect.objectContaining({ status: 200, body: { landed: 'origin' } }) as unknown,
    });
    const url = `http://rebind.test:${origin.port}/rebind`;
    expect(await run(engine, FETCH, { url })).toMatchObject({ status: 'completed' });
    expect(await run(engine, FETCH, { url })).toMatchObject({
      status: 'failed',
      failureType: 'HttpDestinationRefusedError',
      message: expect.stringContaining(
        'rebind.test resolves to 127.0.0.2, which is a loopback address',
      ) as unknown,
    });
    expect(rebindLookups).toBe(2);
    expect(origin.received.filter((request) => request.path === '/rebind')).toHaveLength(1);
  });

  it('follows a redirect to another origin without credentials or secret headers', async () => {
    const outcome = await run(engine, WITH_CREDENTIALS, { url: `${origin.origin}/to-other` });
    expect(outcome).toEqual({ status: 'completed', output: { landed: 'other' } });
    const first = origin.received.find((request) => request.path === '/to-other')!;
    expect(first.headers).toMatchObject({
      authorization: `Bearer ${SECRET}`,
      'x-api-token': SECRET,
      cookie: 'session=abc',
      'x-trace': 'visible',
    });
    const landed = other.received.find((request) => request.path === '/landing')!;
    expect(landed.headers['x-trace']).toBe('visible');
    expect(landed.headers.authorization).toBeUndefined();
    expect(landed.headers.cookie).toBeUndefined();
    expect(landed.headers['x-api-token']).toBeUndefined();
    expect(JSON.stringify(landed)).not.toContain(SECRET); // a 302 after POST is followed as a GET, no body
  });

  it('keeps headers on a same-origin redirect', async () => {
    await run(engine, WITH_CREDENTIALS, { url: `${origin.origin}/same` });
    const landed = origin.received.filter((request) => request.path === '/landing').at(-1)!;
    expect(landed.headers['x-api-token']).toBe(SECRET);
  });

  it('does not resend a body holding a secret to another origin (307)', async () => {
    const before = other.received.length;
    expect(await run(engine, WITH_CREDENTIALS, { url: `${origin.origin}/to-other-307` })).toMatchObject({
      status: 'failed',
      failureType: 'HttpRedirectError',
      message: expect.stringContaining('with a body holding a secret') as unknown,
    });
    expect(other.received.length).toBe(before);
  });

  it('stops a redirect loop, a redirect to a refused address and one to another scheme', async () => {
    const loop = await run(engine, FETCH, { url: `${origin.origin}/loop` });
    expect(loop).toMatchObject({
      status: 'failed',
      failureType: 'HttpRedirectError',
      message: expect.stringContaining('more than 5 redirects') as unknown,
    });
    expect(origin.received.filter((request) => request.path === '/loop')).toHaveLength(6);
    expect(await run(engine, FETCH, { url: `${origin.origin}/to-metadata` })).toMatchObject({
      status: 'failed',
      failureType: 'HttpDestinationRefusedError',
      message: expect.stringContaining('169.254.169.254 is the cloud metadata service') as unknown,
    });
    expect(await run(engine, FETCH, { url: `${origin.origin}/to-file` })).toMatchObject({
      status: 'failed',
      failureType: 'HttpRedirectError',
      message: expect.stringContaining('redirected to a file: URL') as unknown,
    });
  });

  it('fails a response above the size limit, counting what a compressed body decodes to', async () => {
    for (const path of ['/big', '/bomb']) {
      expect(await run(engine, FETCH, { url: `${origin.origin}${path}` })).toMatchObject({
        status: 'failed',
        failureType: 'HttpResponseTooLargeError',
        message: expect.stringContaining(
          `larger than ${DEFAULT_HTTP_STEPS.maxResponseBytes} bytes`,
        ) as unknown,
      });
    }
    expect(await run(engine, FETCH, { url: `${origin.origin}/gzip` })).toMatchObject({
      status: 'completed',
      output: { body: { unzipped: true } },
    });
  });
});
