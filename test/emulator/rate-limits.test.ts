import type { GongEmulator } from '../../emulator';
import { basicAuth, gongClient, http, startTestEmulator, type GongClient } from './client';

describe('per-company rate limits', () => {
  let emulator: GongEmulator;
  let api: GongClient;

  beforeEach(async () => {
    // Gong's defaults: 3 requests per second and 10,000 per day.
    ({ emulator, api } = await startTestEmulator({ rateLimits: {}, userCount: 20, callCount: 40 }));
  });
  afterEach(() => emulator.close());

  it('answers 429 with Retry-After beyond 3 requests per second, and recovers a second later', async () => {
    for (let index = 0; index < 3; index++) expect((await api.get('/v2/workspaces')).status).toBe(200);
    const limited = await api.get('/v2/workspaces');
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('1');
    expect(limited.json.errors).toEqual(['API request limit exceeded']);
    expect(limited.json.requestId).toBe(limited.headers.get('x-traceid'));
    emulator.admin.advanceClock(1_000);
    expect((await api.get('/v2/workspaces')).status).toBe(200);
  });

  it('shares the budget between every key and token of the company, not across companies', async () => {
    const second = emulator.admin.createAccessKey(emulator.defaultCompany.id, {});
    const other = await emulator.admin.createCompany({ name: 'Budget Co', userCount: 2, callCount: 1 });
    await api.get('/v2/workspaces');
    await api.get('/v2/workspaces');
    const secondApi = gongClient(
      emulator.defaultCompany.apiBaseUrl,
      basicAuth(second.accessKey, second.accessKeySecret),
    );
    expect((await secondApi.get('/v2/workspaces')).status).toBe(200);
    expect((await secondApi.get('/v2/workspaces')).status).toBe(429);
    const otherApi = gongClient(other.apiBaseUrl, basicAuth(other.accessKey, other.accessKeySecret));
    expect((await otherApi.get('/v2/workspaces')).status).toBe(200);
  });

  it('enforces a configurable daily budget with Retry-After until the next day', async () => {
    const set = await http(
      'PUT',
      `${emulator.appUrl}/_emulator/companies/${emulator.defaultCompany.id}/limits`,
      {
        body: { perSecond: 100, perDay: 5 },
      },
    );
    expect(set.json).toMatchObject({ perSecond: 100, perDay: 5 });
    for (let index = 0; index < 5; index++) expect((await api.get('/v2/workspaces')).status).toBe(200);
    const limited = await api.get('/v2/workspaces');
    expect(limited.status).toBe(429);
    // The clock is 15:00 UTC: nine hours to the next day.
    expect(limited.headers.get('retry-after')).toBe(String(9 * 3600));
    emulator.admin.advanceClock(9 * 3_600_000);
    expect((await api.get('/v2/workspaces')).status).toBe(200);
  });

  it('takes limits from the emulator options', async () => {
    const custom = await startTestEmulator({ rateLimits: { perSecond: 1 }, userCount: 20, callCount: 40 });
    try {
      expect((await custom.api.get('/v2/workspaces')).status).toBe(200);
      expect((await custom.api.get('/v2/workspaces')).status).toBe(429);
    } finally {
      await custom.emulator.close();
    }
  });
});
