import { randomUUID } from 'node:crypto';
import { compileDefinition } from '../../definitions/compile';
import type { Plan } from '../../definitions/plan';
import { followRun, type RunOutcome } from '../../runs/follow';
import { startRun } from '../../runs/start';
import { FAILURE_TYPES } from '../../core/failure-types';
import { startTestEngine, type TestEngine } from '../support/engine';

/**
 * runGongAction inside real runs (dev server, worker, emulator): the failure classes reach the workflow as
 * ApplicationFailures with the right type, retryability and delay, and retried calls succeed.
 */

function plan(steps: string, input = ''): Plan {
  const compiled = compileDefinition(
    `name: gong-activity\nversion: 1\n${input}steps:\n${steps}output: \${{ steps.call.output }}\n`,
    'gong-activity.yaml',
  );
  if (!compiled.ok) throw new Error(JSON.stringify(compiled.problems));
  return compiled.plan;
}

const LIST_WORKSPACES = plan('  - { id: call, action: gong.workspaces.list }\n');

describe('runGongAction in runs', () => {
  let engine: TestEngine;
  let companyId: string;

  beforeAll(async () => {
    engine = await startTestEngine();
    companyId = engine.emulator.defaultCompany.id;
  });
  afterAll(() => engine?.close());

  async function run(runPlan: Plan, connectionId = 'emulator', input: Record<string, unknown> = {}) {
    const handle = await startRun(engine.client, {
      plan: runPlan,
      input,
      connectionId,
      taskQueue: engine.taskQueue,
      workflowId: `gong-activity-${randomUUID()}`,
    });
    return followRun(handle, { pollIntervalMs: 250 });
  }

  function sentTo(path: string, sinceSeq: number) {
    return engine.emulator.admin.requestLog({ sinceSeq }).filter((entry) => entry.path === path);
  }
  const lastSeq = () => Math.max(0, ...engine.emulator.admin.requestLog().map((entry) => entry.seq));

  it('runs a paginated action and returns every page merged', async () => {
    const outcome = await run(plan('  - { id: call, action: gong.users.list }\n'));
    expect(outcome.status).toBe('completed');
    const output = (outcome as Extract<RunOutcome, { status: 'completed' }>).output as {
      users: unknown[];
      totalRecords: number;
    };
    expect(output.users).toHaveLength(output.totalRecords);
    expect(output.totalRecords).toBeGreaterThan(100);
  });

  it('runs gong.request with the connection', async () => {
    const outcome = await run(
      plan('  - { id: call, action: gong.request, with: { method: GET, path: /v2/workspaces } }\n'),
    );
    expect(outcome.status).toBe('completed');
    const output = (outcome as Extract<RunOutcome, { status: 'completed' }>).output as Record<
      string,
      unknown
    >;
    expect(Array.isArray(output['workspaces'])).toBe(true);
  });

  it('sends input fields the catalog does not know as given: in the query of a GET, in a built body', async () => {
    const since = lastSeq();
    // The filter is built by an expression, so only the activity sees its unknown "department" field.
    const outcome = await run(
      plan(
        [
          '  - { id: outcomes, action: gong.call-outcomes.list, with: { limit: 100 } }',
          '  - id: call',
          '    action: gong.users.extensive',
          '    with:',
          `      filter: '\${{ {"createdFromDateTime": "2020-01-01T00:00:00Z", "department": "sales"} }}'`,
          '      maxItems: 5',
          '',
        ].join('\n'),
      ),
    );
    expect(outcome.status).toBe('completed');
    expect(sentTo('/v2/call-outcomes', since).map((entry) => entry.query)).toEqual([{ limit: '100' }]);
    expect(sentTo('/v2/users/extensive', since)[0]?.body).toEqual({
      filter: { createdFromDateTime: '2020-01-01T00:00:00Z', department: 'sales' },
    });
  });

  it('missing scope: fails at once with GongMissingScopeError naming the scope', async () => {
    const key = engine.emulator.admin.createAccessKey(companyId, { scopes: ['api:users:read'] });
    engine.connections.register({
      id: 'users-only',
      type: 'key',
      baseUrl: engine.emulator.defaultCompany.apiBaseUrl,
      accessKey: key.accessKey,
      accessKeySecret: key.accessKeySecret,
    });
    const since = lastSeq();
    const outcome = await run(LIST_WORKSPACES, 'users-only');
    expect(outcome).toMatchObject({ status: 'failed', failureType: FAILURE_TYPES.missingScope });
    const message = (outcome as { message: string }).message;
    expect(message).toContain("lacks the scope 'api:workspaces:read'");
    expect(message).toMatch(/Gong requestId [a-z0-9]+/);
    expect(sentTo('/v2/workspaces', since)).toHaveLength(1);
  });

  it('bad credentials: fails at once with GongAuthError', async () => {
    engine.connections.register({
      id: 'wrong-secret',
      type: 'key',
      baseUrl: engine.emulator.defaultCompany.apiBaseUrl,
      accessKey: engine.emulator.defaultCompany.accessKey,
      accessKeySecret: 'wrong-secret-value',
    });
    const since = lastSeq();
    const outcome = await run(LIST_WORKSPACES, 'wrong-secret');
    expect(outcome).toMatchObject({ status: 'failed', failureType: FAILURE_TYPES.auth });
    expect(sentTo('/v2/workspaces', since)).toHaveLength(1);
  });

  it('429: retried after Retry-After (nextRetryDelay), then succeeds', async () => {
    const since = lastSeq();
    engine.emulator.admin.setFaults(companyId, { rateLimitStormMs: 2_000 });
    const outcome = await run(LIST_WORKSPACES);
    expect(outcome.status).toBe('completed');
    const calls = sentTo('/v2/workspaces', since);
    expect(calls.map((entry) => entry.status)).toEqual([429, 200]);
    const gapMs = Date.parse(calls[1]!.time) - Date.parse(calls[0]!.time);
    // Retry-After said 2 s: the retry waited for it (the catalog's initial retry interval is 1 s).
    expect(gapMs).toBeGreaterThanOrEqual(1_900);
  });

  it('5xx and dropped connections: retried, then succeeds', async () => {
    const since = lastSeq();
    engine.emulator.admin.setFaults(companyId, { failNext: 1, errorStatus: 502 });
    const first = await run(LIST_WORKSPACES);
    expect(first.status).toBe('completed');
    engine.emulator.admin.setFaults(companyId, { dropNext: 1 });
    const second = await run(LIST_WORKSPACES);
    expect(second.status).toBe('completed');
    // A dropped connection is logged with status 0: no answer was sent.
    expect(sentTo('/v2/workspaces', since).map((entry) => entry.status)).toEqual([502, 200, 0, 200]);
  });

  it('an unknown ID: fails at once with GongNotFoundError', async () => {
    const outcome = await run(
      plan('  - { id: call, action: gong.calls.get, with: { id: "1234567890123456789" } }\n'),
    );
    expect(outcome).toMatchObject({ status: 'failed', failureType: FAILURE_TYPES.notFound });
    expect((outcome as { message: string }).message).toMatch(/Gong requestId [a-z0-9]+/);
  });
});
