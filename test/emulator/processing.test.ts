import type { GongEmulator } from '../../emulator';
import { http, startTestEmulator, type GongClient } from './client';

const HOUR = 3_600_000;

describe('processing delay: calls appear only after Gong processes them', () => {
  let emulator: GongEmulator;
  let api: GongClient;

  beforeEach(async () => {
    ({ emulator, api } = await startTestEmulator({
      processingDelayMs: 2 * HOUR,
      userCount: 20,
      callCount: 40,
    }));
  });
  afterEach(() => emulator.close());

  const listed = async (from: string, to: string) => {
    const answer = await api.get('/v2/calls', { fromDateTime: from, toDateTime: to });
    return answer.status === 404 ? [] : (answer.json['calls'] as { id: string }[]).map((call) => call.id);
  };

  it('hides a call until the delay passes, while date filters apply to its start time', async () => {
    const created = await http(
      'POST',
      `${emulator.appUrl}/_emulator/companies/${emulator.defaultCompany.id}/calls`,
      {
        body: { title: 'Acme | Renewal', started: '2026-03-02T14:00:00Z', durationSeconds: 1_800 },
      },
    );
    expect(created.status).toBe(201);
    const callId = String(created.json['callId']);
    expect(created.json['visibleAt']).toBe('2026-03-02T16:30:00Z');
    const window = ['2026-03-02T13:55:00Z', '2026-03-02T14:05:00Z'] as const;
    expect(await listed(...window)).not.toContain(callId);
    expect((await api.get(`/v2/calls/${callId}`)).status).toBe(404);
    // A naive poller that already moved its window past 14:05 never sees the call...
    emulator.admin.advanceClock(HOUR);
    expect(await listed(...window)).not.toContain(callId);
    emulator.admin.advanceClock(30 * 60_000);
    // ...while a poller re-scanning the overlapping window finds it, dated by its start time.
    expect(await listed(...window)).toContain(callId);
    expect((await listed('2026-03-02T16:00:00Z', '2026-03-02T17:00:00Z')).includes(callId)).toBe(false);
    expect((await api.get(`/v2/calls/${callId}`)).json['call']).toMatchObject({
      id: callId,
      started: '2026-03-02T14:00:00Z',
    });
  });

  it('finishes processing on demand through the admin API', async () => {
    const { callId } = emulator.admin.createCall(emulator.defaultCompany.id, { title: 'Quick call' });
    expect((await api.get(`/v2/calls/${callId}`)).status).toBe(404);
    const processed = await http(
      'POST',
      `${emulator.appUrl}/_emulator/companies/${emulator.defaultCompany.id}/process-calls`,
      {
        body: { callIds: [callId] },
      },
    );
    expect(processed.json['processed']).toEqual([callId]);
    expect((await api.get(`/v2/calls/${callId}`)).status).toBe(200);
  });

  it('seeds a few calls that are still processing at start', async () => {
    const before = await api.post('/v2/calls/extensive', {
      filter: { fromDateTime: '2026-03-02T00:00:00Z' },
    });
    const visibleBefore =
      before.status === 404 ? 0 : (before.json['records'] as { totalRecords: number }).totalRecords;
    emulator.admin.advanceClock(3 * HOUR);
    const after = await api.post('/v2/calls/extensive', { filter: { fromDateTime: '2026-03-02T00:00:00Z' } });
    expect((after.json['records'] as { totalRecords: number }).totalRecords).toBeGreaterThan(visibleBefore);
  });

  it('keeps a call added through the API without media invisible until its media is uploaded', async () => {
    const users = await api.get('/v2/users');
    const user = (users.json['users'] as { id: string }[])[1]!;
    const added = await api.post('/v2/calls', {
      clientUniqueId: 'dialer-1',
      actualStart: '2026-03-02T14:00:00Z',
      duration: 600,
      direction: 'Outbound',
      primaryUser: user.id,
      parties: [{ userId: user.id }, { name: 'Prospect', phoneNumber: '+1 212 555 0100' }],
    });
    expect(added.status).toBe(200);
    const callId = String(added.json['callId']);
    emulator.admin.advanceClock(10 * HOUR);
    expect((await api.get(`/v2/calls/${callId}`)).status).toBe(404);
    const form = new FormData();
    form.append('mediaFile', new Blob(['RIFF....WAVEfmt ']), 'call.wav');
    const upload = await fetch(`${emulator.defaultCompany.apiBaseUrl}/v2/calls/${callId}/media`, {
      method: 'PUT',
      headers: {
        authorization: `Basic ${Buffer.from(`${emulator.defaultCompany.accessKey}:${emulator.defaultCompany.accessKeySecret}`).toString('base64')}`,
      },
      body: form,
    });
    expect(upload.status).toBe(201);
    expect((await api.get(`/v2/calls/${callId}`)).status).toBe(404);
    emulator.admin.advanceClock(2 * HOUR);
    const visible = await api.get(`/v2/calls/${callId}`);
    expect(visible.json['call']).toMatchObject({
      id: callId,
      clientUniqueId: 'dialer-1',
      direction: 'Outbound',
    });
  });
});

describe('seeded calls still processing', () => {
  it('has three recent calls that appear within the default processing delay', async () => {
    const { emulator, api } = await startTestEmulator();
    try {
      const count = async () => {
        const answer = await api.post('/v2/calls/transcript', {
          filter: { fromDateTime: '2026-03-02T12:00:00Z' },
        });
        return answer.status === 404 ? 0 : (answer.json['records'] as { totalRecords: number }).totalRecords;
      };
      const before = await count();
      emulator.admin.advanceClock(10 * 60_000);
      expect((await count()) - before).toBe(3);
    } finally {
      await emulator.close();
    }
  });
});
