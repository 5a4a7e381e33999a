import type { GongEmulator } from '../../emulator';
import { findGongAction } from '../../gong/catalog';
import { GongClient, MAX_CURSOR_RESTARTS } from '../../gong/client/client';
import { GongApiError } from '../../gong/client/errors';
import { FAILURE_TYPES } from '../../core/failure-types';
import { startTestEmulator } from '../emulator/client';
import { emulatorClient, emulatorCredentials } from './support';

/** GongClient against the emulator: one test per error class, lossless IDs, paging rules. */

const action = (name: string) => findGongAction(name)!;

async function failureOf(promise: Promise<unknown>): Promise<GongApiError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof GongApiError) return error;
    throw error;
  }
  throw new Error('expected a GongApiError');
}

describe('GongClient against the emulator', () => {
  let emulator: GongEmulator;
  let client: GongClient;
  let companyId: string;

  beforeAll(async () => {
    ({ emulator } = await startTestEmulator({ userCount: 250, cursorTtlSeconds: 60 }));
    client = emulatorClient(emulator);
    companyId = emulator.defaultCompany.id;
  });
  afterAll(() => emulator?.close());
  afterEach(() => {
    emulator.admin.setFaults(companyId, {
      failNext: 0,
      dropNext: 0,
      errorRate: 0,
      dropRate: 0,
      latencyMs: 0,
    });
  });

  describe("classified errors, each naming Gong's requestId", () => {
    it('401 missing scope: GongMissingScopeError, not retryable, naming the scope and the fix', async () => {
      const scoped = emulator.admin.createAccessKey(companyId, { scopes: ['api:users:read'] });
      const limited = new GongClient(emulatorCredentials({ ...emulator.defaultCompany, ...scoped }), {
        timeoutMs: 10_000,
      });
      const error = await failureOf(
        limited.callAction(action('gong.calls.list'), { fromDateTime: '2026-02-01T00:00:00Z' }),
      );
      expect(error.status).toBe(401);
      expect(error.failureType).toBe(FAILURE_TYPES.missingScope);
      expect(error.retryable).toBe(false);
      expect(error.missingScope).toBe('api:calls:read:basic');
      expect(error.message).toContain("lacks the scope 'api:calls:read:basic'");
      expect(error.message).toMatch(/reconnect/i);
      expect(error.requestId).toMatch(/^[a-z0-9]{10,}$/);
      expect(error.message).toContain(`Gong requestId ${error.requestId!}`);
    });

    it('401 bad credentials: GongAuthError, not retryable', async () => {
      const wrong = new GongClient(
        emulatorCredentials({ ...emulator.defaultCompany, accessKeySecret: 'not-the-secret' }),
        { timeoutMs: 10_000 },
      );
      const error = await failureOf(wrong.callAction(action('gong.users.list'), {}));
      expect([401, 403]).toContain(error.status);
      expect(error.failureType).toBe(FAILURE_TYPES.auth);
      expect(error.retryable).toBe(false);
      expect(error.message).toContain(`Gong requestId ${error.requestId!}`);
    });

    it("403 on another company's host: GongAuthError that points at the company's own host", async () => {
      const other = await emulator.admin.createCompany({ name: `Other ${Date.now()}` });
      const misrouted = new GongClient(emulatorCredentials(emulator.defaultCompany, other.apiBaseUrl), {
        timeoutMs: 10_000,
      });
      const error = await failureOf(misrouted.callAction(action('gong.users.list'), {}));
      expect([401, 403]).toContain(error.status);
      expect(error.failureType).toBe(FAILURE_TYPES.auth);
      expect(error.retryable).toBe(false);
      expect(error.message).toContain("company's own API host");
      expect(error.message).toContain(`Gong requestId ${error.requestId!}`);
    });

    it('429: GongRateLimitedError, retryable, with the Retry-After delay', async () => {
      emulator.admin.setFaults(companyId, { rateLimitStormMs: 4_000 });
      try {
        const error = await failureOf(client.callAction(action('gong.users.list'), {}));
        expect(error.status).toBe(429);
        expect(error.failureType).toBe(FAILURE_TYPES.rateLimited);
        expect(error.retryable).toBe(true);
        expect(error.retryAfterMs).toBe(4_000);
        expect(error.message).toContain(`Gong requestId ${error.requestId!}`);
      } finally {
        emulator.admin.setFaults(companyId, { rateLimitStormMs: 0 });
      }
    });

    it('5xx: GongServerError, retryable', async () => {
      emulator.admin.setFaults(companyId, { failNext: 1, errorStatus: 503 });
      const error = await failureOf(client.callAction(action('gong.workspaces.list'), {}));
      expect(error.status).toBe(503);
      expect(error.failureType).toBe(FAILURE_TYPES.server);
      expect(error.retryable).toBe(true);
      expect(error.message).toContain(`Gong requestId ${error.requestId!}`);
    });

    it('dropped connection: GongServerError, retryable, saying no requestId exists', async () => {
      emulator.admin.setFaults(companyId, { dropNext: 1 });
      const error = await failureOf(client.callAction(action('gong.workspaces.list'), {}));
      expect(error.status).toBe(0);
      expect(error.failureType).toBe(FAILURE_TYPES.server);
      expect(error.retryable).toBe(true);
      expect(error.message).toContain('no answer from Gong');
      expect(error.message).toContain('no requestId');
    });

    it('unreachable host: GongServerError, retryable', async () => {
      const nowhere = new GongClient(emulatorCredentials(emulator.defaultCompany, 'http://127.0.0.1:9'), {
        timeoutMs: 5_000,
      });
      const error = await failureOf(nowhere.callAction(action('gong.workspaces.list'), {}));
      expect(error.failureType).toBe(FAILURE_TYPES.server);
      expect(error.retryable).toBe(true);
    });

    it('404 for an unknown ID: GongNotFoundError, not retryable', async () => {
      const error = await failureOf(
        client.callAction(action('gong.calls.get'), { id: '1234567890123456789' }),
      );
      expect(error.status).toBe(404);
      expect(error.failureType).toBe(FAILURE_TYPES.notFound);
      expect(error.retryable).toBe(false);
      expect(error.message).toContain('1234567890123456789');
      expect(error.message).toContain(`Gong requestId ${error.requestId!}`);
    });

    it('400: GongValidationError, not retryable', async () => {
      const error = await failureOf(
        client.callAction(action('gong.library.folders.list'), { workspaceId: '1' }),
      );
      expect(error.status).toBe(400);
      expect(error.failureType).toBe(FAILURE_TYPES.validation);
      expect(error.retryable).toBe(false);
    });
  });

  describe('empty searches', () => {
    it.each([
      [
        'gong.calls.list',
        { fromDateTime: '2001-01-01T00:00:00Z', toDateTime: '2001-01-02T00:00:00Z' },
        'calls',
      ],
      ['gong.users.extensive', { filter: { createdToDateTime: '2001-01-01T00:00:00Z' } }, 'users'],
      [
        'gong.stats.activity.scorecards',
        { filter: { reviewFromDate: '2001-01-01', reviewToDate: '2001-01-02' } },
        'answeredScorecards',
      ],
    ])('%s: Gong\'s 404 "No ... found" is an empty result', async (name, input, itemsKey) => {
      const before = Math.max(0, ...emulator.admin.requestLog().map((entry) => entry.seq));
      const output = await client.callAction(action(name), input);
      expect(output).toEqual({ [itemsKey]: [], totalRecords: 0, truncated: false });
      expect(emulator.admin.requestLog({ sinceSeq: before }).map((entry) => entry.status)).toEqual([404]);
    });
  });

  describe('pagination', () => {
    it('follows GET cursors in the query and POST cursors in the body', async () => {
      const before = Math.max(0, ...emulator.admin.requestLog().map((entry) => entry.seq));
      const listed = (await client.callAction(action('gong.users.list'), {})) as { users: { id: string }[] };
      const extensive = (await client.callAction(action('gong.users.extensive'), { filter: {} })) as {
        users: { id: string }[];
      };
      expect(listed.users).toHaveLength(250);
      expect(new Set(listed.users.map((user) => user.id)).size).toBe(250);
      expect(extensive.users.map((user) => user.id)).toEqual(listed.users.map((user) => user.id));
      const log = emulator.admin.requestLog({ sinceSeq: before });
      const gets = log.filter((entry) => entry.path === '/v2/users');
      const posts = log.filter((entry) => entry.path === '/v2/users/extensive');
      expect(gets.map((entry) => 'cursor' in entry.query)).toEqual([false, true, true]);
      expect(posts.map((entry) => 'cursor' in (entry.body as object))).toEqual([false, true, true]);
      expect(posts.every((entry) => !('cursor' in entry.query))).toBe(true);
    });

    it('stops at maxItems and says the result is truncated', async () => {
      const output = (await client.callAction(action('gong.users.list'), { maxItems: 120 })) as {
        users: unknown[];
        truncated: boolean;
        totalRecords: number;
      };
      expect(output.users).toHaveLength(120);
      expect(output.truncated).toBe(true);
      expect(output.totalRecords).toBe(250);
    });

    it('restarts from the first page when Gong says the cursor expired (bounded)', async () => {
      const before = Math.max(0, ...emulator.admin.requestLog().map((entry) => entry.seq));
      const restarts: number[] = [];
      let expired = false;
      const output = (await client.callAction(
        action('gong.users.list'),
        {},
        {
          onPage: (progress) => {
            // After the first page, let the cursor outlive its 60 s lifetime once.
            if (progress.pages === 1 && !expired) {
              expired = true;
              emulator.admin.advanceClock(61_000);
            }
          },
          onCursorExpired: (restart) => restarts.push(restart),
        },
      )) as { users: { id: string }[] };
      expect(restarts).toEqual([1]);
      expect(output.users).toHaveLength(250);
      expect(new Set(output.users.map((user) => user.id)).size).toBe(250);
      const statuses = emulator.admin
        .requestLog({ sinceSeq: before })
        .map((entry) => `${entry.status}${'cursor' in entry.query ? '+cursor' : ''}`);
      expect(statuses).toEqual(['200', '400+cursor', '200', '200+cursor', '200+cursor']);
    });

    it(`gives up after ${MAX_CURSOR_RESTARTS} restarts with the 400`, async () => {
      const error = await failureOf(
        client.callAction(
          action('gong.users.list'),
          {},
          { onPage: () => void emulator.admin.advanceClock(61_000) },
        ),
      );
      expect(error.status).toBe(400);
      expect(error.message).toContain('cursor has expired');
    });

    it('resumes from a heartbeated cursor without refetching earlier pages', async () => {
      const pages: { cursor: string | undefined; items: unknown[]; totalRecords: number; pages: number }[] =
        [];
      await client.callAction(
        action('gong.users.list'),
        {},
        { onPage: (progress) => pages.push({ ...progress, items: [...progress.items] }) },
      );
      const afterFirst = pages[0]!;
      const before = Math.max(0, ...emulator.admin.requestLog().map((entry) => entry.seq));
      const output = (await client.callAction(action('gong.users.list'), {}, { resumeFrom: afterFirst })) as {
        users: unknown[];
      };
      expect(output.users).toHaveLength(250);
      const sent = emulator.admin.requestLog({ sinceSeq: before });
      expect(sent).toHaveLength(2);
      expect(sent.every((entry) => 'cursor' in entry.query)).toBe(true);
    });
  });

  describe('lossless JSON', () => {
    it('keeps IDs Gong sends as JSON numbers above 2^53 exact', async () => {
      // Answered scorecards carry int64 IDs as JSON numbers (Gong's export; the emulator follows it).
      const filter = { reviewFromDate: '2025-01-01' };
      const raw = await fetch(`${emulator.defaultCompany.apiBaseUrl}/v2/stats/activity/scorecards`, {
        method: 'POST',
        headers: {
          authorization: `Basic ${Buffer.from(`${emulator.defaultCompany.accessKey}:${emulator.defaultCompany.accessKeySecret}`).toString('base64')}`,
          'content-type': 'application/json',
        },
        body: JSON.stringify({ filter }),
      });
      const text = await raw.text();
      const digits = [...text.matchAll(/"answeredScorecardId":(\d+)/g)].map((match) => match[1]!);
      expect(digits.length).toBeGreaterThan(0);
      expect(digits.some((id) => !Number.isSafeInteger(Number(id)))).toBe(true);
      const output = (await client.callAction(action('gong.stats.activity.scorecards'), { filter })) as {
        answeredScorecards: { answeredScorecardId: string | number }[];
      };
      expect(output.answeredScorecards.map((card) => String(card.answeredScorecardId))).toEqual(digits);
    });
  });

  describe('gong.request', () => {
    it('calls any path with the connection, following cursors of the named items key', async () => {
      const output = (await client.callAction(action('gong.request'), {
        method: 'POST',
        path: '/v2/users/extensive',
        body: { filter: {} },
        itemsKey: 'users',
        maxItems: 150,
      })) as { users: unknown[]; truncated: boolean };
      expect(output.users).toHaveLength(150);
      expect(output.truncated).toBe(true);
      const one = (await client.callAction(action('gong.request'), {
        method: 'GET',
        path: '/v2/workspaces',
      })) as Record<string, unknown>;
      expect(Array.isArray(one['workspaces'])).toBe(true);
      expect(one).not.toHaveProperty('requestId');
    });

    it('only accepts /v2 paths of the connection host', () => {
      const input = action('gong.request').input;
      for (const path of [
        'https://evil.example/v2/users',
        '/v2/../oauth2/token',
        '//evil.example/v2',
        'v2/users',
      ])
        expect(input.safeParse({ method: 'GET', path }).success).toBe(false);
      expect(input.safeParse({ method: 'GET', path: '/v2/calls/123' }).success).toBe(true);
    });
  });
});
