import { randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import { compileDefinition } from '../../definitions/compile';
import type { Plan } from '../../definitions/plan';
import { FAILURE_TYPES } from '../../core/failure-types';
import { findGongAction } from '../../gong/catalog';
import { followRun, type RunOutcome } from '../../runs/follow';
import { startRun } from '../../runs/start';
import { startTestEngine, type TestEngine } from '../support/engine';
import { waitFor } from '../support/wait';
import { emulatorClient } from './support';

/**
 * Gong writes in real runs (dev server, worker, emulator with faults): an unsafe write is never sent twice
 * after an ambiguous outcome and fails with GongWriteOutcomeUnknown; a keyed write is resent with its key
 * and Gong's "already done" answer returns the existing object; answers that say "not done" are retried.
 * Crashes of the worker and of Temporal are in write-crash.test.ts.
 */

const REQUEST_TIMEOUT_MS = 1_500;

function plan(steps: string): Plan {
  const compiled = compileDefinition(
    `name: gong-writes\nversion: 1\ninput:\n  organizer: { type: string }\n  userId: { type: string }\n  start: { type: string }\n  key: { type: string }\nsteps:\n${steps}output: \${{ steps.write.output }}\n`,
    'gong-writes.yaml',
  );
  if (!compiled.ok) throw new Error(JSON.stringify(compiled.problems));
  return compiled.plan;
}

const meeting = (extra = '') =>
  plan(`  - id: write
    action: gong.meetings.create
${extra}    with:
      startTime: "2026-03-05T16:00:00Z"
      endTime: "2026-03-05T16:30:00Z"
      invitees: [{ email: buyer@prospect.example }]
      organizerEmail: \${{ input.organizer }}
`);

const CREATE_CALL = plan(`  - id: write
    action: gong.calls.create
    with:
      clientUniqueId: \${{ input.key }}
      actualStart: \${{ input.start }}
      direction: Outbound
      primaryUser: \${{ input.userId }}
      parties: [{ userId: "\${{ input.userId }}" }, { name: Bea Buyer, phoneNumber: "+1 425 555 0100" }]
      duration: 60
      downloadMediaUrl: \${{ "https://recordings.acme.example/" + input.key + ".mp3" }}
`);

describe('Gong writes: at most once, or keyed', () => {
  let engine: TestEngine;
  let rep: { id: string; emailAddress: string };

  beforeAll(async () => {
    engine = await startTestEngine({
      // Created calls are listed at once (Gong lists a call once it processed it).
      emulator: { processingDelayMs: 0 },
      configure: (config) => ({ ...config, gong: { ...config.gong, requestTimeoutMs: REQUEST_TIMEOUT_MS } }),
    });
    const users = (await emulatorClient(engine.emulator).callAction(findGongAction('gong.users.list')!, {
      maxItems: 20,
    })) as { users: Array<{ id: string; emailAddress: string; managerId: string | null }> };
    rep = users.users.find((user) => user.managerId)!;
  });
  afterEach(() => engine.emulator.admin.setFaults(engine.emulator.defaultCompany.id, { latencyMs: 0 }));
  afterAll(() => engine?.close());

  const faults = (set: Parameters<TestEngine['emulator']['admin']['setFaults']>[1]) =>
    engine.emulator.admin.setFaults(engine.emulator.defaultCompany.id, set);
  const lastSeq = () => Math.max(0, ...engine.emulator.admin.requestLog().map((entry) => entry.seq));
  const sent = (method: string, path: string, sinceSeq: number) =>
    engine.emulator.admin
      .requestLog({ sinceSeq, path })
      .filter((entry) => entry.method === method)
      .map((entry) => entry.status);

  async function run(runPlan: Plan, input: Record<string, unknown> = {}): Promise<RunOutcome> {
    const handle = await startRun(engine.client, {
      plan: runPlan,
      input: { organizer: rep.emailAddress, userId: rep.id, start: '', key: '', ...input },
      connectionId: 'emulator',
      taskQueue: engine.taskQueue,
      workflowId: `gong-writes-${randomUUID()}`,
    });
    return followRun(handle, { pollIntervalMs: 250 });
  }

  it('Gong slower than the request timeout: one meeting at most, and the step fails GongWriteOutcomeUnknown', async () => {
    const since = lastSeq();
    faults({ latencyMs: REQUEST_TIMEOUT_MS + 1_000 });
    const outcome = await run(meeting());
    expect(outcome).toMatchObject({ status: 'failed', failureType: FAILURE_TYPES.writeOutcomeUnknown });
    expect((outcome as { message: string }).message).toMatch(/timed out.*not sent again/);
    // Gong carried the timed-out request out after the client gave up: exactly that one meeting exists.
    await waitFor(() => Promise.resolve(sent('POST', '/v2/meetings', since).length >= 1), 'the meeting');
    expect(sent('POST', '/v2/meetings', since)).toEqual([200]);
  });

  it('a 5xx on an unsafe write fails GongWriteOutcomeUnknown; onUnknownOutcome: resend sends it again', async () => {
    let since = lastSeq();
    faults({ failNext: 1, errorStatus: 500 });
    expect(await run(meeting())).toMatchObject({
      status: 'failed',
      failureType: FAILURE_TYPES.writeOutcomeUnknown,
    });
    expect(sent('POST', '/v2/meetings', since)).toEqual([500]);

    since = lastSeq();
    faults({ failNext: 1, errorStatus: 500 });
    const resent = await run(meeting('    onUnknownOutcome: resend\n'));
    expect(resent).toMatchObject({
      status: 'completed',
      output: { meetingId: expect.any(String) as unknown },
    });
    expect(sent('POST', '/v2/meetings', since)).toEqual([500, 200]);
  });

  it('a 429 (refused before any work) is retried: the unsafe write is done once', async () => {
    const since = lastSeq();
    faults({ rateLimitStormMs: 5_000 });
    const outcome = await run(meeting());
    expect(outcome).toMatchObject({
      status: 'completed',
      output: { meetingId: expect.any(String) as unknown },
    });
    expect(sent('POST', '/v2/meetings', since)).toEqual([429, 200]);
  });

  it('an unsafe write that could not reach Gong (connection refused) is retried, never GongWriteOutcomeUnknown', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as { port: number }).port;
    await new Promise((resolve) => closed.close(resolve));
    engine.connections.register({
      id: 'nowhere',
      type: 'key',
      baseUrl: `http://127.0.0.1:${port}`,
      accessKey: 'key',
      accessKeySecret: 'secret',
    });
    const handle = await startRun(engine.client, {
      plan: meeting('    retry: { maximumAttempts: 2, initialInterval: 100ms }\n'),
      input: { organizer: rep.emailAddress, userId: rep.id, start: '', key: '' },
      connectionId: 'nowhere',
      taskQueue: engine.taskQueue,
      workflowId: `gong-writes-${randomUUID()}`,
    });
    const outcome = await followRun(handle, { pollIntervalMs: 250 });
    expect(outcome).toMatchObject({ status: 'failed', failureType: FAILURE_TYPES.server });
    expect((outcome as { message: string }).message).toContain('not sent from Gong');
  });

  it('calls.create whose answer was lost: resent with its clientUniqueId, the 409 returns the call created', async () => {
    const key = `pbx-${randomUUID()}`;
    const start = new Date(Date.parse(engine.emulator.admin.now()) - 3_600_000).toISOString();
    const since = lastSeq();
    faults({ loseAnswerNext: 1 });
    const outcome = await run(CREATE_CALL, { key, start });
    expect(outcome).toMatchObject({ status: 'completed', output: { callId: expect.any(String) as unknown } });
    expect(sent('POST', '/v2/calls', since)).toEqual([200, 409]);
    // The output is the one call Gong has with that key.
    const callId = (outcome as { output: { callId: string } }).output.callId;
    const call = (await emulatorClient(engine.emulator).callAction(findGongAction('gong.calls.get')!, {
      id: callId,
    })) as { call: { clientUniqueId: string } };
    expect(call.call.clientUniqueId).toBe(key);
  });

  it('calls.create whose connection dropped before Gong did anything: resent once, one call', async () => {
    const key = `pbx-${randomUUID()}`;
    const start = new Date(Date.parse(engine.emulator.admin.now()) - 3_600_000).toISOString();
    const since = lastSeq();
    faults({ dropNext: 1 });
    const outcome = await run(CREATE_CALL, { key, start });
    expect(outcome).toMatchObject({ status: 'completed', output: { callId: expect.any(String) as unknown } });
    expect(sent('POST', '/v2/calls', since)).toEqual([0, 200]);
  });

  it("a keyed delete whose answer was lost: the retry's 404 means done", async () => {
    const created = (await emulatorClient(engine.emulator).callAction(
      findGongAction('gong.meetings.create')!,
      {
        startTime: '2026-03-06T16:00:00Z',
        endTime: '2026-03-06T16:30:00Z',
        invitees: [],
        organizerEmail: rep.emailAddress,
      },
    )) as { meetingId: string };
    const since = lastSeq();
    faults({ loseAnswerNext: 1 });
    const outcome = await run(
      plan(`  - id: write
    action: gong.meetings.delete
    with:
      meetingId: "${created.meetingId}"
      organizerEmail: \${{ input.organizer }}
`),
    );
    expect(outcome).toEqual({ status: 'completed', output: { organizerEmail: rep.emailAddress } });
    expect(sent('DELETE', `/v2/meetings/${created.meetingId}`, since)).toEqual([200, 404]);
  });
});
