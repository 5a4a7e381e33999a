import { startEmulator, type GongEmulator } from '../../emulator';
import { basicAuth, gongClient, http, startTestEmulator, TEST_START, type GongClient } from './client';

describe('admin API (/_emulator on the app host)', () => {
  let emulator: GongEmulator;
  let api: GongClient;
  const admin = (method: string, path: string, body?: unknown, query?: Record<string, string>) =>
    http(method, `${emulator.appUrl}/_emulator${path}`, { body, query });

  beforeEach(async () => {
    ({ emulator, api } = await startTestEmulator());
  });
  afterEach(() => emulator.close());

  it('reads, advances and sets the emulated clock', async () => {
    expect((await admin('GET', '/health')).json).toEqual({ ok: true, now: '2026-03-02T15:00:00Z' });
    expect((await admin('POST', '/clock/advance', { ms: 90_000 })).json).toEqual({
      now: '2026-03-02T15:01:30Z',
    });
    expect((await admin('POST', '/clock/set', { now: '2026-04-01T00:00:00Z' })).json).toEqual({
      now: '2026-04-01T00:00:00Z',
    });
    expect((await admin('GET', '/clock')).json).toEqual({ now: '2026-04-01T00:00:00Z' });
    expect((await admin('POST', '/clock/advance', { ms: -5 })).status).toBe(400);
  });

  it('creates companies on their own API hosts, with a ready-made key', async () => {
    const created = await admin('POST', '/companies', { name: 'Initech', userCount: 12, callCount: 20 });
    expect(created.status).toBe(201);
    const company = created.json as {
      id: string;
      apiBaseUrl: string;
      accessKey: string;
      accessKeySecret: string;
    };
    expect(company.apiBaseUrl).not.toBe(emulator.defaultCompany.apiBaseUrl);
    const users = await gongClient(
      company.apiBaseUrl,
      basicAuth(company.accessKey, company.accessKeySecret),
    ).get('/v2/users');
    expect(users.json['records']).toMatchObject({ totalRecords: 12 });
    const list = await admin('GET', '/companies');
    expect((list.json['companies'] as { id: string }[]).map((entry) => entry.id)).toEqual([
      emulator.defaultCompany.id,
      company.id,
    ]);
    expect((await admin('POST', '/companies', { name: 'Initech' })).status).toBe(409);
    expect((await admin('POST', '/companies', { name: '' })).status).toBe(400);
  });

  it('creates users and calls that the API then serves', async () => {
    const user = await admin('POST', `/companies/${emulator.defaultCompany.id}/users`, {
      firstName: 'Ada',
      lastName: 'Lovelace',
      title: 'Account Executive',
    });
    expect(user.status).toBe(201);
    const id = String(user.json['id']);
    expect((await api.get(`/v2/users/${id}`)).json['user']).toMatchObject({
      firstName: 'Ada',
      emailAddress: 'ada.lovelace@northwind-analytics.example',
    });
    const call = await admin('POST', `/companies/${emulator.defaultCompany.id}/calls`, {
      title: 'Ada | Demo',
      primaryUserId: id,
      started: '2026-03-01T10:00:00Z',
      durationSeconds: 900,
      processingDelayMs: 0,
    });
    expect(call.json).toMatchObject({ started: '2026-03-01T10:00:00Z', visibleAt: '2026-03-01T10:15:00Z' });
    const fetched = await api.get(`/v2/calls/${String(call.json['callId'])}`);
    expect(fetched.json['call']).toMatchObject({ title: 'Ada | Demo', primaryUserId: id, duration: 900 });
  });

  it('keeps a log of requests received, filterable, without secrets, and clearable', async () => {
    await api.post('/v2/calls/extensive', { filter: { callIds: ['123'] } }, { cursor: 'in-the-query' });
    const log = await admin('GET', '/requests', undefined, {
      host: emulator.defaultCompany.id,
      path: '/v2/calls/extensive',
    });
    const entries = log.json['requests'] as Record<string, unknown>[];
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      method: 'POST',
      path: '/v2/calls/extensive',
      query: { cursor: 'in-the-query' },
      body: { filter: { callIds: ['123'] } },
      status: 404,
      auth: `basic:${emulator.defaultCompany.accessKey}`,
    });
    expect(JSON.stringify(entries)).not.toContain(emulator.defaultCompany.accessKeySecret);
    const since = Number(entries[0]!['seq']);
    await api.get('/v2/workspaces');
    expect(
      (await admin('GET', '/requests', undefined, { sinceSeq: String(since) })).json['requests'],
    ).toHaveLength(1);
    await admin('DELETE', '/requests');
    expect((await admin('GET', '/requests')).json['requests']).toEqual([]);
  });

  it('reports and changes limits and faults per company', async () => {
    const limits = await admin('GET', `/companies/${emulator.defaultCompany.id}/limits`);
    expect(limits.json).toMatchObject({
      perSecond: 10_000,
      perDay: 1_000_000,
      processingDelayMs: 600_000,
      meetingsEnabled: true,
    });
    const faults = await admin('GET', `/companies/${emulator.defaultCompany.id}/faults`);
    expect(faults.json).toEqual({
      errorRate: 0,
      errorStatus: 500,
      latencyMs: 0,
      dropRate: 0,
      failNext: 0,
      dropNext: 0,
      loseAnswerNext: 0,
      rateLimitStormUntil: null,
    });
    expect(
      (await admin('PUT', `/companies/${emulator.defaultCompany.id}/faults`, { errorRate: 2 })).status,
    ).toBe(400);
    expect((await admin('GET', '/companies/123/limits')).status).toBe(404);
  });

  it('resets to the seeded state, keeping the default key working', async () => {
    const other = await emulator.admin.createCompany({ name: 'Temporary', userCount: 2, callCount: 1 });
    await admin('POST', `/companies/${emulator.defaultCompany.id}/users`, {
      firstName: 'Temp',
      lastName: 'User',
    });
    await admin('PUT', `/companies/${emulator.defaultCompany.id}/faults`, { errorRate: 1 });
    expect((await admin('POST', '/reset')).status).toBe(200);
    expect((await admin('GET', '/companies')).json['companies']).toHaveLength(1);
    const users = await gongClient(
      emulator.defaultCompany.apiBaseUrl,
      basicAuth(emulator.defaultCompany.accessKey, emulator.defaultCompany.accessKeySecret),
    ).get('/v2/users');
    expect(users.status).toBe(200);
    expect(users.json['records']).toMatchObject({ totalRecords: 150 });
    // The extra company's host is gone: nothing listens there any more.
    await expect(
      http('GET', `${other.apiBaseUrl}/v2/users`, {
        auth: basicAuth(other.accessKey, other.accessKeySecret),
      }),
    ).rejects.toThrow();
  });
});

