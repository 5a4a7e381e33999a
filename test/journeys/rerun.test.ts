/**
 * Journey: a run failed at its 4th step (a webhook endpoint was down). The operator fixes the endpoint and
 * reruns the run from the CLI; the rerun reuses what steps 1–3 did, so Gong sees no call repeated (its
 * request log proves it), and completes. Driven through the public entry points only: `gongflow server
 * --emulator`, the `gongflow` command, the typed client and the emulator's admin API.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { GongflowClient } from '../../client/index';
import {
  apiClient,
  createProject,
  emulatorAdmin,
  startServer,
  type JourneyProject,
  type ServerProcess,
} from './project';

jest.setTimeout(240_000);

const MEETING_DIGEST = `
name: meeting-digest
version: 1
input:
  notifyUrl: { type: string }
steps:
  - id: users
    action: gong.users.list
    with: { maxItems: 3 }
  - id: meeting
    action: gong.meetings.create
    with:
      startTime: '2030-06-03T16:00:00Z'
      endTime: '2030-06-03T16:30:00Z'
      title: Pricing review
      invitees: [{ email: buyer@customer.example }]
      organizerEmail: \${{ steps.users.output.users[0].emailAddress }}
  - id: summary
    set:
      organizer: \${{ steps.users.output.users[0].id }}
      meetingId: \${{ steps.meeting.output.meetingId }}
  - id: notify
    http:
      method: POST
      url: \${{ input.notifyUrl }}
      body: { meetingId: '\${{ vars.meetingId }}' }
    retry: { maximumAttempts: 1 }
  - id: confirm
    action: gong.users.get
    with: { id: '\${{ vars.organizer }}' }
output:
  meetingId: \${{ vars.meetingId }}
  notified: \${{ steps.notify.output.status }}
  organizer: \${{ steps.confirm.output.user.id }}
`;

/** The endpoint step 4 posts to: down (503) until `up` is set. */
async function startEndpoint() {
  const state = { up: false, received: [] as unknown[] };
  const server = http.createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      if (state.up) state.received.push(JSON.parse(body) as unknown);
      response.writeHead(state.up ? 200 : 503, { 'content-type': 'application/json' });
      response.end(JSON.stringify(state.up ? { ok: true } : { error: 'down for maintenance' }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks/meetings`,
    state,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('journey: rerun a failed run from its failed step', () => {
  let project: JourneyProject;
  let server: ServerProcess;
  let client: GongflowClient;
  let endpoint: Awaited<ReturnType<typeof startEndpoint>>;
  let gong: ReturnType<typeof emulatorAdmin>;
  let companyId: string;

  beforeAll(async () => {
    // The endpoint is on this machine: the operator allows it, as they would an internal host.
    project = createProject('httpSteps:\n  allow: [127.0.0.1]\n');
    project.define('meeting-digest.yaml', MEETING_DIGEST);
    server = await startServer(project);
    client = await apiClient(project, server, 'operator');
    gong = emulatorAdmin(server.emulatorUrl);
    companyId = await gong.defaultCompanyId();
    endpoint = await startEndpoint();
  });
  afterAll(async () => {
    await server?.stop();
    await endpoint?.close();
  });

  /** Gong calls by operation: the company API host's request log. */
  const gongCalls = async () => {
    const { requests } = await gong.call<{ requests: Array<{ method: string; path: string }> }>(
      'GET',
      `/requests?host=${encodeURIComponent(companyId)}`,
    );
    const count = (method: string, pattern: RegExp) =>
      requests.filter((r) => r.method === method && pattern.test(r.path.split('?')[0] ?? '')).length;
    return {
      listUsers: count('GET', /^\/v2\/users$/),
      createMeeting: count('POST', /^\/v2\/meetings$/),
      getUser: count('GET', /^\/v2\/users\/\d+$/),
    };
  };

  it('steps 1-3 are reused (no Gong call repeats), step 4 runs again, and the rerun completes', async () => {
    const { run } = await client.startRun({
      definition: 'meeting-digest',
      input: { notifyUrl: endpoint.url },
      connection: 'emulator',
    });
    const failed = await client.waitForResult(run.id, { timeoutMs: 60_000 });
    expect(failed).toMatchObject({ status: 'failed', failure: { type: 'HttpStepError' } });
    const before = await gongCalls();
    expect(before).toEqual({ listUsers: 1, createMeeting: 1, getUser: 0 });

    await expect(client.rerun('no-such-run')).rejects.toMatchObject({ status: 404, code: 'RUN_NOT_FOUND' });

    endpoint.state.up = true;
    const rerun = await project.gongflow(['runs', 'rerun', run.id, '--json']);
    expect(rerun.stderr).toBe('');
    const answer = JSON.parse(rerun.stdout) as { run: { id: string; rerunOf?: string; trigger?: string } };
    expect(answer.run).toMatchObject({ rerunOf: run.id, trigger: 'rerun' });

    const result = await client.waitForResult(answer.run.id, { timeoutMs: 60_000 });
    const meetingId = (result as { output?: { meetingId?: unknown } }).output?.meetingId;
    expect(result).toMatchObject({ status: 'completed', output: { notified: 200 } });
    // The meeting the first run created is the one the rerun reports and notifies: it was not created twice.
    expect(endpoint.state.received).toEqual([{ meetingId }]);
    expect(await gongCalls()).toEqual({ listUsers: 1, createMeeting: 1, getUser: 1 });

    const steps = await client.stepLog(answer.run.id);
    expect(steps.steps.map((step) => [step.id, step.status, step['reused'] ?? false])).toEqual([
      ['users', 'completed', true],
      ['meeting', 'completed', true],
      ['summary', 'completed', true],
      ['notify', 'completed', false],
      ['confirm', 'completed', false],
    ]);

    // A completed run cannot be rerun.
    await expect(client.rerun(answer.run.id)).rejects.toMatchObject({
      status: 409,
      code: 'RUN_NOT_RERUNNABLE',
    });
  });
});
