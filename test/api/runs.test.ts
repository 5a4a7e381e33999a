import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { TemporalApiKeyStore } from '../../api/auth/api-keys';
import { ApiErrorSchema } from '../../api/errors';
import { GongflowApiError, GongflowClient } from '../../client/index';
import { loadPlan } from '../../definitions/load';
import { startRun } from '../../runs/start';
import { startTestEngine, type TestEngine } from '../support/engine';
import { definitionsFixture, eventually, startTestApi, type TestApi } from './support';
import { foreignClient } from '../support/foreign-client';

/** Rejects with the API error (status + code) a call answers. */
async function apiError(
  call: Promise<unknown>,
): Promise<{ status: number; code: string; details: unknown[] }> {
  try {
    await call;
  } catch (error) {
    if (error instanceof GongflowApiError)
      return { status: error.status, code: error.code, details: error.details };
    throw error;
  }
  throw new Error('expected the call to fail');
}

describe('runs over HTTP with the TypeScript client', () => {
  let engine: TestEngine;
  let api: TestApi;
  /** A definition only this file runs (no Gong calls), so listing its runs gives a set that holds still. */
  const paging = `paging-${randomUUID().slice(0, 8)}`;
  let definitionsDir: string;
  beforeAll(async () => {
    engine = await startTestEngine();
    definitionsDir = definitionsFixture();
    writeFileSync(
      path.join(definitionsDir, `${paging}.yaml`),
      `name: ${paging}\nversion: 1\nsteps:\n  - id: only\n    set: { x: 1 }\n`,
    );
    api = await startTestApi(engine, { definitionsDir });
  });
  afterAll(async () => {
    await api?.app.close();
    await engine?.close();
  });

  it('starts a run, follows it to completion, and reads its step log, status and listing', async () => {
    const started = await api.client.startRun({ definition: 'list-users', connection: 'emulator' });
    expect(started.created).toBe(true);
    expect(started.run).toMatchObject({
      definition: 'list-users',
      version: '1',
      connection: 'emulator',
      trigger: 'api',
    });

    const result = await api.client.waitForResult(started.run.id, { timeoutMs: 60_000 });
    if (result.status !== 'completed') throw new Error(`run ${result.status}: ${result.failure.message}`);
    const output = result.output as { total: number; listed: number };
    expect(output.total).toBeGreaterThan(100);
    expect(output.listed).toBe(output.total);

    const log = await api.client.stepLog(started.run.id);
    expect(log).toMatchObject({ id: started.run.id, definition: 'list-users@1', status: 'completed' });
    expect(log.steps.map((step) => `${step.id}:${step.status}`)).toEqual(['listUsers:completed']);

    const run = await api.client.getRun(started.run.id);
    expect(run.status).toBe('completed');
    expect(run.closedAt).toBeDefined();

    const listed = await eventually(async () => {
      const runs = await api.client.listRuns({
        definition: 'list-users',
        connection: 'emulator',
        status: 'completed',
      });
      return runs.find((candidate) => candidate.id === started.run.id);
    });
    expect(listed.status).toBe('completed');
    expect(await api.client.listRuns({ definition: 'no-such-definition' })).toEqual([]);
  });

  it('waits synchronously for the result when asked to', async () => {
    const started = await api.client.startRun(
      { definition: 'list-users', connection: 'emulator' },
      { waitMs: 60_000 },
    );
    expect(started.result?.status).toBe('completed');
    expect(started.run.status).toBe('completed');
  });

  it('starts one run per Idempotency-Key, however often the start is repeated', async () => {
    const idempotencyKey = randomUUID();
    const first = await api.client.startRun(
      { definition: 'list-users', connection: 'emulator' },
      { idempotencyKey },
    );
    const second = await api.client.startRun(
      { definition: 'list-users', connection: 'emulator' },
      { idempotencyKey },
    );
    expect(first.created).toBe(true);
    expect(second.created).toBe(false);
    expect(second.run.id).toBe(first.run.id);
    await api.client.waitForResult(first.run.id, { timeoutMs: 60_000 });
    const third = await api.client.startRun(
      { definition: 'list-users', connection: 'emulator' },
      { idempotencyKey },
    );
    expect(third).toMatchObject({ created: false, run: { id: first.run.id, status: 'completed' } });

    // The same request spelled differently (name@version, keys in another order) is the same request.
    const respelled = await api.client.startRun(
      { connection: 'emulator', definition: 'list-users@1' },
      { idempotencyKey },
    );
    expect(respelled).toMatchObject({ created: false, run: { id: first.run.id } });
  });

  it('refuses an Idempotency-Key reused with a different body: 409 RUN_IDEMPOTENCY_KEY_REUSED', async () => {
    const idempotencyKey = randomUUID();
    const first = await api.client.startRun(
      { definition: 'list-users', connection: 'emulator' },
      { idempotencyKey },
    );
    // While the first run is still going, and after it finished: other input, no connection.
    const differentInput = {
      definition: 'list-users',
      connection: 'emulator',
      input: { includeAvatars: true },
    };
    expect(await apiError(api.client.startRun(differentInput, { idempotencyKey }))).toMatchObject({
      status: 409,
      code: 'RUN_IDEMPOTENCY_KEY_REUSED',
    });
    await api.client.waitForResult(first.run.id, { timeoutMs: 60_000 });
    expect(
      await apiError(api.client.startRun({ definition: 'list-users' }, { idempotencyKey })),
    ).toMatchObject({ status: 409, code: 'RUN_IDEMPOTENCY_KEY_REUSED' });

    // Raw HTTP: the one error shape, with what to do about it.
    const response = await fetch(`${api.baseUrl}/v1/runs`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${api.apiKey}`,
        'content-type': 'application/json',
        'idempotency-key': idempotencyKey,
      },
      body: JSON.stringify(differentInput),
    });
    expect(response.status).toBe(409);
    expect(await response.json()).toEqual({
      error: {
        code: 'RUN_IDEMPOTENCY_KEY_REUSED',
        message: expect.stringContaining(first.run.id) as unknown,
        hint: expect.stringContaining('new Idempotency-Key') as unknown,
      },
    });

    // The same body still answers the first run; nothing else was started under the key.
    const again = await api.client.startRun(
      { definition: 'list-users', connection: 'emulator' },
      { idempotencyKey },
    );
    expect(again).toMatchObject({ created: false, run: { id: first.run.id, status: 'completed' } });
    const history = await engine.client.workflow.getHandle(first.run.id).fetchHistory();
    expect(history.events?.[0]?.workflowExecutionStartedEventAttributes).toBeDefined();
    const describedRuns: string[] = [];
    for await (const execution of engine.client.workflow.list({ query: `WorkflowId = '${first.run.id}'` }))
      describedRuns.push(execution.runId);
    expect(describedRuns).toEqual([first.run.temporalRunId]);
  });

  it('leaves out runs of other deployments, whose payloads this process cannot decrypt', async () => {
    const foreign = foreignClient(engine.client);
    const plan = loadPlan(path.join(definitionsDir, `${paging}.yaml`));
    const handle = await startRun(foreign, {
      plan,
      taskQueue: `foreign-${randomUUID()}`,
      memo: { idempotency: 'encrypted with a key this process lacks' },
    });
    try {
      // Once visibility shows the foreign run, our listing of the same definition must still answer.
      await eventually(async () => {
        const page = await foreign.workflowService.listWorkflowExecutions({
          namespace: foreign.options.namespace,
          query: `WorkflowId = '${handle.workflowId}'`,
        });
        return page.executions.length === 1 ? true : undefined;
      });
      const runs = await api.client.listRuns({ definition: paging });
      expect(runs.map((run) => run.id)).not.toContain(handle.workflowId);
    } finally {
      await handle.terminate('test over');
    }
  });

  it('lists runs page by page with nextPageToken (client, raw HTTP, bad tokens)', async () => {
    const ids: string[] = [];
    for (let index = 0; index < 3; index++) {
      const { run } = await api.client.startRun({ definition: paging });
      await api.client.waitForResult(run.id, { timeoutMs: 60_000 });
      ids.push(run.id);
    }
    const newestFirst = [...ids].reverse();
    await eventually(async () => {
      const { runs } = await api.client.listRunsPage({ definition: paging, status: 'completed', limit: 10 });
      return runs.length === 3 ? runs : undefined;
    });

    const first = await api.client.listRunsPage({ definition: paging, limit: 2 });
    expect(first.runs.map((run) => run.id)).toEqual(newestFirst.slice(0, 2));
    expect(first.nextPageToken).toEqual(expect.any(String));
    const second = await api.client.listRunsPage({
      definition: paging,
      limit: 2,
      pageToken: first.nextPageToken!,
    });
    expect(second.runs.map((run) => run.id)).toEqual(newestFirst.slice(2));
    expect(second.nextPageToken).toBeUndefined();

    const all: string[] = [];
    for await (const run of api.client.allRuns({ definition: paging, limit: 1 })) all.push(run.id);
    expect(all).toEqual(newestFirst);
    expect(await api.client.listRuns({ definition: paging, limit: 1 })).toHaveLength(1);

    const raw = await fetch(
      `${api.baseUrl}/v1/runs?definition=${paging}&limit=1&pageToken=${encodeURIComponent(first.nextPageToken!)}`,
      { headers: { authorization: `Bearer ${api.apiKey}` } },
    );
    expect(((await raw.json()) as { runs: Array<{ id: string }> }).runs.map((run) => run.id)).toEqual([
      newestFirst[2],
    ]);
    // Not a token at all, and a token of other filters.
    expect(
      await apiError(api.client.listRunsPage({ definition: 'list-users', pageToken: first.nextPageToken! })),
    ).toMatchObject({ status: 400, code: 'RUN_LIST_BAD_PAGE_TOKEN' });
    // A token of this listing's shape whose Temporal part is forged: Temporal refuses it (gRPC 2 or 3).
    const handedOut = JSON.parse(Buffer.from(first.nextPageToken!, 'base64url').toString('utf8')) as object;
    const forged = Buffer.from(
      JSON.stringify({ ...handedOut, t: Buffer.from('forged by hand').toString('base64') }),
    ).toString('base64url');
    for (const pageToken of ['not a token!', 'AAAA', forged]) {
      expect(await apiError(api.client.listRunsPage({ definition: paging, pageToken }))).toMatchObject({
        status: 400,
        code: 'RUN_LIST_BAD_PAGE_TOKEN',
      });
    }
  });

  it('answers bad requests with the documented error shape and code', async () => {
    expect(await apiError(api.client.startRun({ definition: 'nope', connection: 'emulator' }))).toMatchObject(
      {
        status: 404,
        code: 'DEFINITION_NOT_FOUND',
      },
    );
    const badInput = await apiError(
      api.client.startRun({
        definition: 'list-users',
        connection: 'emulator',
        input: { includeAvatars: 'yes' },
      }),
    );
    expect(badInput).toMatchObject({ status: 400, code: 'RUN_INVALID_INPUT' });
    expect(badInput.details[0]).toMatchObject({ path: 'input' });
    expect(
      await apiError(api.client.startRun({ definition: 'list-users', connection: 'nobody' })),
    ).toMatchObject({
      status: 404,
      code: 'CONNECTION_NOT_FOUND',
    });
    expect(
      await apiError(api.client.startRun({ definition: 'broken', connection: 'emulator' })),
    ).toMatchObject({
      status: 422,
      code: 'DEFINITION_INVALID',
    });
    expect(await apiError(api.client.getRun('no-such-run'))).toMatchObject({
      status: 404,
      code: 'RUN_NOT_FOUND',
    });

    // Raw HTTP: a body that breaks the schema, no key, a wrong key, a revoked key, an unknown route.
    const post = (headers: Record<string, string>, body: unknown): Promise<Response> =>
      fetch(`${api.baseUrl}/v1/runs`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify(body),
      });
    const auth = { authorization: `Bearer ${api.apiKey}` };
    const invalid = await post(auth, { input: [] });
    expect(invalid.status).toBe(400);
    const invalidBody = (await invalid.json()) as {
      error: { code: string; details: Array<{ path: string }> };
    };
    expect(invalidBody.error.code).toBe('API_INVALID_REQUEST');
    expect(invalidBody.error.details.map((detail) => detail.path)).toEqual(
      expect.arrayContaining(['body.definition', 'body.input']),
    );

    const missing = await post({}, { definition: 'list-users' });
    expect(missing.status).toBe(401);
    expect(await missing.json()).toEqual({
      error: {
        code: 'API_UNAUTHORIZED',
        message: expect.any(String) as unknown,
        hint: expect.stringContaining('Bearer') as unknown,
      },
    });
    const wrong = await post(
      { authorization: 'Bearer gfk_000000000000_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx' },
      {},
    );
    expect(wrong.status).toBe(401);

    const { key, record } = await api.keys.create('short-lived');
    const shortLived = new GongflowClient({ baseUrl: api.baseUrl, apiKey: key });
    await expect(shortLived.listDefinitions()).resolves.toEqual(expect.any(Array));
    await api.keys.revoke(record.id);
    expect(await apiError(shortLived.listDefinitions())).toMatchObject({
      status: 401,
      code: 'API_UNAUTHORIZED',
    });

    // The four bad requests of the API docs, raw: each answers exactly the documented Error schema (the
    // zod model /openapi.json publishes as components.schemas.Error) with its code and a hint.
    const cases: Array<[Record<string, string>, unknown, number, string]> = [
      [auth, { definition: 'nope', connection: 'emulator' }, 404, 'DEFINITION_NOT_FOUND'],
      [
        auth,
        { definition: 'list-users', connection: 'emulator', input: { includeAvatars: 'yes' } },
        400,
        'RUN_INVALID_INPUT',
      ],
      [auth, { definition: 'list-users', connection: 'nobody' }, 404, 'CONNECTION_NOT_FOUND'],
      [{}, { definition: 'list-users', connection: 'emulator' }, 401, 'API_UNAUTHORIZED'],
    ];
    for (const [headers, body, status, code] of cases) {
      const response = await post(headers, body);
      const raw: unknown = await response.json();
      // strict(): nothing beside `error`; parse() throws on anything the schema does not allow.
      const answer = ApiErrorSchema.strict().parse(raw);
      expect(answer).toEqual(raw);
      expect({ status: response.status, code: answer.error.code }).toEqual({ status, code });
      expect(answer.error.message.length).toBeGreaterThan(0);
    }

    const unknownRoute = await fetch(`${api.baseUrl}/v1/nothing-here`, { headers: auth });
    expect(unknownRoute.status).toBe(404);
    expect(((await unknownRoute.json()) as { error: { code: string } }).error.code).toBe(
      'API_ROUTE_NOT_FOUND',
    );
  });

  it('serves health and readiness without a key, metrics with one', async () => {
    expect(await (await fetch(`${api.baseUrl}/healthz`)).json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${api.baseUrl}/readyz`);
    expect(ready.status).toBe(200);
    expect((await fetch(`${api.baseUrl}/metrics`)).status).toBe(401);
    const metrics = await fetch(`${api.baseUrl}/metrics`, {
      headers: { authorization: `Bearer ${api.apiKey}` },
    });
    const text = await metrics.text();
    expect(text).toMatch(/gongflow_runs_started_total\{definition="list-users"\} [1-9]/);
    expect(text).toMatch(
      /gongflow_http_requests_total\{method="POST",route="\/v1\/runs",status="201"\} [1-9]/,
    );
  });

  it('hostile requests get gongflow errors, never a 500: deep JSON, long ids, floods of unknown keys', async () => {
    const deep = `${'{"a":'.repeat(5_000)}1${'}'.repeat(5_000)}`;
    const nested = await fetch(`${api.baseUrl}/v1/runs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${api.apiKey}` },
      body: `{"definition":"list-users","connection":"emulator","input":{"deep":${deep}}}`,
    });
    expect(nested.status).toBe(400);
    expect(((await nested.json()) as { error: { code: string } }).error.code).toBe('API_INVALID_REQUEST');

    const long = await fetch(`${api.baseUrl}/v1/runs/${'x'.repeat(5_000)}`, {
      headers: { authorization: `Bearer ${api.apiKey}` },
    });
    expect(long.status).toBeGreaterThanOrEqual(400);
    expect(long.status).toBeLessThan(500);
    expect(ApiErrorSchema.safeParse(await long.json()).success).toBe(true);

    // Made-up keys of the right shape each cost a Temporal lookup: a client that keeps sending them is
    // slowed down with 429 before it reaches Temporal, and a valid key from the same client still works.
    const guarded = await startTestApi(engine, { unknownKeyLimit: { windowMs: 60_000, maxFailures: 10 } });
    const use = () =>
      fetch(`${guarded.baseUrl}/v1/runs`, { headers: { authorization: `Bearer ${guarded.apiKey}` } });
    try {
      expect((await use()).status).toBe(200); // an integration at work, behind the same address
      const statuses: number[] = [];
      for (let attempt = 0; attempt < 15; attempt++) {
        const made = `gfk_${randomUUID().replace(/-/g, '').slice(0, 12)}_${'A'.repeat(43)}`;
        const answer = await fetch(`${guarded.baseUrl}/v1/runs`, {
          headers: { authorization: `Bearer ${made}` },
        });
        statuses.push(answer.status);
        if (answer.status === 429) expect(Number(answer.headers.get('retry-after'))).toBeGreaterThan(0);
      }
      expect(statuses).toEqual([...Array<number>(10).fill(401), ...Array<number>(5).fill(429)]);
      expect((await use()).status).toBe(200);
    } finally {
      await guarded.app.close();
    }
  });

  it('pages carry security headers', async () => {
    const page = await fetch(`${api.baseUrl}/runs`);
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    expect(page.headers.get('x-frame-options')).toBe('DENY');
    expect(page.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(page.headers.get('referrer-policy')).toBe('no-referrer');
  });

  it('refuses an API key another deployment (task queue) created in the same namespace', async () => {
    const other = new TemporalApiKeyStore(engine.client, { taskQueue: `other-${randomUUID()}` });
    const { key } = await other.create('someone else');
    const stranger = new GongflowClient({ baseUrl: api.baseUrl, apiKey: key });
    await expect(stranger.listRuns()).rejects.toMatchObject({ status: 401, code: 'API_UNAUTHORIZED' });
    // The same key is valid for its own deployment.
    expect(await other.verify(key)).toMatchObject({ name: 'someone else' });
  });

  it('lists deployed triggers and refuses to control triggers that are not deployed', async () => {
    await expect(api.client.listTriggers()).resolves.toEqual(expect.any(Array));
    expect(
      await apiError(api.client.pauseTriggers({ definition: 'list-users', connection: 'emulator' })),
    ).toMatchObject({
      status: 404,
      code: 'TRIGGER_NOT_FOUND',
    });
    expect(
      await apiError(
        api.client.backfillTriggers({ definition: 'list-users', connection: 'emulator', from: 'soon' }),
      ),
    ).toMatchObject({ status: 400, code: 'TRIGGER_BAD_DATE' });
  });

  it('lists, validates and compiles definitions', async () => {
    const definitions = await api.client.listDefinitions();
    expect(definitions.map((entry) => `${entry.name}:${entry.valid}`).sort()).toEqual([
      'broken:false',
      'list-users:true',
      `${paging}:true`,
    ]);
    const detail = await api.client.getDefinition('list-users@1');
    expect(detail.plan).toMatchObject({ name: 'list-users', hash: detail.definition.hash });

    const valid = await api.client.validate('name: ok\nversion: 1\nsteps:\n  - id: a\n    set: { x: 1 }\n');
    expect(valid.problems).toEqual([]);
    expect(valid.warnings).toEqual([]);
    expect(valid.valid).toBe(true);
    // Warnings come back as `gongflow validate` prints them: valid, with the key, its line and a hint.
    const warned = await api.client.validate(
      'name: warned\nversion: 1\nsteps:\n  - id: a\n    action: gong.users.list\n    with: { includeAvatar: true }\n',
    );
    expect(warned.valid).toBe(true);
    expect(warned.warnings).toEqual([
      expect.objectContaining({
        code: 'DEF_UNKNOWN_ACTION_INPUT',
        line: 6,
        hint: expect.stringContaining('includeAvatars') as unknown,
      }),
    ]);
    const invalid = await api.client.validate(
      'name: bad\nversion: 1\nsteps:\n  - id: a\n    action: gong.nope\n',
      'bad.yaml',
    );
    expect(invalid.valid).toBe(false);
    expect(invalid.problems[0]).toMatchObject({
      file: 'bad.yaml',
      line: 5,
      code: expect.any(String) as unknown,
    });
  });
});

