import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ScheduleNotFoundError } from '@temporalio/client';
import type { FastifyInstance } from 'fastify';
import { TemporalApiKeyStore } from '../../api/auth/api-keys';
import { createApiServer } from '../../api/server';
import { GongflowClient, type RunSummary } from '../../client';
import { runGongflow, type CliResult } from '../support/cli';
import { startTestEngine, type TestEngine } from '../support/engine';
import { freePort } from '../support/ports';
import { waitFor } from '../support/wait';

/**
 * The triggers journey, as an operator and Gong live it: definition files deployed with the `gongflow`
 * command (a process), Gong played by the emulator's admin API over HTTP (calls, processing, automation
 * rules that fire webhooks), runs read through the typed client of the HTTP API. The worker and the API
 * server run in this process only because something has to run them; nothing is reached around them.
 */

/** Each CLI command is a fresh node + tsx process: seconds each, more on a busy machine. */
const JOURNEY_TIMEOUT_MS = 600_000;
const WEEK_MS = 7 * 86_400_000;

let engine: TestEngine;
let api: FastifyInstance;
let client: GongflowClient;
let publicUrl: string;
let cwd: string;
let company: { id: string; apiBaseUrl: string; accessKey: string; accessKeySecret: string };
const connection = `journey-${randomUUID().slice(0, 8)}`;
const suffix = randomUUID().slice(0, 6);
const hookName = `journey-hook-${suffix}`;
const pollName = `journey-poll-${suffix}`;
/** The docs' example, run verbatim: its name is its own. */
const weeklyName = 'last-weeks-calls';

