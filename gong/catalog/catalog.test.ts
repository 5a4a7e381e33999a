import { z } from 'zod';
import { PAGINATION_CONTROL_KEYS } from './common';
import { GONG_ACTION_GROUPS, GONG_ACTIONS, LEFT_OUT_OPERATIONS } from './index';
import { actionOutputSchema } from './output';
import { GONG_SCOPES, isKnownGongScope, missingScopes, requiredScopes } from './scopes';
import type { GongActionDefinition, HttpMethod } from './types';

const actions: GongActionDefinition[] = GONG_ACTION_GROUPS.flatMap((group) => [...group.actions]);

/**
 * Every operation of Gong's official OpenAPI exports, written out by hand from the two exports (2024-11:
 * 53 operations; 2024-02: 63, of which 11 are not in 2024-11, which in turn added GET /v2/coaching). Each
 * must be a catalog entry or a documented left-out operation.
 */
const OPENAPI_2024_11: ReadonlyArray<readonly [HttpMethod, string]> = [
  ['GET', '/v2/calls'],
  ['POST', '/v2/calls'],
  ['GET', '/v2/calls/{id}'],
  ['POST', '/v2/calls/extensive'],
  ['POST', '/v2/calls/transcript'],
  ['GET', '/v2/calls/manual-crm-associations'],
  ['PUT', '/v2/calls/users-access'],
  ['POST', '/v2/calls/users-access'],
  ['DELETE', '/v2/calls/users-access'],
  ['GET', '/v2/users'],
  ['GET', '/v2/users/{id}'],
  ['GET', '/v2/users/{id}/settings-history'],
  ['POST', '/v2/users/extensive'],
  ['POST', '/v2/stats/interaction'],
  ['POST', '/v2/stats/activity/scorecards'],
  ['POST', '/v2/stats/activity/day-by-day'],
  ['POST', '/v2/stats/activity/aggregate'],
  ['POST', '/v2/stats/activity/aggregate-by-period'],
  ['GET', '/v2/workspaces'],
  ['GET', '/v2/settings/trackers'],
  ['GET', '/v2/settings/scorecards'],
  ['GET', '/v2/library/folders'],
  ['GET', '/v2/library/folder-content'],
  ['GET', '/v2/logs'],
  ['GET', '/v2/coaching'],
  ['POST', '/v2/meetings'],
  ['PUT', '/v2/meetings/{meetingId}'],
  ['DELETE', '/v2/meetings/{meetingId}'],
  ['POST', '/v2/meetings/integration/status'],
  ['GET', '/v2/crm/integrations'],
  ['PUT', '/v2/crm/integrations'],
  ['DELETE', '/v2/crm/integrations'],
  ['GET', '/v2/crm/entity-schema'],
  ['POST', '/v2/crm/entity-schema'],
  ['GET', '/v2/crm/entities'],
  ['GET', '/v2/crm/request-status'],
  ['GET', '/v2/flows'],
  ['POST', '/v2/flows/prospects'],
  ['POST', '/v2/flows/prospects/assign'],
  ['GET', '/v2/data-privacy/data-for-phone-number'],
  ['GET', '/v2/data-privacy/data-for-email-address'],
  ['POST', '/v2/data-privacy/erase-data-for-phone-number'],
  ['POST', '/v2/data-privacy/erase-data-for-email-address'],
  ['GET', '/v2/permission-profile'],
  ['PUT', '/v2/permission-profile'],
  ['POST', '/v2/permission-profile'],
  ['GET', '/v2/permission-profile/users'],
  ['GET', '/v2/all-permission-profiles'],
  ['PUT', '/v2/customer-engagement/content/viewed'],
  ['PUT', '/v2/customer-engagement/content/shared'],
  ['PUT', '/v2/customer-engagement/action'],
  ['POST', '/v2/digital-interaction'],
  ['POST', '/v2/integration-settings'],
];

/** Operations of the 2024-02 export that the 2024-11 export no longer has. */
const OPENAPI_2024_02_ONLY: ReadonlyArray<readonly [HttpMethod, string]> = [
  ['PUT', '/v2/calls/{id}/media'],
  ['POST', '/v2/crm/entities'],
  ['PUT', '/v2/crm/integration/new'],
  ['GET', '/v2/crm/integration/list'],
  ['DELETE', '/v2/crm/integration/delete'],
  ['POST', '/v2/crm/object/entities'],
  ['GET', '/v2/crm/object/list'],
  ['POST', '/v2/crm/object/schema'],
  ['GET', '/v2/crm/object/schema/list'],
  ['POST', '/v2/crm/map/users'],
  ['POST', '/v2/crm/stages'],
];

