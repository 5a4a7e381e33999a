import type { GongEmulator } from '../../emulator';
import { findGongAction, GONG_ACTIONS } from '../../gong/catalog';
import { actionOutputSchema } from '../../gong/catalog/output';
import type { GongClient } from '../../gong/client/client';
import { startTestEmulator } from '../emulator/client';
import { emulatorClient, startFileServer } from './support';

/**
 * Every catalog action, sent by GongClient (the path runGongAction takes) to the emulator with the catalog's
 * own `example` input; only IDs the emulator does not know are swapped for seeded ones. Each output must
 * satisfy `actionOutputSchema`, and the emulator's request log must show the wire shape the catalog says.
 */

interface Fixture {
  userId: string;
  userEmail: string;
  managerId: string;
  workspaceId: string;
  callId: string;
  accountCrmId: string;
  dealCrmId: string;
  folderId: string;
  flowId: string;
  taskId: string;
  taskUserId: string;
  profileId: string;
  integrationId: string;
  meetingId: string;
  bulkAssignmentId: string;
  flowInstanceId: string;
  newCallId: string;
  mediaUrl: string;
}

type Overrides = (f: Fixture, example: Record<string, unknown>) => Record<string, unknown>;

/** In run order (later actions use what earlier ones created); actions absent here run their example as is. */
const OVERRIDES: [string, Overrides][] = [
  ['gong.calls.list', () => ({ fromDateTime: '2026-02-01T00:00:00Z', toDateTime: '2026-03-02T00:00:00Z' })],
  ['gong.calls.get', (f) => ({ id: f.callId })],
  [
    'gong.calls.create',
    (f, example) => ({
      primaryUser: f.userId,
      parties: [{ userId: f.userId, emailAddress: f.userEmail }, (example['parties'] as unknown[])[1]],
      downloadMediaUrl: undefined,
    }),
  ],
  ['gong.calls.media.upload', (f) => ({ id: f.newCallId, mediaFile: { url: f.mediaUrl } })],
  ['gong.calls.extensive', () => ({ filter: { fromDateTime: '2026-02-01T00:00:00Z' }, maxItems: 150 })],
  ['gong.calls.transcripts', (f) => ({ filter: { callIds: [f.callId] } })],
  [
    'gong.calls.users-access.add',
    (f) => ({ callAccessList: [{ callId: f.callId, userIds: [f.managerId] }] }),
  ],
  ['gong.calls.users-access.list', (f) => ({ filter: { callIds: [f.callId] } })],
  [
    'gong.calls.users-access.remove',
    (f) => ({ callAccessList: [{ callId: f.callId, userIds: [f.managerId] }] }),
  ],
  ['gong.users.get', (f) => ({ id: f.userId })],
  ['gong.users.settings-history.get', (f) => ({ id: f.userId })],
  [
    'gong.stats.activity.day-by-day',
    (f) => ({ filter: { fromDate: '2026-02-01', toDate: '2026-03-01', userIds: [f.userId] } }),
  ],
  ['gong.settings.trackers.list', (f) => ({ workspaceId: f.workspaceId })],
  ['gong.library.folders.list', (f) => ({ workspaceId: f.workspaceId })],
  ['gong.library.folder-content.get', (f) => ({ folderId: f.folderId })],
  [
    'gong.coaching.list',
    (f) => ({
      'workspace-id': f.workspaceId,
      'manager-id': f.managerId,
      from: '2025-12-01T00:00:00Z',
      to: '2026-03-01T00:00:00Z',
    }),
  ],
  ['gong.meetings.create', (f) => ({ organizerEmail: f.userEmail })],
  ['gong.meetings.update', (f) => ({ meetingId: f.meetingId, organizerEmail: f.userEmail })],
  ['gong.meetings.delete', (f) => ({ meetingId: f.meetingId, organizerEmail: f.userEmail })],
  ['gong.crm.integrations.register', (f) => ({ ownerEmail: f.userEmail })],
  ['gong.crm.entity-schema.upload', (f) => ({ integrationId: f.integrationId })],
  ['gong.crm.entity-schema.list', (f) => ({ integrationId: f.integrationId })],
  ['gong.crm.entities.upload', (f) => ({ integrationId: f.integrationId })],
  ['gong.crm.request-status.get', (f) => ({ integrationId: f.integrationId })],
  [
    'gong.crm.entities.get',
    (f) => ({
      integrationId: f.integrationId,
      objectType: 'ACCOUNT',
      objectsCrmIds: ['0013601230sV7grAAC', 'missing'],
    }),
  ],
  ['gong.crm.integrations.delete', (f) => ({ integrationId: f.integrationId })],
  ['gong.flows.list', (f) => ({ flowOwnerEmail: f.userEmail })],
  ['gong.flows.folders.list', (f) => ({ flowFolderOwnerEmail: f.userEmail })],
  ['gong.flows.prospects.assign', (f) => ({ flowId: f.flowId, flowInstanceOwnerEmail: f.userEmail })],
  [
    'gong.flows.prospects.assign-cool-off-override',
    (f) => ({
      crmProspectsIds: ['00Q3x000021nWJ8EAM'],
      flowId: f.flowId,
      flowInstanceOwnerEmail: f.userEmail,
    }),
  ],
  ['gong.flows.prospects.bulk-assignments.get', (f) => ({ id: f.bulkAssignmentId })],
  [
    'gong.flows.prospects.unassign-by-instance-id',
    (f) => ({ flowInstanceIds: [f.flowInstanceId], unassignedByUserEmail: f.userEmail }),
  ],
  ['gong.flows.prospects.unassign-by-crm-id', (f) => ({ flowId: f.flowId })],
  ['gong.flows.steps.list', (f) => ({ flowIds: [f.flowId] })],
  [
    'gong.tasks.list',
    (f) => ({
      filter: { userId: f.taskUserId, types: ['FLOW', 'MANUAL'], taskAction: ['CALL'], status: ['OPEN'] },
    }),
  ],
  ['gong.tasks.update', (f) => ({ taskId: f.taskId, userId: f.taskUserId })],
  ['gong.permission-profiles.list', (f) => ({ workspaceId: f.workspaceId })],
  ['gong.permission-profiles.get', (f) => ({ profileId: f.profileId })],
  ['gong.permission-profiles.create', (f) => ({ workspaceId: f.workspaceId, name: 'Sales reps (new)' })],
  ['gong.permission-profiles.update', (f) => ({ profileId: f.profileId })],
  ['gong.permission-profiles.users.list', (f) => ({ profileId: f.profileId })],
  ['gong.entities.brief.get', (f) => ({ workspaceId: f.workspaceId, crmEntityId: f.accountCrmId })],
  ['gong.entities.ask', (f) => ({ workspaceId: f.workspaceId, crmEntityId: f.dealCrmId })],
];

