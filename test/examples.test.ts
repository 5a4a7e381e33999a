import { readdirSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { WorkflowHandle } from '@temporalio/client';
import { isDefinitionFile } from '../definitions/files';
import { loadPlan } from '../definitions/load';
import { findGongAction } from '../gong/catalog';
import type { GongClient } from '../gong/client/client';
import { followRun, type RunOutcome } from '../runs/follow';
import { startRun } from '../runs/start';
import { progressQuery } from '../workflows/progress';
import { emulatorClient } from './gong/support';
import { waitFor } from './support/wait';
import { startTestEngine, type TestEngine } from './support/engine';

/**
 * Every example definition, loaded from its file and started the way users start runs, against the Gong
 * emulator on the shared Temporal dev server. Webhook secrets point at a local receiver.
 */

const EXAMPLES_DIR = path.resolve(__dirname, '../definitions/examples');
const EXAMPLES = readdirSync(EXAMPLES_DIR)
  .filter((file) => file.endsWith('.yaml') && isDefinitionFile(file))
  .sort();

interface Received {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: unknown;
}

interface Receiver {
  url: (route: string) => string;
  received: Received[];
  on: (route: string) => Received[];
  close(): Promise<void>;
}

async function startReceiver(): Promise<Receiver> {
  const received: Received[] = [];
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      let body: unknown = text;
      try {
        body = text ? JSON.parse(text) : null;
      } catch {
        // keep the text
      }
      received.push({
        method: request.method ?? '',
        path: request.url ?? '',
        headers: request.headers,
        body,
      });
      response.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: (route) => `http://127.0.0.1:${port}/${route}`,
    received,
    on: (route) => received.filter((entry) => entry.path === `/${route}`),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const SECRETS: Record<string, string> = {
  GONGFLOW_SECRET_SLACK_WEBHOOK_URL: 'slack',
  GONGFLOW_SECRET_CRM_EVENTS_URL: 'crm-events',
  GONGFLOW_SECRET_CRM_ACTIVITIES_URL: 'crm-activities',
  GONGFLOW_SECRET_TICKETING_WEBHOOK_URL: 'ticketing',
  GONGFLOW_SECRET_REVOPS_WEBHOOK_URL: 'revops',
  GONGFLOW_SECRET_COACHING_WEBHOOK_URL: 'coaching',
  GONGFLOW_SECRET_REPORT_WEBHOOK_URL: 'report',
};

interface Seed {
  rep: { id: string; emailAddress: string; active: boolean; managerId: string | null };
  requester: { id: string };
  calls: Array<{
    metaData: { id: string; title: string; started: string; duration: number };
    parties?: Array<{ emailAddress?: string | null; affiliation?: string }>;
  }>;
  flowId: string;
  externalEmail: string;
  reviewDay: string;
}

function isoDay(time: number): string {
  return new Date(time).toISOString().slice(0, 10);
}

describe('every example definition runs against the Gong emulator', () => {
  let engine: TestEngine;
  let receiver: Receiver;
  let gong: GongClient;
  const seed = {} as Seed;
  const savedEnv: Record<string, string | undefined> = {};

  const call = async (name: string, input: Record<string, unknown>) =>
    (await gong.callAction(findGongAction(name)!, input)) as Record<string, unknown>;

  beforeAll(async () => {
    engine = await startTestEngine();
    receiver = await startReceiver();
    for (const [variable, route] of Object.entries(SECRETS)) {
      savedEnv[variable] = process.env[variable];
      process.env[variable] = receiver.url(route);
    }
    savedEnv['GONGFLOW_SECRET_CRM_TOKEN'] = process.env['GONGFLOW_SECRET_CRM_TOKEN'];
    process.env['GONGFLOW_SECRET_CRM_TOKEN'] = 'crm-test-token';

    gong = emulatorClient(engine.emulator);
    // Picking fixture IDs is not under test: lift the 3 requests/s limit for it, then put it back.
    const companyId = engine.emulator.defaultCompany.id;
    const limits = engine.emulator.admin.limits(companyId);
    engine.emulator.admin.setLimits(companyId, { perSecond: 1_000 });
    const users = (await call('gong.users.list', {}))['users'] as Seed['rep'][];
    seed.rep = users.find((user) => user.managerId && user.active && user.emailAddress)!;
    seed.requester = users.find((user) => user.id !== seed.rep.id && user.active)!;
    seed.calls = (
      (await call('gong.calls.extensive', {
        filter: {},
        contentSelector: { exposedFields: { parties: true } },
      })) as { calls: Seed['calls'] }
    ).calls.sort((a, b) => Date.parse(a.metaData.started) - Date.parse(b.metaData.started));
    seed.flowId = (
      (await call('gong.flows.list', { flowOwnerEmail: seed.rep.emailAddress }))['flows'] as { id: string }[]
    )[0]!.id;
    seed.externalEmail = seed.calls
      .flatMap((candidate) => candidate.parties ?? [])
      .find((party) => party.affiliation === 'External' && party.emailAddress)!.emailAddress!;
    const now = Date.now();
    const scorecards = (
      await call('gong.stats.activity.scorecards', {
        filter: { reviewFromDate: isoDay(now - 90 * 86_400_000), reviewToDate: isoDay(now + 86_400_000) },
      })
    )['answeredScorecards'] as { reviewTime: string | null }[];
    const reviewed = scorecards.find((card) => card.reviewTime);
    seed.reviewDay = reviewed ? reviewed.reviewTime!.slice(0, 10) : isoDay(now);
    engine.emulator.admin.setLimits(companyId, { perSecond: limits.perSecond });
  }, 180_000);

  afterAll(async () => {
    for (const [variable, value] of Object.entries(savedEnv)) {
      if (value === undefined) delete process.env[variable];
      else process.env[variable] = value;
    }
    await receiver?.close();
    await engine?.close();
  });

  async function start(
    file: string,
    input: unknown,
    trigger?: { kind: string; event?: unknown },
  ): Promise<WorkflowHandle> {
    return startRun(engine.client, {
      plan: loadPlan(path.join(EXAMPLES_DIR, file)),
      input,
      connectionId: 'emulator',
      taskQueue: engine.taskQueue,
      connections: engine.connections,
      ...(trigger ? { trigger } : {}),
    });
  }

  function logSince(seq: number) {
    return engine.emulator.admin.requestLog().filter((entry) => entry.seq > seq);
  }

  function lastSeq(): number {
    return engine.emulator.admin.requestLog().reduce((max, entry) => Math.max(max, entry.seq), 0);
  }

  const run = async (file: string): Promise<void> => {
    const before = lastSeq();
    const received = receiver.received.length;
    const newHttp = () => receiver.received.slice(received);
    let handle: WorkflowHandle;
    let outcome: RunOutcome;
    const completed = (o: RunOutcome) => {
      expect(o).toMatchObject({ status: 'completed' });
      return (o as { output: Record<string, unknown> }).output;
    };

    switch (file) {
      case 'call-access-grant.yaml': {
        const callId = seed.calls[0]!.metaData.id;
        handle = await start(file, { callId, requesterUserId: seed.requester.id, reason: 'Deal review' });
        await approve(handle, 'hostApproval', 'host@acme.com');
        // Signals sent before the run waits are kept, so no race with the steps.
        await handle.signal('gongflow.signal', { name: 'revoke', payload: { by: 'security@acme.com' } });
        outcome = await followRun(handle, { pollIntervalMs: 100 });
        expect(completed(outcome)).toEqual({ granted: true, revokedBy: 'security@acme.com' });
        const access = logSince(before).filter((entry) => entry.path === '/v2/calls/users-access');
        expect(access.map((entry) => entry.method)).toEqual(['PUT', 'DELETE']);
        expect(JSON.stringify(access[0]!.body)).toContain(seed.requester.id);
        break;
      }
      case 'call-summary-to-slack.yaml': {
        const target = seed.calls.find((candidate) => candidate.metaData.duration >= 300) ?? seed.calls[0]!;
        const callId = target.metaData.id;
        handle = await start(
          file,
          { callId },
          {
            kind: 'gong.call.processed',
            event: {
              isTest: false,
              callData: { metaData: { id: callId, duration: target.metaData.duration } },
            },
          },
        );
        outcome = await followRun(handle, { pollIntervalMs: 100 });
        expect(completed(outcome)).toEqual({ callId, posted: true });
        const posts = newHttp().filter((entry) => entry.path === '/slack');
        expect(posts).toHaveLength(1);
        expect((posts[0]!.body as { text: string }).text).toContain(target.metaData.title);
        break;
      }
      case 'crm-backfill.yaml': {
        // A window holding the three oldest calls.
        const fromDateTime = seed.calls[0]!.metaData.started;
        const toDateTime = new Date(Date.parse(seed.calls[3]!.metaData.started)).toISOString();
        handle = await start(file, { fromDateTime, toDateTime });
        outcome = await followRun(handle, { pollIntervalMs: 200 });
        const output = completed(outcome);
        expect(output['listed']).toBeGreaterThan(0);
        expect(output['posted']).toBe(output['listed']);
        expect(output['truncated']).toBe(false);
        const posts = newHttp().filter((entry) => entry.path === '/crm-activities');
        expect(posts).toHaveLength(output['listed'] as number);
        expect(posts.every((entry) => entry.headers.authorization === 'Bearer crm-test-token')).toBe(true);
        expect(posts.map((entry) => (entry.body as { externalId: string }).externalId)).toContain(
          `gong-${seed.calls[0]!.metaData.id}`,
        );
        break;
      }
      case 'crm-meeting.yaml': {
        const startTime = new Date(Date.now() + 7 * 86_400_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
        const endTime = new Date(Date.now() + 7 * 86_400_000 + 1_800_000)
          .toISOString()
          .replace(/\.\d{3}Z$/, 'Z');
        handle = await start(file, {
          eventId: 'evt-42',
          organizerEmail: seed.rep.emailAddress,
          startTime,
          endTime,
          invitees: [{ email: 'buyer@customer.example', displayName: 'Pat Buyer' }],
        });
        outcome = await followRun(handle, { pollIntervalMs: 100 });
        const output = completed(outcome);
        expect(output['meetingId']).toBeTruthy();
        const patches = newHttp().filter((entry) => entry.path === '/crm-events');
        expect(patches).toHaveLength(1);
        expect(patches[0]!.method).toBe('PATCH');
        expect(patches[0]!.body).toMatchObject({ eventId: 'evt-42', gongMeetingId: output['meetingId'] });
        break;
      }
      case 'data-privacy-erasure.yaml': {
        handle = await start(file, { emailAddress: seed.externalEmail, ticketId: 'PRIV-7' });
        await approve(handle, 'approve', 'privacy@acme.com', 'verified');
        outcome = await followRun(handle, { pollIntervalMs: 100 });
        const output = completed(outcome);
        expect(output['erased']).toBe(true);
        expect(output['calls']).toBeGreaterThan(0);
        expect(
          logSince(before).some((entry) => entry.path === '/v2/data-privacy/erase-data-for-email-address'),
        ).toBe(true);
        const confirmations = newHttp().filter((entry) => entry.path === '/ticketing');
        expect(confirmations.map((entry) => entry.body)).toEqual([
          { ticketId: 'PRIV-7', status: 'erased', approvedBy: 'privacy@acme.com' },
        ]);
        break;
      }
      case 'list-users.yaml': {
        handle = await start(file, {});
        outcome = await followRun(handle, { pollIntervalMs: 100 });
        const output = completed(outcome);
        expect(output['listed']).toBe(output['total']);
        expect(output['total']).toBeGreaterThan(0);
        break;
      }
      case 'new-user-engage-flow.yaml': {
        const prospectIds = ['0033x00003Fh9YtAAJ', '00Q3x000021nWJ8EAM'];
        handle = await start(
          file,
          { userId: seed.rep.id, flowId: seed.flowId, prospectIds },
          {
            kind: 'gong.user.new',
            event: { user: { id: seed.rep.id, active: true, emailAddress: seed.rep.emailAddress } },
          },
        );
        outcome = await followRun(handle, { pollIntervalMs: 100 });
        const output = completed(outcome);
        expect(output['userId']).toBe(seed.rep.id);
        expect(output['assigned']).toBeLessThanOrEqual(prospectIds.length);
        const assign = logSince(before).find((entry) => entry.path.startsWith('/v2/flows/prospects/assign'));
        expect(assign?.body).toMatchObject({
          flowId: seed.flowId,
          flowInstanceOwnerEmail: seed.rep.emailAddress,
        });
        break;
      }
      case 'post-call-to-crm.yaml': {
        const target = seed.calls[1]!.metaData;
        handle = await start(file, {
          callId: target.id,
          title: target.title,
          started: target.started,
          durationSeconds: target.duration,
        });
        outcome = await followRun(handle, { pollIntervalMs: 100 });
        expect(completed(outcome)).toEqual({ callId: target.id, status: 200 });
        const posts = newHttp().filter((entry) => entry.path === '/crm-activities');
        expect(posts).toHaveLength(1);
        expect(posts[0]!.body).toMatchObject({
          externalId: `gong-${target.id}`,
          type: 'call',
          subject: target.title,
        });
        break;
      }
      case 'scorecards-digest.yaml': {
        const day = seed.reviewDay;
        const nextDay = isoDay(Date.parse(`${day}T00:00:00Z`) + 86_400_000);
        handle = await start(
          file,
          { day, nextDay },
          { kind: 'schedule', event: { scheduledTime: `${day}T22:00:00Z` } },
        );
        outcome = await followRun(handle, { pollIntervalMs: 100 });
        const output = completed(outcome);
        expect(logSince(before).some((entry) => entry.path === '/v2/stats/activity/scorecards')).toBe(true);
        if (output['answered'] !== 0) {
          const posts = newHttp().filter((entry) => entry.path === '/coaching');
          expect(posts).toHaveLength(1);
          expect(posts[0]!.body).toMatchObject({ day, answered: output['answered'] });
        }
        break;
      }
      case 'weekly-activity-report.yaml': {
        const toDate = isoDay(Date.now());
        const fromDate = isoDay(Date.now() - 7 * 86_400_000);
        handle = await start(
          file,
          { fromDate, toDate },
          { kind: 'schedule', event: { scheduledTime: `${toDate}T06:00:00Z` } },
        );
        outcome = await followRun(handle, { pollIntervalMs: 100 });
        const output = completed(outcome);
        expect(output['status']).toBe(200);
        const reports = newHttp().filter((entry) => entry.path === '/report');
        expect(reports).toHaveLength(1);
        expect(reports[0]!.body).toMatchObject({
          period: `${fromDate} to ${toDate}`,
          activeUsers: output['users'],
        });
        break;
      }
      default:
        throw new Error(`No test input for example ${file}: add a case to test/examples.test.ts.`);
    }
  };

  it('covers every example file', () => {
    expect(EXAMPLES.length).toBeGreaterThanOrEqual(10);
  });

  it.each(EXAMPLES)(
    '%s',
    async (file) => {
      await run(file);
    },
    180_000,
  );
});

/** Approves an approval step once it waits (approvals are never queued), as `by`. */
async function approve(handle: WorkflowHandle, step: string, by: string, comment?: string): Promise<void> {
  await waitFor(
    async () =>
      (await handle.query(progressQuery)).steps.some((s) => s.id === step && s.waiting !== undefined),
    `${step} to wait for approval`,
  );
  await handle.executeUpdate('gongflow.approve', {
    args: [{ step, approved: true, by, ...(comment !== undefined ? { comment } : {}) }],
  });
}