/** Endpoints documented after the last export (help center) or seen in real Gong answers. */
const NEWER_ENDPOINTS: ReadonlyArray<readonly [HttpMethod, string]> = [
  ['GET', '/v2/call-outcomes'],
  ['GET', '/v2/flows/folders'],
  ['POST', '/v2/flows/prospects/assign/cool-off-override'],
  ['GET', '/v2/flows/prospects/bulk-assignments/{id}'],
  ['POST', '/v2/flows/prospects/unassign-flows-by-instance-id'],
  ['POST', '/v2/flows/prospects/unassign-flows-by-crm-id'],
  ['POST', '/v2/flows/steps'],
  ['POST', '/v2/tasks'],
  ['PATCH', '/v2/tasks/{taskId}'],
  ['GET', '/v2/integration-settings'],
  ['GET', '/v2/entities/get-brief'],
  ['GET', '/v2/entities/ask-entity'],
  ['GET', '/v2/askanything/generate-brief'],
];

/** Every scope of gong-api.md section 3, as the reference lists it. */
const REFERENCE_SCOPES = [
  'api:calls:read:basic',
  'api:calls:read:extensive',
  'api:calls:read:media-url',
  'api:calls:read:transcript',
  'api:calls:create',
  'api:crm-calls:manual-association:read',
  'api:call-user-access:read',
  'api:call-user-access:write',
  'api:users:read',
  'api:workspaces:read',
  'api:settings:scorecards:read',
  'api:settings:trackers:read',
  'api:library:read',
  'api:stats:user-actions',
  'api:stats:user-actions:detailed',
  'api:stats:scorecards',
  'api:stats:interaction',
  'api:logs:read',
  'api:coaching:read',
  'api:meetings:user:create',
  'api:meetings:user:update',
  'api:meetings:user:delete',
  'api:meetings:integration:status',
  'api:crm:integration:register',
  'api:crm:integrations:read',
  'api:crm:integration:delete',
  'api:crm:upload',
  'api:crm:get-objects',
  'api:crm:schema',
  'api:data-privacy:read',
  'api:data-privacy:delete',
  'api:engagement-data:write',
  'api:digital-interactions:write',
  'api:integration-settings:write',
  'api:flows:read',
  'api:flows:write',
  'api:call-outcomes:read',
  'api:tasks:read',
  'api:tasks:write',
  'api:ai-briefer:read',
  'api:provisioning:read',
  'api:provisioning:read-write',
  'api:permission-profile:read',
  'api:permission-profile:write',
];

const operationKey = (method: string, path: string) => `${method} ${path}`;

function inputShape(action: GongActionDefinition): Record<string, z.ZodType> {
  const shape = (action.input as unknown as { shape?: Record<string, z.ZodType> }).shape;
  if (!shape) throw new Error(`${action.name}: input is not an object schema`);
  return shape;
}

function responseShape(action: GongActionDefinition): Record<string, z.ZodType> {
  const shape = (action.response as unknown as { shape?: Record<string, z.ZodType> }).shape;
  if (!shape) throw new Error(`${action.name}: response is not an object schema`);
  return shape;
}

function pathParams(path: string): string[] {
  return [...path.matchAll(/\{([^}]+)\}/g)].map((match) => match[1] ?? '');
}