/** Values one action creates and later ones need. */
function harvest(name: string, output: Record<string, unknown>, f: Fixture): void {
  if (name === 'gong.calls.create') f.newCallId = String(output['callId']);
  if (name === 'gong.meetings.create') f.meetingId = String(output['meetingId']);
  if (name === 'gong.crm.integrations.register') f.integrationId = String(output['integrationId']);
  if (name === 'gong.flows.prospects.assign') {
    f.bulkAssignmentId = String(output['bulkAssignmentId']);
    f.flowInstanceId = String(
      (output['prospectsAssigned'] as { flowInstanceId: string }[])[0]?.flowInstanceId,
    );
  }
}

const ORDER = [
  ...OVERRIDES.map(([name]) => name),
  ...[...GONG_ACTIONS.keys()].filter((name) => !OVERRIDES.some(([overridden]) => overridden === name)),
  'gong.request',
];

describe('every catalog action through GongClient against the emulator', () => {
  let emulator: GongEmulator;
  let client: GongClient;
  let files: Awaited<ReturnType<typeof startFileServer>>;
  const f = {} as Fixture;
  const overrides = new Map(OVERRIDES);

  beforeAll(async () => {
    ({ emulator } = await startTestEmulator());
    client = emulatorClient(emulator);
    files = await startFileServer({
      'recording.mp3': { body: Buffer.from('ID3 fake mp3 bytes '.repeat(1_000)), type: 'audio/mpeg' },
    });
    f.mediaUrl = files.url('recording.mp3');
    const call = async (name: string, input: Record<string, unknown>) =>
      (await client.callAction(findGongAction(name)!, input)) as Record<string, unknown>;
    const users = (await call('gong.users.list', {}))['users'] as {
      id: string;
      emailAddress: string;
      managerId: string | null;
    }[];
    const rep = users.find((user) => user.managerId)!;
    Object.assign(f, { userId: rep.id, userEmail: rep.emailAddress, managerId: rep.managerId });
    f.workspaceId = ((await call('gong.workspaces.list', {}))['workspaces'] as { id: string }[])[0]!.id;
    const calls = (
      await call('gong.calls.extensive', {
        filter: {},
        contentSelector: { context: 'Extended', exposedFields: { parties: true } },
      })
    )['calls'] as {
      metaData: { id: string };
      context: { objects: { objectType: string; objectId: string }[] }[];
    }[];
    const withDeal = calls.find((candidate) =>
      candidate.context[0]?.objects.some((object) => object.objectType === 'Opportunity'),
    )!;
    f.callId = withDeal.metaData.id;
    const objects = withDeal.context[0]!.objects;
    f.accountCrmId = objects.find((object) => object.objectType === 'Account')!.objectId;
    f.dealCrmId = objects.find((object) => object.objectType === 'Opportunity')!.objectId;
    f.folderId = ((await call('gong.library.folders.list', {}))['folders'] as { id: string }[])[0]!.id;
    f.flowId = (
      (await call('gong.flows.list', { flowOwnerEmail: f.userEmail }))['flows'] as { id: string }[]
    )[0]!.id;
    f.profileId = (
      (await call('gong.permission-profiles.list', { workspaceId: f.workspaceId }))['profiles'] as {
        id: string;
      }[]
    )[0]!.id;
    for (const user of users) {
      const filter = { userId: user.id, types: ['FLOW', 'MANUAL'], taskAction: ['CALL'], status: ['OPEN'] };
      const tasks = (await call('gong.tasks.list', { filter }))['tasks'] as {
        id: string | number;
      }[];
      if (tasks.length > 0) {
        f.taskUserId = user.id;
        f.taskId = String(tasks[0]!.id);
        break;
      }
    }
  });
  afterAll(async () => {
    await files?.close();
    await emulator?.close();
  });

  it('runs every catalog action, plus gong.request', () => {
    expect([...GONG_ACTIONS.keys()].filter((name) => !ORDER.includes(name))).toEqual([]);
    expect(ORDER.filter((name) => name !== 'gong.request' && !GONG_ACTIONS.has(name))).toEqual([]);
  });

  for (const name of ORDER) {
    it(name, async () => {
      const action = findGongAction(name)!;
      const example = action.example as Record<string, unknown>;
      const merged = { ...example, ...(overrides.get(name)?.(f, example) ?? {}) };
      const input = action.input.parse(JSON.parse(JSON.stringify(merged))) as Record<string, unknown>;
      const before = Math.max(0, ...emulator.admin.requestLog().map((entry) => entry.seq));
      const output = (await client.callAction(action, input)) as Record<string, unknown>;
      const parsed = actionOutputSchema(action).safeParse(output);
      if (!parsed.success) throw new Error(`${name}: ${JSON.stringify(parsed.error.issues, null, 2)}`);
      expect(output).not.toHaveProperty('requestId');
      const sent = emulator.admin.requestLog({ sinceSeq: before });
      expect(sent.length).toBeGreaterThan(0);
      expect(sent.every((entry) => (entry.status >= 200 && entry.status < 300) || entry.status === 404)).toBe(
        true,
      );
      harvest(name, output, f);
    });
  }

  it('sent a media file downloaded from its URL as a multipart part', () => {
    const upload = emulator.admin
      .requestLog()
      .find((entry) => entry.method === 'PUT' && entry.path === `/v2/calls/${f.newCallId}/media`);
    expect(upload?.status).toBe(201);
    expect(upload?.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
  });

  it('sent the CRM lookup as a GET with a JSON array body and query parameters', () => {
    const lookup = emulator.admin
      .requestLog()
      .find((entry) => entry.method === 'GET' && entry.path === '/v2/crm/entities');
    // Without its JSON body Gong (and the emulator) answer 415: a 200 means the array body arrived.
    expect(lookup?.status).toBe(200);
    expect(lookup?.query).toEqual({ integrationId: f.integrationId, objectType: 'ACCOUNT' });
  });

  it('emulator saw no internal errors', () => {
    expect(emulator.admin.internalErrors()).toEqual([]);
  });
});
