import { createHash, createPublicKey, verify } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { GongEmulator } from '../../emulator';
import { http, parseLossless, startTestEmulator, waitFor } from './client';

interface Received {
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A stand-in for gongflow's webhook receiver: records every POST it gets. */
async function startReceiver(): Promise<{ url: string; received: Received[]; close(): Promise<void> }> {
  const received: Received[] = [];
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push({
        url: request.url ?? '',
        headers: request.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      });
      response.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

function decodeJwt(token: string): {
  header: Record<string, unknown>;
  claims: Record<string, unknown>;
  signed: string;
  signature: Buffer;
} {
  const [header, payload, signature] = token.split('.');
  return {
    header: JSON.parse(Buffer.from(header!, 'base64url').toString('utf8')) as Record<string, unknown>,
    claims: JSON.parse(Buffer.from(payload!, 'base64url').toString('utf8')) as Record<string, unknown>,
    signed: `${header}.${payload}`,
    signature: Buffer.from(signature!, 'base64url'),
  };
}

describe('webhooks: automation rules fire {isTest, callData} when a matching call is processed', () => {
  let emulator: GongEmulator;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  const companyId = () => emulator.defaultCompany.id;
  const admin = (method: string, path: string, body?: unknown) =>
    http(method, `${emulator.appUrl}/_emulator${path}`, { body });

  beforeEach(async () => {
    ({ emulator } = await startTestEmulator({
      processingDelayMs: 60 * 60_000,
      userCount: 20,
      callCount: 40,
    }));
    receiver = await startReceiver();
  });
  afterEach(async () => {
    await emulator.close();
    await receiver.close();
  });

  it('signs deliveries with an RS256 JWT (webhook_url, body_sha256, exp) verifiable with the bare base64 public key', async () => {
    const url = `${receiver.url}/gong/webhook`;
    // A fresh rep, so that seeded calls still processing cannot match the rule too.
    const rep = await admin('POST', `/companies/${companyId()}/users`, {
      firstName: 'Rita',
      lastName: 'Renewals',
    });
    const primaryUserId = String(rep.json['id']);
    const rule = await admin('POST', `/companies/${companyId()}/webhook-rules`, {
      name: 'Renewals',
      url,
      authMethod: 'jwt',
      filter: { titleContains: 'renewal', primaryUserIds: [primaryUserId] },
    });
    expect(rule.status).toBe(201);
    const publicKey = String(rule.json['publicKey']);
    expect(publicKey).toMatch(/^[A-Za-z0-9+/]+=*$/);
    expect(rule.json).not.toHaveProperty('privateKeyPem');
    const call = await admin('POST', `/companies/${companyId()}/calls`, {
      title: 'Acme | Renewal check-in',
      primaryUserId,
    });
    await admin('POST', `/companies/${companyId()}/calls`, { title: 'Globex | Discovery', primaryUserId });
    expect(receiver.received).toHaveLength(0);
    await admin('POST', '/clock/advance', { ms: 60 * 60_000 });
    const delivery = await waitFor(() => receiver.received[0], 'the webhook delivery');
    expect(delivery.url).toBe('/gong/webhook');
    const token = String(delivery.headers.authorization);
    expect(token).not.toMatch(/^Bearer /);
    const jwt = decodeJwt(token);
    expect(jwt.header).toEqual({ alg: 'RS256', typ: 'JWT' });
    const pem = `-----BEGIN PUBLIC KEY-----\n${publicKey.match(/.{1,64}/g)!.join('\n')}\n-----END PUBLIC KEY-----\n`;
    expect(verify('sha256', Buffer.from(jwt.signed), createPublicKey(pem), jwt.signature)).toBe(true);
    expect(jwt.claims['webhook_url']).toBe(url);
    expect(jwt.claims['body_sha256']).toBe(createHash('sha256').update(delivery.body).digest('hex'));
    expect(Number(jwt.claims['exp'])).toBeGreaterThan(Date.parse(emulator.admin.now()) / 1000);
    const payload = parseLossless(delivery.body) as { isTest: boolean; callData: Record<string, unknown> };
    expect(payload.isTest).toBe(false);
    expect((payload.callData['metaData'] as { id: string }).id).toBe(call.json['callId']);
    expect(Object.keys(payload.callData)).toEqual(
      expect.arrayContaining(['metaData', 'context', 'parties', 'content', 'interaction', 'collaboration']),
    );
    // Only the matching call fired, and only once.
    await admin('POST', '/clock/advance', { ms: 60 * 60_000 });
    expect(receiver.received).toHaveLength(1);
    const deliveries = await admin('GET', '/webhook-deliveries');
    expect(deliveries.json['deliveries']).toEqual([
      expect.objectContaining({
        ruleId: rule.json['id'],
        callId: call.json['callId'],
        isTest: false,
        status: 200,
      }),
    ]);
  });

  it('authenticates with a key in the URL only, sending no Authorization header', async () => {
    await admin('POST', `/companies/${companyId()}/webhook-rules`, {
      url: `${receiver.url}/hook?key=s3cret`,
      authMethod: 'url-key',
    });
    const call = await admin('POST', `/companies/${companyId()}/calls`, {});
    await admin('POST', `/companies/${companyId()}/process-calls`, { callIds: [call.json['callId']] });
    const delivery = await waitFor(() => receiver.received[0], 'the webhook delivery');
    expect(delivery.url).toBe('/hook?key=s3cret');
    expect(delivery.headers.authorization).toBeUndefined();
  });

  it('"test now" sends one delivery with isTest: true', async () => {
    const rule = await admin('POST', `/companies/${companyId()}/webhook-rules`, {
      url: `${receiver.url}/t`,
      authMethod: 'jwt',
    });
    const tested = await admin('POST', `/webhook-rules/${String(rule.json['id'])}/test`, {});
    expect(tested.json).toMatchObject({ isTest: true, status: 200 });
    expect(receiver.received).toHaveLength(1);
    const payload = parseLossless(receiver.received[0]!.body) as { isTest: boolean };
    expect(payload.isTest).toBe(true);
  });

  it('filters by scope and primary user, and stops firing once the rule is deleted', async () => {
    const rule = await admin('POST', `/companies/${companyId()}/webhook-rules`, {
      url: `${receiver.url}/internal`,
      authMethod: 'url-key',
      filter: { scope: 'Internal' },
    });
    const internal = await admin('POST', `/companies/${companyId()}/calls`, { externalParticipants: [] });
    const external = await admin('POST', `/companies/${companyId()}/calls`, {});
    await admin('POST', `/companies/${companyId()}/process-calls`, {
      callIds: [internal.json['callId'], external.json['callId']],
    });
    await waitFor(() => receiver.received[0], 'the webhook delivery');
    expect(receiver.received).toHaveLength(1);
    const payload = parseLossless(receiver.received[0]!.body) as {
      callData: { metaData: { id: string; scope: string } };
    };
    expect(payload.callData.metaData).toMatchObject({ id: internal.json['callId'], scope: 'Internal' });
    await admin('DELETE', `/webhook-rules/${String(rule.json['id'])}`);
    const later = await admin('POST', `/companies/${companyId()}/calls`, { externalParticipants: [] });
    await admin('POST', `/companies/${companyId()}/process-calls`, { callIds: [later.json['callId']] });
    expect(receiver.received).toHaveLength(1);
  });

  it('records a failed delivery without retrying', async () => {
    await admin('POST', `/companies/${companyId()}/webhook-rules`, {
      url: 'http://127.0.0.1:9/closed',
      authMethod: 'url-key',
    });
    const call = await admin('POST', `/companies/${companyId()}/calls`, {});
    await admin('POST', `/companies/${companyId()}/process-calls`, { callIds: [call.json['callId']] });
    const failed = await waitFor(async () => {
      const deliveries = (await admin('GET', '/webhook-deliveries')).json['deliveries'] as {
        error: string | null;
      }[];
      return deliveries.find((delivery) => delivery.error);
    }, 'a failed delivery');
    expect(failed.error).toBeTruthy();
    expect((await admin('GET', '/webhook-deliveries')).json['deliveries']).toHaveLength(1);
  });
});