/** The emulator's admin API, over HTTP (what a test harness playing Gong calls). */
async function gong<T>(method: 'GET' | 'POST', route: string, body?: unknown): Promise<T> {
  const response = await fetch(`${engine.emulator.appUrl}/_emulator${route}`, {
    method,
    ...(body === undefined
      ? {}
      : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
  });
  const json = (await response.json()) as T;
  if (!response.ok)
    throw new Error(`emulator ${method} ${route}: ${response.status} ${JSON.stringify(json)}`);
  return json;
}

function gongflow(args: string[]): Promise<CliResult> {
  return runGongflow(args, {
    cwd,
    env: {
      GONGFLOW_TASK_QUEUE: engine.taskQueue,
      // The project's data folder, shared with the worker: the same generated encryption key.
      GONGFLOW_DATA_DIR: engine.dataDir,
      GONGFLOW_API_KEY: '',
      GONGFLOW_API_URL: '',
    },
  });
}

async function succeeded(args: string[]): Promise<string> {
  const result = await gongflow(args);
  expect({ args, code: result.code, stderr: result.stderr }).toEqual({ args, code: 0, stderr: '' });
  return result.stdout;
}

/** The docs' "Every Monday, last week's calls" definition, exactly as docs/triggers.md shows it. */
function docsWeeklyExample(): string {
  const doc = readFileSync(path.resolve(__dirname, '../../docs/triggers.md'), 'utf8');
  const marker = doc.indexOf('<!-- docs-example: weekly-calls');
  const start = doc.indexOf('```yaml\n', marker) + '```yaml\n'.length;
  return doc.slice(start, doc.indexOf('```', start));
}

/** Runs of a definition on this journey's connection, once `count` are listed. */
async function runsOf(definition: string, count: number): Promise<RunSummary[]> {
  return waitFor(async () => {
    const runs = await client.listRuns({ definition, connection, limit: 100 });
    return runs.length >= count ? runs : undefined;
  }, `${count} run(s) of ${definition}`);
}

async function outputOf<T>(run: RunSummary): Promise<T> {
  const result = await client.waitForResult(run.id, { timeoutMs: 60_000 });
  expect(result).toMatchObject({ status: 'completed' });
  return result.output as T;
}

/** When the cron said this fire was due, as Temporal itself recorded it on the run. */
async function scheduledTimeOf(run: RunSummary): Promise<string> {
  const attributes = (await engine.client.workflow.getHandle(run.id).describe()).searchAttributes;
  const stamped = (attributes['TemporalScheduledStartTime'] as Date[] | undefined)?.[0];
  if (!stamped) throw new Error(`${run.id} carries no TemporalScheduledStartTime`);
  return stamped.toISOString().replace('.000Z', 'Z');
}

interface Week {
  from: string;
  to: string;
  calls: number;
}

beforeAll(async () => {
  engine = await startTestEngine();
  company = await gong('POST', '/companies', {
    name: `Journey ${connection}`,
    userCount: 3,
    callCount: 0,
    rateLimits: { perSecond: 200, perDay: 1_000_000 },
  });
  // The worker's Gong connection (what `connections:` in temporal.yaml gives a real worker).
  engine.connections.register({
    id: connection,
    type: 'key',
    baseUrl: company.apiBaseUrl,
    accessKey: company.accessKey,
    accessKeySecret: company.accessKeySecret,
  });
  const port = await freePort();
  publicUrl = `http://127.0.0.1:${port}`;
  const keys = new TemporalApiKeyStore(engine.client, { taskQueue: engine.taskQueue, cacheTtlMs: 0 });
  api = await createApiServer({
    config: { ...engine.config, http: { ...engine.config.http, publicUrl } },
    client: engine.client,
    namespace: engine.endpoint.namespace,
    taskQueue: engine.taskQueue,
    connections: engine.connections,
    definitionsDir: mkdtempSync(path.join(os.tmpdir(), 'gongflow-journey-definitions-')),
    dataDir: mkdtempSync(path.join(os.tmpdir(), 'gongflow-journey-data-')),
    apiKeys: keys,
  });
  await api.listen({ host: '127.0.0.1', port });
  client = new GongflowClient({ baseUrl: publicUrl, apiKey: (await keys.create('journey')).key });

  cwd = mkdtempSync(path.join(os.tmpdir(), 'gongflow-journey-'));
  writeFileSync(path.join(cwd, 'temporal.yaml'), `http:\n  publicUrl: ${publicUrl}\n`);
  writeFileSync(
    path.join(cwd, 'call-hook.yaml'),
    `name: ${hookName}
version: 1
triggers:
  - kind: gong.call.processed
steps:
  - id: note
    set:
      callId: \${{ trigger.callData.metaData.id }}
output:
  callId: \${{ vars.callId }}
  via: \${{ trigger.kind }}
`,
  );
  writeFileSync(
    path.join(cwd, 'new-calls.yaml'),
    `name: ${pollName}
version: 1
triggers:
  - kind: gong.call.new
    every: 1s
    lookback: 1h
    since: '${new Date(Date.now() - 5 * 60_000).toISOString()}'
steps:
  - id: note
    set:
      callId: \${{ trigger.call.id }}
output:
  callId: \${{ vars.callId }}
  via: \${{ trigger.kind }}
`,
  );
  writeFileSync(path.join(cwd, 'last-weeks-calls.yaml'), docsWeeklyExample());
}, 120_000);

afterAll(async () => {
  await api?.close();
  await engine?.close();
});

test(
  'webhook, poller and a weekly schedule start the runs they should, then undeploy stops all three',
  async () => {
    // Gong: an automation rule that fires a signed webhook at gongflow for calls titled "Journey hook".
    const rule = await gong<{ id: string; publicKey: string }>(
      'POST',
      `/companies/${company.id}/webhook-rules`,
      {
        name: 'Journey rule',
        url: `${publicUrl}/webhooks/gong/${connection}`,
        authMethod: 'jwt',
        filter: { titleContains: 'Journey hook' },
      },
    );

    // 1. Webhook: deploy, Gong processes a matching call, its delivery starts a run.
    const deployedHook = await succeeded([
      'triggers',
      'deploy',
      'call-hook.yaml',
      '--connection',
      connection,
      '--public-key',
      rule.publicKey,
    ]);
    expect(deployedHook).toContain(`Gong rule URL: ${publicUrl}/webhooks/gong/${connection}`);
    const hooked = await gong<{ callId: string }>('POST', `/companies/${company.id}/calls`, {
      title: 'Journey hook call',
      processingDelayMs: 0,
    });
    const [hookRun] = await runsOf(hookName, 1);
    expect(await outputOf(hookRun!)).toEqual({ callId: hooked.callId, via: 'gong.call.processed' });
    const deliveries = await gong<{ deliveries: Array<{ callId: string; status: number | null }> }>(
      'GET',
      '/webhook-deliveries',
    );
    expect(deliveries.deliveries.filter((delivery) => delivery.callId === hooked.callId)).toEqual([
      expect.objectContaining({ status: 200 }),
    ]);

    // 2. Poller: deploy, a new call becomes visible in Gong, the poller starts a run for it.
    await succeeded(['triggers', 'deploy', 'new-calls.yaml', '--connection', connection]);
    const polled = await gong<{ callId: string }>('POST', `/companies/${company.id}/calls`, {
      title: 'Journey poll call',
      started: new Date(Date.now() - 60_000).toISOString(),
      durationSeconds: 60,
      processingDelayMs: 0,
    });
    const pollRuns = await waitFor(async () => {
      const runs = await client.listRuns({ definition: pollName, connection, limit: 100 });
      const outputs = await Promise.all(runs.map((run) => outputOf<{ callId: string; via: string }>(run)));
      return outputs.some((output) => output.callId === polled.callId) ? outputs : undefined;
    }, 'the poller run of the new call');
    expect(pollRuns).toContainEqual({ callId: polled.callId, via: 'gong.call.new' });

    // 3. Weekly schedule (the docs' example, verbatim): a fire now reports the week before its own time.
    await succeeded(['triggers', 'deploy', 'last-weeks-calls.yaml', '--connection', connection]);
    const scheduleId = `gongflow-schedule/${weeklyName}/schedule/${connection}`;
    await engine.client.schedule.getHandle(scheduleId).trigger(); // Temporal's "trigger now"
    const [nowRun] = await runsOf(weeklyName, 1);
    const firedAt = await scheduledTimeOf(nowRun!);
    const thisWeek = await outputOf<Week>(nowRun!);
    expect(thisWeek.to).toBe(firedAt);
    expect(Date.parse(thisWeek.from)).toBe(Date.parse(firedAt) - WEEK_MS);
    expect(thisWeek.calls).toBe(2); // the two calls of this journey, made minutes ago

    // Backfill of the two past weeks: two runs, each the week before its own Monday 08:00 (Berlin).
    await succeeded([
      'triggers',
      'backfill',
      weeklyName,
      '--connection',
      connection,
      '--from',
      new Date(Date.now() - 2 * WEEK_MS).toISOString(),
    ]);
    const backfilled = (await runsOf(weeklyName, 3)).filter((run) => run.id !== nowRun!.id);
    expect(backfilled).toHaveLength(2);
    const weeks = await Promise.all(
      backfilled.map(async (run) => ({
        firedAt: await scheduledTimeOf(run),
        week: await outputOf<Week>(run),
      })),
    );
    for (const { firedAt: fire, week } of weeks) {
      expect(
        new Date(fire).toLocaleString('en-GB', {
          timeZone: 'Europe/Berlin',
          weekday: 'short',
          hour: '2-digit',
          minute: '2-digit',
        }),
      ).toBe('Mon 08:00');
      expect(week).toEqual({
        from: new Date(Date.parse(fire) - WEEK_MS).toISOString().replace('.000Z', 'Z'),
        to: fire,
        calls: 0,
      });
    }
    const [earlier, later] = weeks.map(({ week }) => week).sort((a, b) => a.to.localeCompare(b.to));
    expect(Date.parse(later!.to) - Date.parse(earlier!.to)).toBe(WEEK_MS);

    // 4. Undeploy all three; none of them starts a run any more.
    const removed = await Promise.all(
      [hookName, pollName, weeklyName].map((definition) =>
        succeeded(['triggers', 'undeploy', definition, '--connection', connection]),
      ),
    );
    expect(removed[0]).toMatch(/removed .* gong\.call\.processed .*\[webhook\]/);
    expect(removed[1]).toMatch(/removed .* gong\.call\.new .*\[poller\]/);
    expect(removed[2]).toMatch(/removed .* schedule .*\[schedule\]/);

    const listed = JSON.parse(await succeeded(['triggers', '--json'])) as Array<{ connection: string }>;
    expect(listed.filter((row) => row.connection === connection)).toEqual([]);
    // The webhook: Gong's next delivery is refused and starts nothing.
    const late = await gong<{ callId: string }>('POST', `/companies/${company.id}/calls`, {
      title: 'Journey hook call after undeploy',
      processingDelayMs: 0,
    });
    const refused = await waitFor(async () => {
      const { deliveries: all } = await gong<{
        deliveries: Array<{ callId: string; status: number | null }>;
      }>('GET', '/webhook-deliveries');
      return all.find((delivery) => delivery.callId === late.callId && delivery.status !== null);
    }, 'the delivery after undeploy');
    expect(refused.status).toBe(404);
    expect((await client.listRuns({ definition: hookName, connection })).map((run) => run.id)).toEqual([
      hookRun!.id,
    ]);
    // The poller: its workflow is closed. The schedule: gone.
    const poller = engine.client.workflow.getHandle(
      `gongflow-poller/${pollName}/gong.call.new/${connection}`,
    );
    expect((await poller.describe()).status.name).toBe('TERMINATED');
    await expect(engine.client.schedule.getHandle(scheduleId).describe()).rejects.toBeInstanceOf(
      ScheduleNotFoundError,
    );
  },
  JOURNEY_TIMEOUT_MS,
);

test(
  'deploy refuses what cannot work with a code and a fix, never a stack',
  async () => {
    // A mapping that type-checks but fails on every fire (an event id is not a timestamp).
    writeFileSync(
      path.join(cwd, 'bad-mapping.yaml'),
      docsWeeklyExample()
        .replace(/^name: .*$/m, `name: journey-bad-${suffix}`)
        .replace('timestamp(trigger.scheduledTime) - duration("168h")', 'timestamp(trigger.eventId)'),
    );
    const badMapping = await gongflow(['triggers', 'deploy', 'bad-mapping.yaml', '--connection', connection]);
    expect(badMapping.code).toBe(1);
    expect(badMapping.stderr).toContain('TRIGGER_INPUT_MAPPING');
    expect(badMapping.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);

    // A webhook trigger with no public URL to give Gong (and to check signed deliveries against).
    writeFileSync(path.join(cwd, 'no-public-url.yaml'), 'http:\n  port: 3000\n');
    const noUrl = await gongflow([
      'triggers',
      'deploy',
      'call-hook.yaml',
      '--connection',
      connection,
      '--config',
      'no-public-url.yaml',
    ]);
    expect(noUrl.code).toBe(1);
    expect(noUrl.stderr).toContain('TRIGGER_PUBLIC_URL_REQUIRED');
  },
  JOURNEY_TIMEOUT_MS,
);
