import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { compileDefinition } from '../../definitions/compile';
import type { Plan } from '../../definitions/plan';
import { startEmulator, type GongEmulator } from '../../emulator';
import { findGongAction } from '../../gong/catalog';
import { followRun } from '../../runs/follow';
import { startRun } from '../../runs/start';
import { startDevServer, type DevServer } from '../../temporal/dev-server';
import { startWorkerProcess, workerProcessClient, type WorkerProcess } from '../support/processes';
import { freePort } from '../support/ports';
import { waitFor } from '../support/wait';
import { emulatorClient } from './support';

/**
 * Gong writes when the machinery under them fails mid-request, with real processes: Gong answers after
 * 1.5 s, a run creates meetings (unsafe) and calls (keyed) side by side, and then the worker is killed with
 * SIGKILL, or the Temporal server restarts. Whatever was in flight, no meeting and no call is created
 * twice, and the run ends with its result; a meeting whose outcome nobody can know is reported as such
 * (GongWriteOutcomeUnknown, caught by the definition), never sent again.
 */
jest.setTimeout(240_000);

const ITEMS = [0, 1, 2, 3];
const LATENCY_MS = 1_500;
const OUTAGE_MS = 15_000;

const DEFINITION = `
name: crash-writes
version: 1
input:
  items: { type: array }
  key: { type: string }
  organizer: { type: string }
  userId: { type: string }
  start: { type: string }
steps:
  - id: each
    forEach: \${{ input.items }}
    maxItems: 10
    concurrency: 10
    steps:
      - id: both
        parallel:
          meeting:
            - id: booked
              try:
                - id: meet
                  action: gong.meetings.create
                  with:
                    title: \${{ input.key + "-" + string(item) }}
                    startTime: "2026-03-05T16:00:00Z"
                    endTime: "2026-03-05T16:30:00Z"
                    invitees: [{ email: buyer@prospect.example }]
                    organizerEmail: \${{ input.organizer }}
              catch:
                errors: [GongWriteOutcomeUnknown]
                steps:
                  - id: unknown
                    set: { meetingId: unknown }
          call:
            - id: logCall
              action: gong.calls.create
              with:
                clientUniqueId: \${{ input.key + "-" + string(item) }}
                actualStart: \${{ input.start }}
                direction: Outbound
                primaryUser: \${{ input.userId }}
                parties: [{ userId: "\${{ input.userId }}" }, { name: Bea Buyer, phoneNumber: "+1 425 555 0100" }]
                duration: 60
                downloadMediaUrl: \${{ "https://recordings.acme.example/" + input.key + "-" + string(item) + ".mp3" }}
    output:
      meeting: \${{ dyn(steps.booked.output).meetingId }}
      call: \${{ steps.logCall.output.callId }}
output: \${{ steps.each.output }}
`;

interface ItemResult {
  meeting: string;
  call: string;
}