describe('Gong action catalog', () => {
  it('has unique, well-formed action names', () => {
    const names = actions.map((action) => action.name);
    expect(new Set(names).size).toBe(names.length);
    expect(GONG_ACTIONS.size).toBe(names.length);
    for (const name of names) expect(name).toMatch(/^gong(\.[a-z][a-z0-9]*(-[a-z0-9]+)*){2,4}$/);
  });

  it('has one entry per (method, path)', () => {
    const keys = actions.map((action) => operationKey(action.method, action.path));
    expect(new Set(keys).size).toBe(keys.length);
  });

  it.each(actions.map((action) => [action.name, action] as const))(
    '%s: path parameters are required input fields',
    (_name, action) => {
      const shape = inputShape(action);
      for (const param of pathParams(action.path)) {
        const field = shape[param];
        expect(field).toBeDefined();
        expect(field?.safeParse(undefined).success).toBe(false);
      }
    },
  );

  it.each(actions.map((action) => [action.name, action] as const))(
    '%s: the example parses with the input schema',
    (_name, action) => {
      const result = action.input.safeParse(action.example);
      if (!result.success) throw new Error(z.prettifyError(result.error));
    },
  );

  it.each(actions.map((action) => [action.name, action] as const))(
    '%s: wiring fields exist and fit where the input goes',
    (_name, action) => {
      const shape = inputShape(action);
      for (const field of [...(action.queryFields ?? []), ...(action.bodyField ? [action.bodyField] : [])])
        expect(Object.keys(shape)).toContain(field);
      if (action.queryFields || action.bodyField) expect(['body', 'multipart']).toContain(action.inputIn);
      if (action.method === 'GET' && !action.bodyField) expect(['query', 'none']).toContain(action.inputIn);
      if (action.inputIn === 'none') expect(Object.keys(shape)).toEqual([]);
      // The client manages the cursor; inputs never carry it.
      expect(Object.keys(shape)).not.toContain('cursor');
    },
  );

  it.each(actions.map((action) => [action.name, action] as const))(
    '%s: inputs reject unknown fields',
    (_name, action) => {
      const example = action.example as Record<string, unknown>;
      expect(action.input.safeParse({ ...example, notAGongField: 1 }).success).toBe(false);
    },
  );

  it.each(actions.map((action) => [action.name, action] as const))(
    '%s: the response has requestId and a derivable output',
    (_name, action) => {
      expect(responseShape(action)['requestId']).toBeDefined();
      expect(() => actionOutputSchema(action)).not.toThrow();
      expect(action.timeoutMs).toBeGreaterThan(0);
      if (action.method === 'GET') expect(action.semantics).toBe('read');
    },
  );

  const paginated = actions.filter((action) => action.pagination);

  it.each(paginated.map((action) => [action.name, action] as const))(
    '%s: a page has records and the items array; maxItems is accepted',
    (_name, action) => {
      const itemsKey = action.pagination?.itemsKey ?? '';
      const shape = responseShape(action);
      expect(shape['records']).toBeDefined();
      expect(shape[itemsKey]).toBeInstanceOf(z.ZodArray);
      expect(Object.keys(inputShape(action))).toEqual(expect.arrayContaining([...PAGINATION_CONTROL_KEYS]));
      const lastPage = {
        requestId: 'abcdefghij0123456',
        records: { totalRecords: 0, currentPageSize: 0, currentPageNumber: 0 },
        [itemsKey]: [],
      };
      expect(action.response.safeParse(lastPage).success).toBe(true);
      expect(action.response.safeParse({ ...lastPage, [itemsKey]: undefined }).success).toBe(false);
    },
  );

  it('treats Gong\'s "No ... found corresponding to the provided filters" 404 as empty for the searches', () => {
    const flagged = actions
      .filter((action) => action.emptyOn404Messages?.length)
      .map((action) => action.name);
    expect(flagged.sort()).toEqual([
      'gong.calls.extensive',
      'gong.calls.list',
      'gong.calls.transcripts',
      'gong.stats.activity.aggregate',
      'gong.stats.activity.aggregate-by-period',
      'gong.stats.activity.day-by-day',
      'gong.stats.activity.scorecards',
      'gong.stats.interaction',
      'gong.users.extensive',
    ]);
    for (const action of actions.filter((candidate) => candidate.emptyOn404Messages))
      expect(action.pagination).toBeDefined();
  });

  it('covers every operation of both exports and of the newer docs, or lists it as left out', () => {
    const covered = new Set(actions.map((action) => operationKey(action.method, action.path)));
    const leftOut = new Set(
      LEFT_OUT_OPERATIONS.map((operation) => operationKey(operation.method, operation.path)),
    );
    const missing = [...OPENAPI_2024_11, ...OPENAPI_2024_02_ONLY, ...NEWER_ENDPOINTS]
      .map(([method, path]) => operationKey(method, path))
      .filter((key) => !covered.has(key) && !leftOut.has(key));
    expect(missing).toEqual([]);
    expect([...leftOut].filter((key) => covered.has(key))).toEqual([]);
    expect(OPENAPI_2024_11).toHaveLength(53);
    expect(OPENAPI_2024_02_ONLY).toHaveLength(11);
  });

  it('catalogs no operation that is neither in the exports nor in the newer docs', () => {
    const known = new Set(
      [...OPENAPI_2024_11, ...OPENAPI_2024_02_ONLY, ...NEWER_ENDPOINTS].map(([method, path]) =>
        operationKey(method, path),
      ),
    );
    const unknown = actions
      .map((action) => operationKey(action.method, action.path))
      .filter((key) => !known.has(key));
    expect(unknown).toEqual([]);
  });

  it('gives every left-out operation a reason', () => {
    for (const operation of LEFT_OUT_OPERATIONS) expect(operation.reason.length).toBeGreaterThan(20);
  });

  it('uses only known Gong scopes, and says so when a scope is unknown', () => {
    for (const action of actions) {
      for (const scope of action.scopes)
        expect({ action: action.name, known: isKnownGongScope(scope) }).toEqual({
          action: action.name,
          known: true,
        });
      expect(action.scopes.length === 0).toBe(action.scopeSource === 'unknown');
      for (const condition of action.conditionalScopes ?? []) {
        for (const scope of condition.scopes) expect(isKnownGongScope(scope)).toBe(true);
        let node: unknown = action.input;
        for (const key of condition.inputPath) {
          const shape = (unwrap(node) as { shape?: Record<string, unknown> }).shape;
          node = shape?.[key];
          expect({ action: action.name, key, exists: node !== undefined }).toEqual({
            action: action.name,
            key,
            exists: true,
          });
        }
      }
    }
  });

  it('requires the media-url scope only when extensive call data asks for media', () => {
    const extensive = GONG_ACTIONS.get('gong.calls.extensive');
    if (!extensive) throw new Error('gong.calls.extensive is missing');
    const withMedia = { filter: {}, contentSelector: { exposedFields: { media: true } } };
    expect(requiredScopes(extensive)).toEqual(['api:calls:read:extensive']);
    expect(requiredScopes(extensive, { filter: {} })).toEqual(['api:calls:read:extensive']);
    expect(requiredScopes(extensive, withMedia)).toEqual([
      'api:calls:read:extensive',
      'api:calls:read:media-url',
    ]);
    expect(missingScopes(extensive, ['api:calls:read:extensive'], withMedia)).toEqual([
      'api:calls:read:media-url',
    ]);
    expect(
      missingScopes(extensive, ['api:calls:read:extensive', 'api:calls:read:media-url'], withMedia),
    ).toEqual([]);
  });
});

