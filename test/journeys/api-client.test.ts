/**
 * Journey: an integration engineer drives runs from their backend with the typed client, against
 * `gongflow server --emulator` started as a user starts it. Every assertion is on what that engineer
 * sees: the run's result and status, the step log, answers and error codes, Gong's own request log.
 */
import { randomUUID } from 'node:crypto';
import type { GongflowClient } from '../../client/index';
import { waitFor } from '../support/wait';
import {
  apiClient,
  createProject,
  emulatorAdmin,
  startServer,
  type JourneyProject,
  type ServerProcess,
} from './project';

jest.setTimeout(240_000);

const EXPORT_APPROVAL = `
name: export-approval
version: 1
input:
  reason: { type: string }
steps:
  - id: users
    action: gong.users.list
    with: { maxItems: 10 }
  - id: approve
    approval: '\${{ "Export " + string(size(steps.users.output.users)) + " users for " + input.reason + "?" }}'
    approvers: [privacy@acme.com]
    timeout: 1h
  - id: decide
    if: \${{ steps.approve.output.approved }}
    then:
      - id: exported
        set: { outcome: exported }
    else:
      - id: declined
        set: { outcome: declined }
output:
  outcome: \${{ vars.outcome }}
  by: \${{ steps.approve.output.by }}
  comment: \${{ steps.approve.output.comment }}
`;

const WAIT_FOR_GO = `
name: wait-for-go
version: 1
steps:
  - id: go
    waitForSignal: go
    payload:
      n: { type: integer }
    timeout: 1h
output:
  n: \${{ steps.go.output.n }}
`;

const CLEANUP_ON_CANCEL = `
name: cleanup-on-cancel
version: 1
steps:
  - id: guarded
    try:
      - id: nap
        sleep: 1h
    finally:
      - id: cleanup
        action: gong.users.list
        with: { maxItems: 1 }
`;