describe('Gong writes across crashes', () => {
  let emulator: GongEmulator;
  let plan: Plan;
  let rep: { id: string; emailAddress: string };
  const workers: WorkerProcess[] = [];

  beforeAll(async () => {
    // Created calls are listed at once: a resent calls.create reads its call back by clientUniqueId.
    emulator = await startEmulator({ port: 0, processingDelayMs: 0 });
    const compiled = compileDefinition(DEFINITION, 'crash-writes.yaml');
    if (!compiled.ok) throw new Error(JSON.stringify(compiled.problems));
    plan = compiled.plan;
    const users = (await emulatorClient(emulator).callAction(findGongAction('gong.users.list')!, {
      maxItems: 20,
    })) as { users: Array<{ id: string; emailAddress: string; managerId: string | null }> };
    rep = users.users.find((user) => user.managerId)!;
  });
  afterEach(async () => {
    await Promise.all(workers.splice(0).map((worker) => worker.stop()));
    emulator.admin.setFaults(emulator.defaultCompany.id, { latencyMs: 0 });
  });
  afterAll(() => emulator?.close());

  const workerEnv = (taskQueue: string, temporalAddress?: string) => ({
    GONGFLOW_TASK_QUEUE: taskQueue,
    GONG_BASE_URL: emulator.defaultCompany.apiBaseUrl,
    GONG_ACCESS_KEY: emulator.defaultCompany.accessKey,
    GONG_ACCESS_KEY_SECRET: emulator.defaultCompany.accessKeySecret,
    ...(temporalAddress ? { TEMPORAL_ADDRESS: temporalAddress } : {}),
  });
  const lastSeq = () => Math.max(0, ...emulator.admin.requestLog().map((entry) => entry.seq));
  const writes = (sinceSeq: number) =>
    emulator.admin
      .requestLog({ sinceSeq })
      .filter((entry) => entry.method === 'POST' && ['/v2/meetings', '/v2/calls'].includes(entry.path));
  /** How many times Gong carried out each write (answered 200), by meeting title and by call key. */
  const done = (sinceSeq: number) => {
    const counts = { meetings: new Map<string, number>(), calls: new Map<string, number>() };
    for (const entry of writes(sinceSeq).filter((write) => write.status === 200)) {
      const body = entry.body as { title?: string; clientUniqueId?: string };
      const [map, key] =
        entry.path === '/v2/meetings' ? [counts.meetings, body.title] : [counts.calls, body.clientUniqueId];
      map.set(String(key), (map.get(String(key)) ?? 0) + 1);
    }
    return counts;
  };
  const input = (key: string) => ({
    items: ITEMS,
    key,
    organizer: rep.emailAddress,
    userId: rep.id,
    start: new Date(Date.parse(emulator.admin.now()) - 3_600_000).toISOString(),
  });

  /** Every write at most once; every call exactly once and returned; a meeting returned was made once. */
  function expectNoDuplicates(key: string, sinceSeq: number, results: ItemResult[]): void {
    const counts = done(sinceSeq);
    if (process.env['WRITES_DEBUG'])
      process.stderr.write(
        `${JSON.stringify(results)}\n${writes(sinceSeq)
          .map(
            (entry) =>
              `${entry.time} ${entry.path} ${entry.status} ${JSON.stringify(entry.body).slice(0, 60)}`,
          )
          .join('\n')}\n`,
      );
    expect([...counts.meetings.values()].filter((count) => count > 1)).toEqual([]);
    expect([...counts.calls.values()].filter((count) => count > 1)).toEqual([]);
    for (const item of ITEMS) expect(counts.calls.get(`${key}-${item}`)).toBe(1);
    results.forEach((result, item) => {
      expect(result.call).toMatch(/^\d+$/);
      if (result.meeting !== 'unknown') expect(counts.meetings.get(`${key}-${item}`)).toBe(1);
    });
  }

  it('a worker killed (SIGKILL) mid-write: a new worker finishes the run, nothing created twice', async () => {
    const taskQueue = `write-crash-${randomUUID()}`;
    const key = `kill-${randomUUID().slice(0, 8)}`;
    const temporal = await workerProcessClient();
    try {
      const first = await startWorkerProcess(workerEnv(taskQueue));
      workers.push(first);
      emulator.admin.setFaults(emulator.defaultCompany.id, { latencyMs: LATENCY_MS });
      const since = lastSeq();
      const handle = await startRun(temporal.client, {
        plan,
        input: input(key),
        connectionId: 'emulator',
        taskQueue,
        workflowId: `write-crash-${key}`,
      });
      // Gong answered the first write: the writes sent after it are still in flight. Kill the worker now.
      await waitFor(() => Promise.resolve(writes(since).length > 0), 'the first write', 60_000);
      first.child.kill('SIGKILL');
      await first.stop();
      workers.push(await startWorkerProcess(workerEnv(taskQueue)));

      const outcome = await followRun(handle, { pollIntervalMs: 500 });
      expect(outcome).toMatchObject({ status: 'completed' });
      const results = (outcome as { output: ItemResult[] }).output;
      expectNoDuplicates(key, since, results);
      // The kill caught writes in flight: a meeting whose outcome is unknown, or a call resent (409).
      const resentCalls = writes(since).filter((entry) => entry.path === '/v2/calls' && entry.status === 409);
      expect(
        results.filter((result) => result.meeting === 'unknown').length + resentCalls.length,
      ).toBeGreaterThan(0);
    } finally {
      await temporal.close();
    }
  });

  it('the Temporal server restarts mid-write (same SQLite file): nothing created twice', async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'gongflow-restart-'));
    const options = {
      ip: '127.0.0.1',
      port: await freePort(),
      uiPort: await freePort(),
      dbFile: path.join(dataDir, 'temporal.sqlite'),
      namespace: 'default',
      cliVersion: '1.9.1',
      log: () => undefined,
    };
    let server: DevServer = await startDevServer(options);
    const taskQueue = `write-restart-${randomUUID()}`;
    const key = `restart-${randomUUID().slice(0, 8)}`;
    const temporal = await workerProcessClient(server.address);
    try {
      workers.push(await startWorkerProcess(workerEnv(taskQueue, server.address)));
      emulator.admin.setFaults(emulator.defaultCompany.id, { latencyMs: LATENCY_MS });
      const since = lastSeq();
      const handle = await startRun(temporal.client, {
        plan,
        input: input(key),
        connectionId: 'emulator',
        taskQueue,
        workflowId: `write-restart-${key}`,
      });
      await waitFor(() => Promise.resolve(writes(since).length > 0), 'the first write', 60_000);
      await server.stop();
      // An outage longer than workers retry a completion for: the answers of the writes in flight are lost.
      await new Promise((resolve) => setTimeout(resolve, OUTAGE_MS));
      server = await startDevServer(options);

      const outcome = await followRun(handle, { pollIntervalMs: 500 });
      expect(outcome).toMatchObject({ status: 'completed' });
      expectNoDuplicates(key, since, (outcome as { output: ItemResult[] }).output);
    } finally {
      await Promise.all(workers.splice(0).map((worker) => worker.stop()));
      await temporal.close();
      await server.stop();
    }
  });
});