describe('deterministic seeded data', () => {
  it('gives the same data for the same seed and start time, and different data for another seed', async () => {
    const snapshot = async (seed: number) => {
      const emulator = await startEmulator({ seed, clock: 'frozen', startTime: TEST_START });
      try {
        const api = gongClient(
          emulator.defaultCompany.apiBaseUrl,
          basicAuth(emulator.defaultCompany.accessKey, emulator.defaultCompany.accessKeySecret),
        );
        const users = await api.get('/v2/users');
        const calls = await api.post('/v2/calls/transcript', { filter: {} });
        return {
          key: emulator.defaultCompany.accessKey,
          companyId: emulator.defaultCompany.id,
          users: users.json['users'],
          transcripts: calls.json['callTranscripts'],
        };
      } finally {
        await emulator.close();
      }
    };
    const first = await snapshot(7);
    const again = await snapshot(7);
    const other = await snapshot(8);
    expect(again).toEqual(first);
    expect(other.users).not.toEqual(first.users);
    expect(other.key).not.toBe(first.key);
  });

  it('seeds realistic users: 150 people with managers, titles and unique emails', async () => {
    const { emulator, api } = await startTestEmulator();
    try {
      const page1 = await api.get('/v2/users');
      const page2 = await api.get('/v2/users', {
        cursor: String((page1.json['records'] as { cursor: string }).cursor),
      });
      const users = [
        ...(page1.json['users'] as Record<string, unknown>[]),
        ...(page2.json['users'] as Record<string, unknown>[]),
      ];
      expect(new Set(users.map((user) => user['emailAddress'])).size).toBe(150);
      const ids = new Set(users.map((user) => user['id']));
      const managed = users.filter((user) => user['managerId']);
      expect(managed.length).toBeGreaterThan(100);
      for (const user of managed) expect(ids.has(user['managerId'])).toBe(true);
      expect(users.some((user) => user['active'] === false)).toBe(true);
    } finally {
      await emulator.close();
    }
  });
});
