import { randomUUID } from 'node:crypto';
import { compileDefinition } from '../../definitions/compile';
import { startEmulator, type GongEmulator } from '../../emulator';
import { startRun } from '../../runs/start';
import { waitFor } from '../emulator/client';
import { startWorkerProcess, workerProcessClient, type WorkerProcess } from '../support/processes';

/**
 * A worker process dies in the middle of a paginated Gong action: the retried activity, on another worker,
 * resumes from the cursor the first one heartbeated instead of fetching page 1 again.
 */
const DEFINITION = `
name: resume-pages
version: 1
steps:
  - id: users
    action: gong.users.list
    attemptTimeout: 20s
output: \${{ size(steps.users.output.users) }}
`;

describe('heartbeat resume of pagination after a worker crash', () => {
  let emulator: GongEmulator;
  let temporal: Awaited<ReturnType<typeof workerProcessClient>>;
  const workers: WorkerProcess[] = [];

  beforeAll(async () => {
    emulator = await startEmulator({ port: 0, userCount: 498 });
    temporal = await workerProcessClient();
  });
  afterAll(async () => {
    await Promise.all(workers.map((worker) => worker.stop()));
    await temporal?.close();
    await emulator?.close();
  });

  it('does not refetch the pages before the last heartbeat', async () => {
    const company = emulator.defaultCompany;
    // Slow pages: the first worker is killed while the listing is still going.
    emulator.admin.setFaults(company.id, { latencyMs: 300 });
    const taskQueue = `resume-${randomUUID()}`;
    const env = {
      GONGFLOW_TASK_QUEUE: taskQueue,
      GONG_BASE_URL: company.apiBaseUrl,
      GONG_ACCESS_KEY: company.accessKey,
      GONG_ACCESS_KEY_SECRET: company.accessKeySecret,
    };
    const first = await startWorkerProcess(env);
    workers.push(first);
    const compiled = compileDefinition(DEFINITION, 'resume-pages.yaml');
    if (!compiled.ok) throw new Error(JSON.stringify(compiled.problems));
    const { client } = temporal;
    const handle = await startRun(client, {
      plan: compiled.plan,
      input: {},
      connectionId: 'emulator',
      taskQueue,
      workflowId: `resume-${randomUUID()}`,
    });
    const pages = () => emulator.admin.requestLog({ path: '/v2/users' });

    // Page 1 was answered and its progress heartbeated (the first heartbeat is sent at once); page 2 too.
    await waitFor(() => pages().length >= 2 || undefined, 'two pages', 30_000);
    first.child.kill('SIGKILL');
    await first.stop();
    const seenBeforeCrash = pages().length;
    workers.push(await startWorkerProcess(env));

    expect(await handle.result()).toBe(498);
    const afterCrash = pages().slice(seenBeforeCrash);
    expect(afterCrash.length).toBeGreaterThan(0);
    // The retry starts from a heartbeated cursor: page 1 (the only request without a cursor) ran once. Later
    // pages may run twice: the SDK throttles heartbeats, so the last one may not have reached the server.
    expect('cursor' in afterCrash[0]!.query).toBe(true);
    expect(pages().filter((entry) => !('cursor' in entry.query))).toHaveLength(1);
  }, 120_000);
});
