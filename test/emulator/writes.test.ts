import { request as httpRequest } from 'node:http';
import type { GongEmulator } from '../../emulator';
import { basicAuth, startTestEmulator, type GongClient } from './client';

/** Write operations change what later reads return. */
describe('write operations change state', () => {
  let emulator: GongEmulator;
  let api: GongClient;
  let rep: { id: string; emailAddress: string; managerId: string };
  let someCallId: string;

  beforeAll(async () => {
    ({ emulator, api } = await startTestEmulator());
    const users = (await api.get('/v2/users')).json['users'] as (typeof rep)[];
    rep = users.find((user) => user.managerId)!;
    someCallId = (
      (await api.get('/v2/calls', { fromDateTime: '2026-01-01T00:00:00Z' })).json['calls'] as { id: string }[]
    )[0]!.id;
  });
  afterAll(() => emulator.close());

  const upload = async (query: string, content: string | null) => {
    const form = new FormData();
    if (content !== null) form.append('dataFile', new Blob([content]), 'data.ldjson');
    else form.append('note', 'no file');
    const response = await fetch(`${emulator.defaultCompany.apiBaseUrl}/v2/crm/entities?${query}`, {
      method: 'POST',
      headers: {
        authorization: basicAuth(emulator.defaultCompany.accessKey, emulator.defaultCompany.accessKeySecret),
      },
      body: form,
    });
    return { status: response.status, json: (await response.json()) as Record<string, unknown> };
  };

  it('adds a call with a downloadMediaUrl: it appears after processing, with a transcript', async () => {
    const added = await api.post('/v2/calls', {
      clientUniqueId: 'crm-call-77',
      actualStart: '2026-03-02T13:00:00Z',
      duration: 1200,
      direction: 'Conference',
      title: 'Imported call',
      primaryUser: rep.id,
      parties: [{ userId: rep.id }, { emailAddress: 'buyer@prospect.example', name: 'Bea Buyer' }],
      downloadMediaUrl: 'https://media.example/77.mp3',
    });
    const callId = String(added.json['callId']);
    expect(callId).toMatch(/^\d{19}$/);
    expect((await api.get(`/v2/calls/${callId}`)).status).toBe(404);
    emulator.admin.advanceClock(15 * 60_000);
    const transcript = await api.post('/v2/calls/transcript', { filter: { callIds: [callId] } });
    expect(transcript.status).toBe(200);
    const monologues = (transcript.json['callTranscripts'] as { transcript: unknown[] }[])[0]!.transcript;
    expect(monologues.length).toBeGreaterThan(0);
    const duplicate = await api.post('/v2/calls', {
      clientUniqueId: 'crm-call-77',
      actualStart: '2026-03-02T13:00:00Z',
      direction: 'Conference',
      primaryUser: rep.id,
      parties: [{ userId: rep.id }],
    });
    expect(duplicate.status).toBe(409);
    const noHost = await api.post('/v2/calls', {
      clientUniqueId: 'x-1',
      actualStart: '2026-03-02T13:00:00Z',
      direction: 'Conference',
      primaryUser: rep.id,
      parties: [{ name: 'Someone' }],
    });
    expect(noHost.status).toBe(400);
  });

  it('refuses a media upload without the mediaFile part', async () => {
    const form = new FormData();
    form.append('other', new Blob(['x']), 'x.bin');
    const response = await fetch(`${emulator.defaultCompany.apiBaseUrl}/v2/calls/${someCallId}/media`, {
      method: 'PUT',
      headers: {
        authorization: basicAuth(emulator.defaultCompany.accessKey, emulator.defaultCompany.accessKeySecret),
      },
      body: form,
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { errors: string[] }).errors).toEqual(['mediaFile part is missing']);
  });

  it('grants, lists and removes individual call access', async () => {
    expect(
      (
        await api.put('/v2/calls/users-access', {
          callAccessList: [{ callId: someCallId, userIds: [rep.id] }],
        })
      ).status,
    ).toBe(200);
    const listed = await api.post('/v2/calls/users-access', { filter: { callIds: [someCallId] } });
    expect(listed.json['callAccessList']).toEqual([{ callId: someCallId, users: [{ userId: rep.id }] }]);
    await api.delete('/v2/calls/users-access', {
      callAccessList: [{ callId: someCallId, userIds: [rep.id] }],
    });
    const after = await api.post('/v2/calls/users-access', { filter: { callIds: [someCallId] } });
    expect(after.json['callAccessList']).toEqual([{ callId: someCallId, users: [] }]);
    const unknown = await api.put('/v2/calls/users-access', {
      callAccessList: [{ callId: '1', userIds: [rep.id] }],
    });
    expect(unknown.status).toBe(400);
    expect(unknown.json.errors).toEqual(['Some calls not found']);
  });

  it('creates, updates and deletes meetings; 404 for an unknown one; 403 when the API is not enabled', async () => {
    const body = {
      startTime: '2026-03-05T16:00:00Z',
      endTime: '2026-03-05T16:30:00Z',
      invitees: [{ email: 'buyer@prospect.example' }],
      organizerEmail: rep.emailAddress,
    };
    const created = await api.post('/v2/meetings', body);
    const meetingId = String(created.json['meetingId']);
    expect(created.json['additionalInvitees']).toEqual([
      { email: 'coordinator@gong.io', displayName: 'Gong Coordinator' },
    ]);
    expect((await api.put(`/v2/meetings/${meetingId}`, { ...body, title: 'Moved' })).json['meetingId']).toBe(
      meetingId,
    );
    expect((await api.delete(`/v2/meetings/${meetingId}`, { organizerEmail: rep.emailAddress })).status).toBe(
      200,
    );
    const gone = await api.delete(`/v2/meetings/${meetingId}`, { organizerEmail: rep.emailAddress });
    expect(gone.status).toBe(404);
    expect(gone.json.errors).toEqual(['The given meeting ID was not found.']);
    emulator.admin.setLimits(emulator.defaultCompany.id, { meetingsEnabled: false });
    const refused = await api.post('/v2/meetings', body);
    expect(refused.status).toBe(403);
    expect(refused.json).toHaveProperty('userFacingError');
    emulator.admin.setLimits(emulator.defaultCompany.id, { meetingsEnabled: true });
  });

  it('runs CRM uploads asynchronously: PENDING, IN_PROGRESS, then DONE or FAILED with line errors', async () => {
    const registered = await api.put('/v2/crm/integrations', { ownerEmail: rep.emailAddress, name: 'CRM' });
    const integrationId = String(registered.json['integrationId']);
    const second = await api.put('/v2/crm/integrations', { ownerEmail: rep.emailAddress, name: 'CRM 2' });
    expect(second.status).toBe(409);
    expect(second.json.errors?.[0]).toMatch(/already has an active GENERIC CRM integration/);
    const good = await upload(
      `integrationId=${integrationId}&objectType=DEAL&clientRequestId=deals-1`,
      '{"objectId":"D-1","name":"Big deal","amount":1000}\n{"objectId":"D-2","name":"Small deal"}\n',
    );
    expect(good).toEqual({
      status: 201,
      json: { requestId: expect.any(String) as unknown, clientRequestId: 'deals-1' },
    });
    const status = () => api.get('/v2/crm/request-status', { integrationId, clientRequestId: 'deals-1' });
    expect((await status()).json['status']).toBe('PENDING');
    emulator.admin.advanceClock(5_000);
    expect((await status()).json['status']).toBe('IN_PROGRESS');
    emulator.admin.advanceClock(30_000);
    expect((await status()).json).toMatchObject({
      status: 'DONE',
      errors: [],
      totalErrorCount: 0,
      totalSuccessCount: 2,
    });
    const bad = await upload(
      `integrationId=${integrationId}&objectType=DEAL&clientRequestId=deals-2`,
      '{"objectId":"D-3"}\nnot json\n{"name":"no id"}\n',
    );
    expect(bad.status).toBe(201);
    emulator.admin.advanceClock(35_000);
    const failed = await api.get('/v2/crm/request-status', { integrationId, clientRequestId: 'deals-2' });
    expect(failed.json).toMatchObject({
      status: 'FAILED',
      totalErrorCount: 2,
      totalSuccessCount: 1,
      errors: [
        { line: 2, description: 'Line is not valid JSON' },
        { line: 3, description: 'Missing required field: objectId' },
      ],
    });
    expect(
      (
        await upload(
          `integrationId=${integrationId}&objectType=DEAL&clientRequestId=deals-2`,
          '{"objectId":"x"}',
        )
      ).status,
    ).toBe(409);
    const missing = await upload(
      `integrationId=${integrationId}&objectType=DEAL&clientRequestId=deals-3`,
      null,
    );
    expect(missing.status).toBe(400);
    expect(missing.json['errors']).toEqual(['dataFile part is missing']);
    const objects = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const body = '["D-1","D-9"]';
      const req = httpRequest(
        `${emulator.defaultCompany.apiBaseUrl}/v2/crm/entities?integrationId=${integrationId}&objectType=DEAL`,
        {
          method: 'GET',
          headers: {
            authorization: basicAuth(
              emulator.defaultCompany.accessKey,
              emulator.defaultCompany.accessKeySecret,
            ),
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(body),
          },
        },
        (res) => {
          let text = '';
          res.on('data', (chunk: Buffer) => (text += chunk.toString()));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
        },
      );
      req.on('error', reject);
      req.end(body);
    });
    expect(objects.status).toBe(200);
    expect((JSON.parse(objects.body) as { crmObjectsMap: unknown }).crmObjectsMap).toEqual({
      'D-1': { objectId: 'D-1', name: 'Big deal', amount: 1000 },
      'D-9': null,
    });
    const noBody = await api.get('/v2/crm/entities', { integrationId, objectType: 'DEAL' });
    expect(noBody.status).toBe(415);
    const deleted = await api.delete('/v2/crm/integrations', undefined, {
      integrationId,
      clientRequestId: 'del-1',
    });
    expect(deleted.status).toBe(201);
    expect((await api.get('/v2/crm/integrations')).json['integrations']).toHaveLength(1);
    emulator.admin.advanceClock(35_000);
    expect((await api.get('/v2/crm/integrations')).json['integrations']).toEqual([]);
  });

  it('erases everything about an email address', async () => {
    const calls = await api.post('/v2/calls/extensive', {
      filter: { fromDateTime: '2026-01-01T00:00:00Z' },
      contentSelector: { exposedFields: { parties: true } },
    });
    const target = (
      calls.json['calls'] as {
        metaData: { id: string };
        parties: { affiliation: string; emailAddress: string | null }[];
      }[]
    ).flatMap((call) =>
      call.parties.filter((party) => party.affiliation === 'External' && party.emailAddress),
    )[0]!.emailAddress!;
    const before = await api.get('/v2/data-privacy/data-for-email-address', { emailAddress: target });
    const callIds = (before.json['calls'] as { id: string }[]).map((call) => call.id);
    expect(callIds.length).toBeGreaterThan(0);
    expect(
      (await api.post('/v2/data-privacy/erase-data-for-email-address', undefined, { emailAddress: target }))
        .status,
    ).toBe(200);
    const after = await api.get('/v2/data-privacy/data-for-email-address', { emailAddress: target });
    expect(after.json).toMatchObject({ calls: [], emails: [], customerData: [] });
    expect((await api.get(`/v2/calls/${callIds[0]!}`)).status).toBe(404);
  });

  it('assigns and unassigns flow prospects; unknown flows answer 404 "Flow not found"', async () => {
    const flows = (await api.get('/v2/flows', { flowOwnerEmail: rep.emailAddress })).json['flows'] as {
      id: string;
      exclusive: boolean;
    }[];
    const flow = flows.find((candidate) => !candidate.exclusive)!;
    const assigned = await api.post('/v2/flows/prospects/assign', {
      crmProspectsIds: ['003PROSPECT1', '003PROSPECT2'],
      flowId: flow.id,
      flowInstanceOwnerEmail: rep.emailAddress,
    });
    expect((assigned.json['prospectsAssigned'] as unknown[]).length).toBe(2);
    const again = await api.post('/v2/flows/prospects/assign', {
      crmProspectsIds: ['003PROSPECT1'],
      flowId: flow.id,
      flowInstanceOwnerEmail: rep.emailAddress,
    });
    expect(again.json['prospectsNotAssigned']).toEqual([
      expect.objectContaining({ crmProspectId: '003PROSPECT1', errorCode: 'InvalidState' }),
    ]);
    const listed = await api.post('/v2/flows/prospects', { crmProspectsIds: ['003PROSPECT1'] });
    expect((listed.json['prospectsAssigned'] as { flowId: string }[]).map((entry) => entry.flowId)).toEqual([
      flow.id,
    ]);
    const removed = await api.post('/v2/flows/prospects/unassign-flows-by-crm-id', {
      crmProspectId: '003PROSPECT1',
    });
    expect((removed.json['unassignedFlowInstanceIds'] as string[]).length).toBe(1);
    expect(
      (await api.post('/v2/flows/prospects', { crmProspectsIds: ['003PROSPECT1'] })).json[
        'prospectsAssigned'
      ],
    ).toEqual([]);
    const badInstance = await api.post('/v2/flows/prospects/unassign-flows-by-instance-id', {
      flowInstanceIds: ['42'],
    });
    expect(badInstance.json.errors).toEqual(['One or more of the given flowInstanceIds does not exist']);
    const unknown = await api.post('/v2/flows/prospects/assign', {
      crmProspectsIds: ['003X'],
      flowId: '1',
      flowInstanceOwnerEmail: rep.emailAddress,
    });
    expect(unknown.status).toBe(404);
    expect(unknown.json.errors).toEqual(['Flow not found']);
  });

  it('updates a task and lists it with its new status; task IDs are JSON numbers', async () => {
    const users = (await api.get('/v2/users')).json['users'] as { id: string }[];
    const filter = { types: ['FLOW', 'MANUAL'], taskAction: ['CALL'], status: ['OPEN'] };
    let owner = '';
    let tasks: { id: string }[] = [];
    for (const user of users) {
      const answer = await api.post('/v2/tasks', { filter: { ...filter, userId: user.id } });
      tasks = answer.json['tasks'] as { id: string }[];
      if (tasks.length) {
        owner = user.id;
        expect(answer.text).toMatch(/"id":\d+/);
        break;
      }
    }
    const updated = await api.patch(`/v2/tasks/${tasks[0]!.id}`, { userId: owner, status: 'DONE' });
    expect(updated.status).toBe(200);
    const open = await api.post('/v2/tasks', { filter: { ...filter, userId: owner } });
    expect((open.json['tasks'] as { id: string }[]).map((task) => task.id)).not.toContain(tasks[0]!.id);
    const done = await api.post('/v2/tasks', { filter: { ...filter, status: ['DONE'], userId: owner } });
    expect((done.json['tasks'] as { id: string }[]).map((task) => task.id)).toContain(tasks[0]!.id);
  });

  it('refuses an engagement event reported twice with 409', async () => {
    const event = {
      reportingSystem: 'docs',
      eventTimestamp: '2026-03-02T10:00:00Z',
      eventId: 'evt-1',
      contentId: 'c',
      contentUrl: 'https://docs.example/c',
      contentTitle: 'Doc',
    };
    expect((await api.put('/v2/customer-engagement/content/viewed', event)).status).toBe(200);
    expect((await api.put('/v2/customer-engagement/content/viewed', event)).status).toBe(409);
  });

  it('creates and updates permission profiles', async () => {
    const workspaceId = ((await api.get('/v2/workspaces')).json['workspaces'] as { id: string }[])[0]!.id;
    const created = await api.post(
      '/v2/permission-profile',
      { name: 'Interns', scoreCalls: false },
      { workspaceId },
    );
    const profileId = String((created.json['profile'] as { id: string }).id);
    await api.put('/v2/permission-profile', { name: 'Interns', scoreCalls: true }, { profileId });
    const read = await api.get('/v2/permission-profile', { profileId });
    expect(read.json['profile']).toMatchObject({ id: profileId, name: 'Interns', scoreCalls: true });
  });
});