describe('journey: an API client starts, steers and reads runs', () => {
  let project: JourneyProject;
  let server: ServerProcess;
  let client: GongflowClient;
  let approver: GongflowClient;
  let gong: ReturnType<typeof emulatorAdmin>;
  let companyId: string;

  beforeAll(async () => {
    project = createProject();
    project.define('export-approval.yaml', EXPORT_APPROVAL);
    project.define('wait-for-go.yaml', WAIT_FOR_GO);
    project.define('cleanup-on-cancel.yaml', CLEANUP_ON_CANCEL);
    server = await startServer(project);
    client = await apiClient(project, server, 'billing-service');
    approver = await apiClient(project, server, 'privacy@acme.com');
    gong = emulatorAdmin(server.emulatorUrl);
    companyId = await gong.defaultCompanyId();
  });
  afterAll(async () => {
    await server?.stop();
  });

  const start = async (definition: string, input: Record<string, unknown> = {}) =>
    (await client.startRun({ definition, input, connection: 'emulator' })).run;

  /** The step log once a step waits (a condition on the run's state, never a sleep). */
  const waitingStep = (id: string) =>
    waitFor(async () => {
      const log = await client.stepLog(id);
      return log.steps.find((step) => step.waiting !== undefined);
    }, `a waiting step in ${id}`);

  it('approve: a key not among the approvers is refused and the run keeps waiting; the approver moves it on', async () => {
    const run = await start('export-approval', { reason: 'audit' });
    const waiting = await waitingStep(run.id);
    expect(waiting).toMatchObject({
      id: 'approve',
      waiting: { for: 'approval', prompt: 'Export 10 users for audit?', approvers: ['privacy@acme.com'] },
    });

    await expect(client.approve(run.id, 'approve', { approved: true })).rejects.toMatchObject({
      status: 403,
      code: 'RUN_APPROVER_NOT_ALLOWED',
    });
    // Typing the approver's name does not make the billing key the approver.
    await expect(
      client.approve(run.id, 'approve', { approved: true, by: 'privacy@acme.com' }),
    ).rejects.toMatchObject({ status: 403, code: 'RUN_APPROVER_IDENTITY_MISMATCH' });
    await expect(client.approve(run.id, 'nosuch', { approved: true })).rejects.toMatchObject({
      status: 404,
      code: 'RUN_STEP_NOT_FOUND',
    });
    await expect(client.approve(run.id, 'users', { approved: true })).rejects.toMatchObject({
      status: 409,
      code: 'RUN_STEP_NOT_APPROVAL',
    });
    expect((await client.getRun(run.id)).status).toBe('running');
    expect((await client.stepLog(run.id)).steps.find((s) => s.id === 'approve')?.waiting).toBeDefined();

    const answer = await approver.approve(run.id, 'approve', { approved: true, comment: 'ok for audit' });
    expect(answer.approval).toEqual({ step: 'approve', approved: true, by: 'privacy@acme.com' });
    expect(await client.waitForResult(run.id, { timeoutMs: 20_000 })).toMatchObject({
      status: 'completed',
      output: { outcome: 'exported', by: 'privacy@acme.com', comment: 'ok for audit' },
    });
    // Decided once: a second decision finds a closed run.
    await expect(approver.approve(run.id, 'approve', { approved: true })).rejects.toMatchObject({
      status: 409,
      code: 'RUN_ALREADY_CLOSED',
    });
  });

  it('reject: the rejection path runs', async () => {
    const run = await start('export-approval', { reason: 'curiosity' });
    await waitingStep(run.id);
    expect((await approver.reject(run.id, 'approve', 'no need')).approval.approved).toBe(false);
    expect(await client.waitForResult(run.id, { timeoutMs: 20_000 })).toMatchObject({
      status: 'completed',
      output: { outcome: 'declined', by: 'privacy@acme.com', comment: 'no need' },
    });
  });

  it('an approval step that is not waiting yet answers 409', async () => {
    const run = await start('export-approval', { reason: 'early' });
    // The run may still be listing users: until the step waits, approving it is refused, not queued.
    const early = await approver.approve(run.id, 'approve', { approved: true }).then(
      () => 'accepted',
      (error: { code?: string }) => error.code,
    );
    expect(['RUN_STEP_NOT_WAITING', 'accepted']).toContain(early);
    if (early === 'RUN_STEP_NOT_WAITING') {
      await waitingStep(run.id);
      await approver.approve(run.id, 'approve', { approved: true });
    }
    expect((await client.waitForResult(run.id, { timeoutMs: 20_000 })).status).toBe('completed');
  });

  it('the CLI approves as the operator says (straight to Temporal) or as its API key (through the API)', async () => {
    const direct = await start('export-approval', { reason: 'cli' });
    await waitingStep(direct.id);
    const wrong = await project.gongflow(['runs', 'approve', direct.id, 'approve']);
    expect(wrong.code).not.toBe(0);
    expect(wrong.stderr).toContain('RUN_APPROVER_NOT_ALLOWED');
    const ok = await project.gongflow(['runs', 'approve', direct.id, 'approve', '--as', 'privacy@acme.com']);
    expect(ok.stdout).toContain(`Approved approve of ${direct.id} as privacy@acme.com`);
    expect(await client.waitForResult(direct.id, { timeoutMs: 20_000 })).toMatchObject({
      output: { outcome: 'exported', by: 'privacy@acme.com' },
    });

    const viaApi = await start('export-approval', { reason: 'cli api' });
    await waitingStep(viaApi.id);
    const key = JSON.parse(
      (await project.gongflow(['api-keys', 'create', '--name', 'privacy@acme.com', '--json'])).stdout,
    ) as { key: string };
    const rejected = await project.gongflow(
      ['runs', 'reject', viaApi.id, 'approve', '--comment', 'not now', '--api', server.url],
      { GONGFLOW_API_KEY: key.key },
    );
    expect(rejected.stdout).toContain(`Rejected approve of ${viaApi.id} as privacy@acme.com`);
    expect(await client.waitForResult(viaApi.id, { timeoutMs: 20_000 })).toMatchObject({
      output: { outcome: 'declined', comment: 'not now' },
    });

    const signalled = await start('wait-for-go');
    await waitingStep(signalled.id);
    const sent = await project.gongflow(['runs', 'signal', signalled.id, 'go', '--payload', '{"n": 3}']);
    expect(sent.stdout).toContain('a step was waiting for it');
    expect(await client.waitForResult(signalled.id, { timeoutMs: 20_000 })).toMatchObject({
      output: { n: 3 },
    });
  });

  it('signal: delivered to the waiting step, which completes with its payload', async () => {
    const run = await start('wait-for-go');
    await expect(client.signal(run.id, 'stop', {})).rejects.toMatchObject({
      status: 404,
      code: 'RUN_SIGNAL_NOT_FOUND',
    });
    await expect(client.signal(run.id, 'go', { n: 'seven' })).rejects.toMatchObject({
      status: 400,
      code: 'RUN_SIGNAL_INVALID_PAYLOAD',
    });
    await waitingStep(run.id);
    const answer = await client.signal(run.id, 'go', { n: 7 });
    expect(answer.signal).toEqual({ name: 'go', delivered: 'waiting' });
    expect(await client.waitForResult(run.id, { timeoutMs: 20_000 })).toMatchObject({
      status: 'completed',
      output: { n: 7 },
    });
  });

  it('cancel: the run ends cancelled after its clean-up step ran; terminate stops at once', async () => {
    const cancelled = await start('cleanup-on-cancel');
    await waitFor(
      async () => (await client.stepLog(cancelled.id)).steps.some((s) => s.id === 'nap'),
      'the nap to start',
    );
    const before = (await gong.requests(companyId, '/v2/users')).length;
    await client.cancel(cancelled.id);
    expect((await client.waitForResult(cancelled.id, { timeoutMs: 20_000 })).status).toBe('cancelled');
    // The finally step called Gong once while the run was being cancelled.
    expect((await gong.requests(companyId, '/v2/users')).length).toBe(before + 1);

    const terminated = await start('cleanup-on-cancel');
    await waitFor(
      async () => (await client.stepLog(terminated.id)).steps.some((s) => s.id === 'nap'),
      'the nap to start',
    );
    const beforeTerminate = (await gong.requests(companyId, '/v2/users')).length;
    await client.terminate(terminated.id, 'journey test');
    expect((await client.waitForResult(terminated.id, { timeoutMs: 20_000 })).status).toBe('terminated');
    expect((await gong.requests(companyId, '/v2/users')).length).toBe(beforeTerminate);
  });

  it('idempotent start and paging through the runs of a definition', async () => {
    const key = randomUUID();
    const first = await client.startRun(
      { definition: 'wait-for-go', connection: 'emulator' },
      { idempotencyKey: key },
    );
    const again = await client.startRun(
      { definition: 'wait-for-go', connection: 'emulator' },
      { idempotencyKey: key },
    );
    expect(again).toMatchObject({ created: false, run: { id: first.run.id } });
    const second = await start('wait-for-go');
    const third = await start('wait-for-go');
    const ids = new Set<string>();
    await waitFor(async () => {
      ids.clear();
      let pageToken: string | undefined;
      do {
        const page = await client.listRunsPage({
          definition: 'wait-for-go',
          status: 'running',
          limit: 1,
          ...(pageToken ? { pageToken } : {}),
        });
        expect(page.runs.length).toBeLessThanOrEqual(1);
        for (const run of page.runs) ids.add(run.id);
        pageToken = page.nextPageToken;
      } while (pageToken);
      return [first.run.id, second.id, third.id].every((id) => ids.has(id));
    }, 'the three runs to be listed page by page');
    for (const id of ids) await client.terminate(id);
  });
});
