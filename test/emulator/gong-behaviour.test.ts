import type { GongEmulator } from '../../emulator';
import { basicAuth, gongClient, startTestEmulator, type GongClient } from './client';

describe("Gong's exact behaviours", () => {
  let emulator: GongEmulator;
  let api: GongClient;

  beforeAll(async () => {
    ({ emulator, api } = await startTestEmulator());
  });
  afterAll(() => emulator.close());

  const ids = (answer: { json: Record<string, unknown> }) =>
    (answer.json['calls'] as { metaData: { id: string } }[]).map((call) => call.metaData.id);

  it('pages POST endpoints with the cursor in the JSON body', async () => {
    const body = { filter: { fromDateTime: '2025-01-01T00:00:00Z' } };
    const first = await api.post('/v2/calls/extensive', body);
    const records = first.json['records'] as { totalRecords: number; cursor: string };
    expect(records.totalRecords).toBeGreaterThan(200);
    const second = await api.post('/v2/calls/extensive', { ...body, cursor: records.cursor });
    expect(second.json['records']).toMatchObject({ currentPageNumber: 1, currentPageSize: 100 });
    expect(ids(second)).not.toEqual(ids(first));
  });

  it('returns page 1 again when a POST gets the cursor in the query string (as Gong does)', async () => {
    const body = { filter: { fromDateTime: '2025-01-01T00:00:00Z' } };
    const first = await api.post('/v2/calls/extensive', body);
    const cursor = (first.json['records'] as { cursor: string }).cursor;
    const again = await api.post('/v2/calls/extensive', body, { cursor });
    expect(again.json['records']).toMatchObject({ currentPageNumber: 0 });
    expect(ids(again)).toEqual(ids(first));
  });

  it('refuses a cursor of another operation', async () => {
    const users = await api.get('/v2/users');
    const cursor = (users.json['records'] as { cursor: string }).cursor;
    const answer = await api.post('/v2/calls/extensive', { filter: {}, cursor });
    expect(answer.status).toBe(400);
  });

  it('answers 404 "No calls found corresponding to the provided filters" on empty call searches', async () => {
    const empty = { fromDateTime: '2010-01-01T00:00:00Z', toDateTime: '2010-01-02T00:00:00Z' };
    const list = await api.get('/v2/calls', empty);
    const extensive = await api.post('/v2/calls/extensive', { filter: empty });
    const transcript = await api.post('/v2/calls/transcript', { filter: empty });
    for (const answer of [list, extensive, transcript]) {
      expect(answer.status).toBe(404);
      expect(answer.json.errors).toEqual(['No calls found corresponding to the provided filters']);
    }
  });

  it('emits big integer IDs exactly: JSON numbers where Gong uses numbers, strings elsewhere', async () => {
    const registered = await api.put('/v2/crm/integrations', { ownerEmail: 'ops@example.com', name: 'CRM' });
    const raw = /"integrationId":(\d+)/.exec(registered.text);
    expect(raw).not.toBeNull();
    expect(raw![1]!.length).toBeGreaterThanOrEqual(18);
    expect(Number.isSafeInteger(Number(raw![1]))).toBe(false);
    expect(registered.json['integrationId']).toBe(raw![1]);
    // Scorecard settings: strings although the export says int64, as real Gong sends them (issue 18).
    const scorecards = await api.get('/v2/settings/scorecards');
    expect(scorecards.text).toMatch(/"scorecardId":"\d{19}"/);
    expect(scorecards.text).toMatch(/"maxRange":"5"/);
    const calls = await api.get('/v2/calls', { fromDateTime: '2025-01-01T00:00:00Z' });
    expect(calls.text).toMatch(/"id":"\d{19}"/);
    expect(calls.text).toMatch(/"primaryUserId":"\d{19}"/);
  });

  it('sends nulls where Gong sends nulls', async () => {
    const calls = await api.get('/v2/calls', { fromDateTime: '2025-01-01T00:00:00Z' });
    const call = (calls.json['calls'] as Record<string, unknown>[])[0]!;
    for (const field of ['sdrDisposition', 'clientUniqueId', 'customData', 'purpose'])
      expect(call[field]).toBeNull();
    const users = await api.get('/v2/users');
    expect((users.json['users'] as Record<string, unknown>[])[0]).toHaveProperty(
      'conferencingProviders',
      null,
    );
  });

  it('filters extensive calls on start time: fromDateTime inclusive, toDateTime exclusive', async () => {
    const all = await api.post('/v2/calls/extensive', { filter: { fromDateTime: '2025-01-01T00:00:00Z' } });
    const call = (all.json['calls'] as { metaData: { id: string; started: string } }[])[5]!.metaData;
    const exact = await api.post('/v2/calls/extensive', {
      filter: {
        fromDateTime: call.started,
        toDateTime: new Date(Date.parse(call.started) + 1).toISOString(),
      },
    });
    expect(ids(exact)).toContain(call.id);
    const before = await api.post('/v2/calls/extensive', {
      filter: { toDateTime: call.started, callIds: [call.id] },
    });
    expect(before.status).toBe(404);
  });

  it('shapes extensive call data by the content selector', async () => {
    const bare = await api.post('/v2/calls/extensive', { filter: {} });
    const first = (bare.json['calls'] as Record<string, unknown>[])[0]!;
    expect(Object.keys(first)).toEqual(['metaData']);
    const rich = await api.post('/v2/calls/extensive', {
      filter: {},
      contentSelector: { context: 'Basic', exposedFields: { parties: true, content: { trackers: true } } },
    });
    const call = (rich.json['calls'] as Record<string, unknown>[])[0]!;
    expect(Object.keys(call).sort()).toEqual(['content', 'context', 'metaData', 'parties']);
    expect(Object.keys(call['content'] as object)).toEqual(['trackers']);
  });

  it('needs api:calls:read:media-url for media URLs, only for Bearer tokens and scoped keys', async () => {
    const withMedia = await api.post('/v2/calls/extensive', {
      filter: {},
      contentSelector: { exposedFields: { media: true } },
    });
    expect(withMedia.status).toBe(200);
    const media = (withMedia.json['calls'] as { media: { audioUrl: string } }[])[0]!.media;
    expect(media.audioUrl).toMatch(/^http/);
    const download = await fetch(media.audioUrl);
    expect(download.status).toBe(200);
    expect(download.headers.get('content-type')).toBe('audio/mpeg');
    // Media URLs are valid for 8 hours.
    emulator.admin.advanceClock(8 * 3_600_000);
    expect((await fetch(media.audioUrl)).status).toBe(403);
    const scoped = emulator.admin.createAccessKey(emulator.defaultCompany.id, {
      scopes: ['api:calls:read:extensive'],
    });
    const scopedApi = gongClient(
      emulator.defaultCompany.apiBaseUrl,
      basicAuth(scoped.accessKey, scoped.accessKeySecret),
    );
    expect((await scopedApi.post('/v2/calls/extensive', { filter: {} })).status).toBe(200);
    const refused = await scopedApi.post('/v2/calls/extensive', {
      filter: {},
      contentSelector: { exposedFields: { media: true } },
    });
    expect(refused.status).toBe(401);
    expect(refused.json.errors).toEqual([
      "You don't have permission to use 'api:calls:read:media-url' in your app.",
    ]);
  });

  it('answers 400 for malformed filters', async () => {
    expect((await api.get('/v2/calls', { fromDateTime: 'yesterday' })).status).toBe(400);
    expect((await api.post('/v2/calls/extensive', { filter: { callIds: [] } })).status).toBe(400);
    expect((await api.post('/v2/calls/extensive', '{not json')).status).toBe(400);
    expect(
      (
        await api.post('/v2/calls/extensive', {
          filter: {},
          contentSelector: { context: 'Basic', contextTiming: ['Now'] },
        })
      ).status,
    ).toBe(400);
    const stats = await api.post('/v2/stats/activity/aggregate', {
      filter: { fromDate: '2026-01-01T00:00:00Z', toDate: '2026-02-01' },
    });
    expect(stats.status).toBe(400);
    const future = await api.post('/v2/stats/activity/aggregate', {
      filter: { fromDate: '2026-01-01', toDate: '2027-01-01' },
    });
    expect(future.status).toBe(400);
  });

  it("answers 404 with Gong's message for an unknown call", async () => {
    const answer = await api.get('/v2/calls/894411314421502864');
    expect(answer.status).toBe(404);
    expect(answer.json.errors).toEqual(['Call ID 894411314421502864 was not found']);
  });

  it('returns the company time zone and period on stats', async () => {
    const answer = await api.post('/v2/stats/activity/aggregate', {
      filter: { fromDate: '2026-02-01', toDate: '2026-03-01' },
    });
    expect(answer.json).toMatchObject({
      timeZone: 'UTC',
      fromDateTime: '2026-02-01T00:00:00Z',
      toDateTime: '2026-03-01T00:00:00Z',
    });
  });
});
