import { randomBytes } from 'node:crypto';
import { ConnectLinks } from '../../connections/connect-link';
import { SecretBox } from '../../connections/secrets';

const PUBLIC_URL = 'https://flows.example.com';

function links(secrets: SecretBox, now = Date.now()): ConnectLinks {
  return new ConnectLinks({ secrets, publicUrl: () => PUBLIC_URL, now: () => now });
}

function paramsOf(url: string): Record<string, string> {
  return Object.fromEntries(new URL(url).searchParams);
}

function thrown(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}

describe('signed connect links', () => {
  const secrets = SecretBox.random();

  it('binds connection, customer and expiry; verifies until it expires', () => {
    const now = Date.parse('2026-11-28T12:00:00Z');
    const link = links(secrets, now).create({
      connectionId: 'acme-eu',
      customer: 'acme',
      expiresInSeconds: 3600,
    });
    expect(link.url.startsWith(`${PUBLIC_URL}/connect/gong?`)).toBe(true);
    expect(link.expiresAt).toBe('2026-11-28T13:00:00.000Z');
    const params = paramsOf(link.url);
    expect(params).toMatchObject({
      connection: 'acme-eu',
      customer: 'acme',
      expires: String(now / 1000 + 3600),
    });
    expect(links(secrets, now + 3_599_000).verify(params)).toEqual({
      connectionId: 'acme-eu',
      customer: 'acme',
      expires: now / 1000 + 3600,
    });
    expect(thrown(() => links(secrets, now + 3_600_000).verify(params))).toMatchObject({
      code: 'CONNECT_LINK_EXPIRED',
      message: expect.stringContaining('2026-11-28T13:00:00.000Z') as unknown,
      hint: expect.stringContaining('gongflow connections connect acme --connection acme-eu') as unknown,
    });
  });

  it('defaults: the customer is the connection id, the link lives a week', () => {
    const now = Date.now();
    const link = links(secrets, now).create({ connectionId: 'globex' });
    expect(link.customer).toBe('globex');
    expect(link.expires).toBe(Math.floor(now / 1000) + 7 * 24 * 3600);
  });

  it('refuses any change to the link, and links signed with another key', () => {
    const params = paramsOf(links(secrets).create({ connectionId: 'acme' }).url);
    for (const changed of [
      { ...params, connection: 'victim' },
      { ...params, customer: 'victim' },
      { ...params, expires: String(Number(params['expires']) + 86_400) },
      {
        ...params,
        signature: `${params['signature']!.startsWith('A') ? 'B' : 'A'}${params['signature']!.slice(1)}`,
      },
      { ...params, signature: 'short' },
      { ...params, expires: 'soon' },
    ]) {
      expect(thrown(() => links(secrets).verify(changed))).toMatchObject({ code: 'CONNECT_LINK_INVALID' });
    }
    expect(thrown(() => links(SecretBox.random()).verify(params))).toMatchObject({
      code: 'CONNECT_LINK_INVALID',
    });
    expect(thrown(() => links(secrets).verify({}))).toMatchObject({ code: 'CONNECT_LINK_REQUIRED' });
    expect(thrown(() => links(secrets).verify({ customer: 'acme' }))).toMatchObject({
      code: 'CONNECT_LINK_UNSIGNED',
    });
  });

  it('links signed before a key rotation still verify while the old key is a previous key', () => {
    const oldKey = randomBytes(32);
    const newKey = randomBytes(32);
    const params = paramsOf(links(new SecretBox(oldKey)).create({ connectionId: 'acme' }).url);
    expect(links(new SecretBox(newKey, [oldKey])).verify(params).connectionId).toBe('acme');
    expect(thrown(() => links(new SecretBox(newKey)).verify(params))).toMatchObject({
      code: 'CONNECT_LINK_INVALID',
    });
    // New links are signed with the new key.
    const fresh = paramsOf(links(new SecretBox(newKey, [oldKey])).create({ connectionId: 'acme' }).url);
    expect(thrown(() => links(new SecretBox(oldKey)).verify(fresh))).toMatchObject({
      code: 'CONNECT_LINK_INVALID',
    });
  });

  it('refuses invalid ids and lifetimes', () => {
    expect(thrown(() => links(secrets).create({ connectionId: 'Not Valid' }))).toMatchObject({
      code: 'CONNECT_INVALID_CUSTOMER',
    });
    expect(thrown(() => links(secrets).create({ connectionId: 'acme', customer: 'a:b' }))).toMatchObject({
      code: 'CONNECT_INVALID_CUSTOMER',
    });
    for (const expiresInSeconds of [0, 59, 31 * 24 * 3600, 1.5]) {
      expect(thrown(() => links(secrets).create({ connectionId: 'acme', expiresInSeconds }))).toMatchObject({
        code: 'CONNECT_LINK_TTL_INVALID',
      });
    }
  });
});
