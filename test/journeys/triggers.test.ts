import { randomUUID } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Client, Connection, ScheduleNotFoundError } from '@temporalio/client';
import type { GongflowClient, RunSummary } from '../../client/index';
import type { CliResult } from '../support/cli';
import { freePort } from '../support/ports';
import { waitFor } from '../support/wait';
import {
  apiClient,
  createProject,
  emulatorAdmin,
  startServer,
  type JourneyProject,
  type ServerProcess,
} from './project';

/**
 * The triggers journey, as an operator and Gong live it: a project folder whose definitions are deployed
 * with the `gongflow` command, `gongflow server --emulator` started as a user starts it, Gong played by the
 * emulator's admin API (calls, processing, an automation rule that fires signed webhooks), runs read through
 * the typed client. Temporal's own API is used for what Temporal offers: "trigger now" on a schedule, and
 * reading what it recorded (a fire's nominal time, a closed poller).
 */

/** Each CLI command is a fresh node + tsx process: seconds each, more on a busy machine. */
const JOURNEY_TIMEOUT_MS = 600_000;
const WEEK_MS = 7 * 86_400_000;

let project: JourneyProject;
let server: ServerProcess;
let client: GongflowClient;
let temporal: Client;
let gong: ReturnType<typeof emulatorAdmin>;
let publicUrl: string;
let company: { id: string; apiBaseUrl: string; accessKey: string; accessKeySecret: string };
const connection = `journey-${randomUUID().slice(0, 8)}`;
const suffix = randomUUID().slice(0, 6);
const hookName = `journey-hook-${suffix}`;
const pollName = `journey-poll-${suffix}`;
/** The docs' example, run verbatim: its name is its own. */
const weeklyName = 'last-weeks-calls';

async function succeeded(args: string[]): Promise<string> {
  const result: CliResult = await project.gongflow(args);
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
  if (result.status !== 'completed') throw new Error(`run ${result.status}: ${result.failure.message}`);
  return result.output as T;
}

/** When the cron said this fire was due, as Temporal itself recorded it on the run. */
async function scheduledTimeOf(run: RunSummary): Promise<string> {
  const attributes = (await temporal.workflow.getHandle(run.id).describe()).searchAttributes;
  const stamped = (attributes['TemporalScheduledStartTime'] as Date[] | undefined)?.[0];
  if (!stamped) throw new Error(`${run.id} carries no TemporalScheduledStartTime`);
  return stamped.toISOString().replace('.000Z', 'Z');
}

type Deliveries = { deliveries: Array<{ callId: string; status: number | null }> };

interface Week {
  from: string;
  to: string;
  calls: number;
}

