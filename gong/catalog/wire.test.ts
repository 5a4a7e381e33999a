import { GONG_ACTION_GROUPS, findGongAction } from './index';
import type { GongActionDefinition } from './types';
import { toWireRequest } from './wire';

const actions: GongActionDefinition[] = GONG_ACTION_GROUPS.flatMap((group) => [...group.actions]);

function wireOf(name: string, input?: Record<string, unknown>) {
  const action = findGongAction(name);
  if (!action) throw new Error(`no action ${name}`);
  return toWireRequest(action, input ?? (action.example as Record<string, unknown>));
}

describe('toWireRequest', () => {
  it.each(actions.map((action) => [action.name, action] as const))(
    '%s: the example maps onto one request without leftovers',
    (_name, action) => {
      const wire = toWireRequest(action, action.example as Record<string, unknown>);
      expect(wire.path).not.toMatch(/[{}]/);
      expect(wire.query).not.toHaveProperty('maxItems');
      if (action.inputIn !== 'body') expect(wire.body).toBeUndefined();
      if (action.inputIn !== 'multipart') expect(wire.files).toEqual({});
      // Paginated POSTs need an object body to carry the cursor.
      if (action.pagination && action.method !== 'GET') expect(action.bodyField).toBeUndefined();
    },
  );

  it('fills and encodes path parameters', () => {
    expect(wireOf('gong.users.settings-history.get', { id: '234599484848423' }).path).toBe(
      '/v2/users/234599484848423/settings-history',
    );
    expect(wireOf('gong.flows.prospects.bulk-assignments.get', { id: 'a/b c' }).path).toBe(
      '/v2/flows/prospects/bulk-assignments/a%2Fb%20c',
    );
  });

  it('puts GET fields in the query and drops gongflow options', () => {
    expect(
      wireOf('gong.calls.list', {
        fromDateTime: '2024-05-01T00:00:00Z',
        toDateTime: '2024-05-08T00:00:00Z',
        maxItems: 10,
      }),
    ).toEqual({
      method: 'GET',
      path: '/v2/calls',
      query: { fromDateTime: '2024-05-01T00:00:00Z', toDateTime: '2024-05-08T00:00:00Z' },
      body: undefined,
      files: {},
    });
  });

  it('splits query fields from the body where Gong mixes them', () => {
    const wire = wireOf('gong.permission-profiles.create', { workspaceId: '623457276584334', name: 'Reps' });
    expect(wire.query).toEqual({ workspaceId: '623457276584334' });
    expect(wire.body).toEqual({ name: 'Reps' });
  });

  it('sends a bodyField value as the whole JSON body', () => {
    const wire = wireOf('gong.crm.entities.get', {
      integrationId: '5517027188234206000',
      objectType: 'DEAL',
      objectsCrmIds: ['1234', '8765'],
    });
    expect(wire).toMatchObject({
      method: 'GET',
      query: { integrationId: '5517027188234206000', objectType: 'DEAL' },
      body: ['1234', '8765'],
    });
  });

  it('keeps files apart for multipart uploads', () => {
    const file = { url: 'https://recordings.acme.com/1.mp3' };
    expect(wireOf('gong.calls.media.upload', { id: '7782342274025937895', mediaFile: file })).toEqual({
      method: 'PUT',
      path: '/v2/calls/7782342274025937895/media',
      query: {},
      body: undefined,
      files: { mediaFile: file },
    });
    const upload = wireOf('gong.crm.entities.upload');
    expect(Object.keys(upload.query).sort()).toEqual(['clientRequestId', 'integrationId', 'objectType']);
    expect(Object.keys(upload.files)).toEqual(['dataFile']);
  });

  it('refuses a missing path parameter', () => {
    expect(() => wireOf('gong.calls.get', {})).toThrow('path parameter "id" is missing');
  });
});

describe('toWireRequest: fields the catalog does not know', () => {
  it('go in the JSON body of object-body actions', () => {
    const wire = wireOf('gong.users.extensive', { filter: { includeAvatars: false }, department: 'sales' });
    expect(wire.body).toEqual({ filter: { includeAvatars: false }, department: 'sales' });
    expect(wire.query).toEqual({});
  });

  it('go in the query string of GETs, bare-array bodies and multipart uploads', () => {
    expect(wireOf('gong.call-outcomes.list', { limit: 100 }).query).toEqual({ limit: '100' });
    const schema = wireOf('gong.crm.entity-schema.upload', {
      integrationId: '2271307570613351879',
      objectType: 'ACCOUNT',
      fields: [],
      dryRun: true,
    });
    expect(schema).toMatchObject({
      query: { integrationId: '2271307570613351879', objectType: 'ACCOUNT', dryRun: 'true' },
      body: [],
    });
    const upload = wireOf('gong.calls.media.upload', {
      id: '7782342274025937895',
      mediaFile: { url: 'https://recordings.example/1.mp3' },
      note: 'x',
    });
    expect(upload).toMatchObject({
      query: { note: 'x' },
      files: { mediaFile: { url: 'https://recordings.example/1.mp3' } },
    });
  });
});
