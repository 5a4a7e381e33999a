import type { GongEmulator } from '../../emulator';
import { http, startTestEmulator, type GongClient } from './client';

describe('faults on demand', () => {
  let emulator: GongEmulator;
  let api: GongClient;
  const setFaults = (body: Record<string, unknown>) =>
    http('PUT', `${emulator.appUrl}/_emulator/companies/${emulator.defaultCompany.id}/faults`, { body });

  beforeEach(async () => {
    ({ emulator, api } = await startTestEmulator({ userCount: 20, callCount: 40 }));
  });
  afterEach(() => emulator.close());

  it('fails the next N requests with the chosen 5xx and a Gong error body', async () => {
    const set = await setFaults({ failNext: 2, errorStatus: 503 });
    expect(set.json).toMatchObject({ failNext: 2, errorStatus: 503 });
    const first = await api.get('/v2/workspaces');
    expect(first.status).toBe(503);
    expect(first.json.requestId).toBe(first.headers.get('x-traceid'));
    expect(first.json.errors?.length).toBe(1);
    expect((await api.get('/v2/workspaces')).status).toBe(503);
    expect((await api.get('/v2/workspaces')).status).toBe(200);
  });

  it('fails a share of requests with errorRate (all of them at 1)', async () => {
    await setFaults({ errorRate: 1 });
    const answer = await api.get('/v2/workspaces');
    expect(answer.status).toBe(500);
    expect(answer.json.errors).toEqual(['Failed to complete the operation due to an unexpected error']);
    await setFaults({ errorRate: 0 });
    expect((await api.get('/v2/workspaces')).status).toBe(200);
  });

  it('drops connections without an answer', async () => {
    await setFaults({ dropNext: 1 });
    await expect(api.get('/v2/workspaces')).rejects.toThrow();
    expect((await api.get('/v2/workspaces')).status).toBe(200);
    await setFaults({ dropRate: 1 });
    await expect(api.get('/v2/workspaces')).rejects.toThrow();
  });

  it('carries out a request and then drops its connection, so the answer is lost (loseAnswerNext)', async () => {
    await setFaults({ loseAnswerNext: 1 });
    const body = { name: 'Lost answer', ownerEmail: 'ops@acme.example' };
    await expect(api.put('/v2/crm/integrations', body)).rejects.toThrow();
    // It was done: the integration exists, and repeating it conflicts.
    const listed = await api.get('/v2/crm/integrations');
    expect(listed.json['integrations']).toEqual([expect.objectContaining(body)]);
    expect((await api.put('/v2/crm/integrations', body)).status).toBe(409);
  });

  it('adds latency to every answer', async () => {
    await setFaults({ latencyMs: 300 });
    const started = performance.now();
    expect((await api.get('/v2/workspaces')).status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
  });

  it('storms 429s with Retry-After for a while, then recovers', async () => {
    const set = await setFaults({ rateLimitStormMs: 5_000 });
    expect(set.json['rateLimitStormUntil']).toBe('2026-03-02T15:00:05Z');
    const limited = await api.get('/v2/workspaces');
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('5');
    emulator.admin.advanceClock(5_000);
    expect((await api.get('/v2/workspaces')).status).toBe(200);
  });

  it('leaves other companies alone', async () => {
    const other = await emulator.admin.createCompany({ name: 'Calm Co', userCount: 2, callCount: 1 });
    await setFaults({ errorRate: 1 });
    const answer = await http('GET', `${other.apiBaseUrl}/v2/workspaces`, {
      auth: `Basic ${Buffer.from(`${other.accessKey}:${other.accessKeySecret}`).toString('base64')}`,
    });
    expect(answer.status).toBe(200);
  });
});