beforeAll(async () => {
  // Gong signs each delivery for the URL it posts to: the server's public URL, known before it starts.
  const port = await freePort();
  publicUrl = `http://127.0.0.1:${port}`;
  project = createProject(`http:\n  publicUrl: ${publicUrl}\n`);
  project.define(
    'call-hook.yaml',
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
  project.define(
    'new-calls.yaml',
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
  project.define('last-weeks-calls.yaml', docsWeeklyExample());
  server = await startServer(project, { port });
  gong = emulatorAdmin(server.emulatorUrl);
  client = await apiClient(project, server, 'journey-operator');
  // A Gong company of its own (no seeded calls), connected with an access key as an operator does it.
  company = await gong.call('POST', '/companies', {
    name: `Journey ${connection}`,
    userCount: 3,
    callCount: 0,
    rateLimits: { perSecond: 200, perDay: 1_000_000 },
  });
  await succeeded([
    'connections',
    'add-key',
    connection,
    '--base-url',
    company.apiBaseUrl,
    '--access-key',
    company.accessKey,
    '--access-key-secret',
    company.accessKeySecret,
  ]);
  temporal = new Client({
    connection: await Connection.connect({ address: process.env['TEMPORAL_ADDRESS'] ?? '' }),
  });
}, 240_000);

/** The server's /metrics, read with an API key of its own as a Prometheus scraper would. */
async function metricsText(): Promise<string> {
  const created = await project.gongflow(['api-keys', 'create', '--name', 'journey-scraper', '--json']);
  const { key } = JSON.parse(created.stdout) as { key: string };
  const response = await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${key}` } });
  expect(response.status).toBe(200);
  return response.text();
}

afterAll(async () => {
  await server?.stop();
  await temporal?.connection.close();
});

test(
  'webhook, poller and a weekly schedule start the runs they should, then undeploy stops all three',
  async () => {
    // Gong: an automation rule that fires a signed webhook at gongflow for calls titled "Journey hook".
    const rule = await gong.call<{ id: string; publicKey: string }>(
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
      'definitions/call-hook.yaml',
      '--connection',
      connection,
      '--public-key',
      rule.publicKey,
    ]);
    expect(deployedHook).toContain(`Gong rule URL: ${publicUrl}/webhooks/gong/${connection}`);
    const hooked = await gong.call<{ callId: string }>('POST', `/companies/${company.id}/calls`, {
      title: 'Journey hook call',
      processingDelayMs: 0,
    });
    const [hookRun] = await runsOf(hookName, 1);
    expect(await outputOf(hookRun!)).toEqual({ callId: hooked.callId, via: 'gong.call.processed' });
    const deliveries = await gong.call<Deliveries>('GET', '/webhook-deliveries');
    expect(deliveries.deliveries.filter((delivery) => delivery.callId === hooked.callId)).toEqual([
      expect.objectContaining({ status: 200 }),
    ]);

    // 2. Poller: deploy, a new call becomes visible in Gong, the poller starts a run for it.
    await succeeded(['triggers', 'deploy', 'definitions/new-calls.yaml', '--connection', connection]);
    const polled = await gong.call<{ callId: string }>('POST', `/companies/${company.id}/calls`, {
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

    // What the operator's Prometheus sees of both: the delivery that started a run, the polls, the event.
    const metrics = await metricsText();
    expect(metrics).toMatch(/^gongflow_webhook_deliveries_total\{outcome="started"\} [1-9]/m);
    expect(metrics).toMatch(/^gongflow_trigger_polls_total\{kind="gong\.call\.new"\} [1-9]/m);
    expect(metrics).toMatch(
      /^gongflow_trigger_events_total\{kind="gong\.call\.new",outcome="started"\} [1-9]/m,
    );

    // 3. Weekly schedule (the docs' example, verbatim): a fire now reports the week before its own time.
    await succeeded(['triggers', 'deploy', 'definitions/last-weeks-calls.yaml', '--connection', connection]);
    const scheduleId = `gongflow-schedule/${weeklyName}/schedule/${connection}`;
    await temporal.schedule.getHandle(scheduleId).trigger(); // Temporal's "trigger now"
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

    // 4. Undeploy all three (the schedule by the file it was deployed from); none of them starts a run any more.
    const removed = await Promise.all(
      [hookName, pollName, 'definitions/last-weeks-calls.yaml'].map((definition) =>
        succeeded(['triggers', 'undeploy', definition, '--connection', connection]),
      ),
    );
    expect(removed[0]).toMatch(/removed .* gong\.call\.processed .*\[webhook\]/);
    expect(removed[1]).toMatch(/removed .* gong\.call\.new .*\[poller\]/);
    expect(removed[2]).toMatch(/removed .* schedule .*\[schedule\]/);

    const listed = JSON.parse(await succeeded(['triggers', '--json'])) as Array<{ connection: string }>;
    expect(listed.filter((row) => row.connection === connection)).toEqual([]);
    // The webhook: Gong's next delivery is refused and starts nothing.
    const late = await gong.call<{ callId: string }>('POST', `/companies/${company.id}/calls`, {
      title: 'Journey hook call after undeploy',
      processingDelayMs: 0,
    });
    const refused = await waitFor(async () => {
      const { deliveries: all } = await gong.call<Deliveries>('GET', '/webhook-deliveries');
      return all.find((delivery) => delivery.callId === late.callId && delivery.status !== null);
    }, 'the delivery after undeploy');
    expect(refused.status).toBe(404);
    expect((await client.listRuns({ definition: hookName, connection })).map((run) => run.id)).toEqual([
      hookRun!.id,
    ]);
    // The poller: its workflow is closed. The schedule: gone.
    const poller = temporal.workflow.getHandle(`gongflow-poller/${pollName}/gong.call.new/${connection}`);
    expect((await poller.describe()).status.name).toBe('TERMINATED');
    await expect(temporal.schedule.getHandle(scheduleId).describe()).rejects.toBeInstanceOf(
      ScheduleNotFoundError,
    );
  },
  JOURNEY_TIMEOUT_MS,
);

test(
  'deploy refuses what cannot work with a code and a fix, never a stack',
  async () => {
    // A mapping that type-checks but fails on every fire (an event id is not a timestamp).
    project.define(
      'bad-mapping.yaml',
      docsWeeklyExample()
        .replace(/^name: .*$/m, `name: journey-bad-${suffix}`)
        .replace('timestamp(trigger.scheduledTime) - duration("168h")', 'timestamp(trigger.eventId)'),
    );
    const badMapping = await project.gongflow([
      'triggers',
      'deploy',
      'definitions/bad-mapping.yaml',
      '--connection',
      connection,
    ]);
    expect(badMapping.code).toBe(1);
    expect(badMapping.stderr).toContain('TRIGGER_INPUT_MAPPING');
    expect(badMapping.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);

    // A webhook trigger with no public URL to give Gong (and to check signed deliveries against).
    writeFileSync(path.join(project.dir, 'no-public-url.yaml'), 'http:\n  port: 3000\n');
    const noUrl = await project.gongflow([
      'triggers',
      'deploy',
      'definitions/call-hook.yaml',
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