/** Looks through optional/nullable wrappers to the object schema inside. */
function unwrap(schema: unknown): unknown {
  let current = schema as { unwrap?: () => unknown } | undefined;
  while (current && typeof current.unwrap === 'function') current = current.unwrap() as typeof current;
  return current;
}

describe('Gong scope list', () => {
  it('holds every scope of the reference, once, each with a description', () => {
    const scopes = GONG_SCOPES.map((entry) => entry.scope);
    expect(new Set(scopes).size).toBe(scopes.length);
    expect([...scopes].sort()).toEqual([...REFERENCE_SCOPES].sort());
    for (const entry of GONG_SCOPES) expect(entry.description.length).toBeGreaterThan(5);
  });
});

describe('inputs real Gong accepted (recorded traffic, issue 18)', () => {
  const input = (name: string, value: unknown) => {
    const action = GONG_ACTIONS.get(name);
    if (!action) throw new Error(`no action ${name}`);
    return action.input.safeParse(value);
  };

  it('takes call parties with speakerId and affiliation', () => {
    const result = input('gong.calls.create', {
      clientUniqueId: 'nango-test-upload-call-004',
      actualStart: '2026-06-11T10:00:00Z',
      direction: 'Inbound',
      primaryUser: '1597409306735779049',
      parties: [
        {
          speakerId: 's1',
          emailAddress: 'api@nango.dev',
          affiliation: 'Internal',
          userId: '1597409306735779049',
        },
        {
          speakerId: 's2',
          emailAddress: 'external@example.com',
          affiliation: 'External',
          name: 'External Caller',
        },
      ],
    });
    if (!result.success) throw new Error(z.prettifyError(result.error));
  });

  it('lists calls without a date range', () => {
    expect(input('gong.calls.list', {}).success).toBe(true);
  });

  it("takes the export's profile id in a permission profile body", () => {
    const body = { name: 'Nango Test Profile', libraryFolderAccess: { permissionLevel: 'none' } };
    expect(
      input('gong.permission-profiles.create', {
        workspaceId: '7273476131570014205',
        id: '9999999999999999999',
        ...body,
      }).success,
    ).toBe(true);
  });
});