describe('steering runs over HTTP', () => {
  // Runs on a task queue no worker polls stay running, so they can be signalled, cancelled and terminated.
  let engine: TestEngine;
  let api: TestApi;
  beforeAll(async () => {
    engine = await startTestEngine();
    api = await startTestApi(engine, { taskQueue: `idle-${randomUUID()}`, stepLogTimeoutMs: 2_000 });
  });
  afterAll(async () => {
    await api?.app.close();
    await engine?.close();
  });

  it('signals and approvals need a worker (503); cancel and terminate do not', async () => {
    const { run } = await api.client.startRun({ definition: 'list-users', connection: 'emulator' });
    expect(run.status).toBe('running');
    expect((await api.client.getResult(run.id)).status).toBe('running');
    // No worker polls this queue, so nobody can answer the step log: a clear 503, not a hanging request.
    await expect(api.client.stepLog(run.id)).rejects.toMatchObject({
      status: 503,
      code: 'RUN_STEPS_UNAVAILABLE',
    });
    // Signals and approvals are taken by the run's worker: with none, a clear 503 (the journey tests
    // test/journeys/api-client.test.ts prove that they move a run on when a worker runs).
    await expect(api.client.signal(run.id, 'go', { n: 1 })).rejects.toMatchObject({
      status: 503,
      code: 'RUN_NO_WORKER',
    });
    await expect(api.client.approve(run.id, 'review', { approved: true })).rejects.toMatchObject({
      status: 503,
      code: 'RUN_NO_WORKER',
    });
    await expect(api.client.cancel(run.id)).resolves.toMatchObject({ status: 'running' });
    await expect(api.client.terminate(run.id, 'test')).resolves.toMatchObject({ status: 'terminated' });
    expect(await api.client.getResult(run.id)).toMatchObject({
      status: 'terminated',
      failure: { message: expect.any(String) as unknown },
    });
    await expect(api.client.cancel(run.id)).rejects.toMatchObject({
      status: 409,
      code: 'RUN_ALREADY_CLOSED',
    });
  });
});
