import type { GongClient } from '../gong/client/client';
import { classifyGongError, isNoCallsFound } from '../gong/client/errors';
import type { PolledTriggerKind } from './kinds';

/** One event a poller found: its id, the time Gong filters it by (for the cursor), and its payload. */
export interface PolledEvent {
  id: string;
  timeMs: number;
  payload: Record<string, unknown>;
}

export interface PollPage {
  events: PolledEvent[];
  /** Gong requests the scan made (for the budget and the benchmark). */
  requests: number;
}

/**
 * How each polled kind reads Gong: one request shape per kind, every page followed, "No ... found"
 * 404s read as empty (Gong answers empty searches that way), events keyed by the object's id.
 */
export async function scanGong(
  client: GongClient,
  kind: PolledTriggerKind,
  window: { fromMs: number; toMs: number },
  onPage?: (pages: number) => void,
): Promise<PollPage> {
  const events: PolledEvent[] = [];
  let requests = 0;
  let cursor: string | undefined;
  for (;;) {
    const request = pollRequest(kind, window, cursor);
    requests += 1;
    const response = await client.send(request);
    if (response.status === 404 && isEmptySearch(response.body)) break;
    if (response.status < 200 || response.status >= 300) {
      throw classifyGongError(response.status, response.body, {
        method: request.method,
        path: request.path,
        retryAfterHeader: response.retryAfter,
      });
    }
    const body = response.body as { records?: { cursor?: string } } & Record<string, unknown>;
    for (const item of itemsOf(kind, body)) {
      const event = toEvent(kind, item);
      if (event && event.timeMs >= window.fromMs && event.timeMs < window.toMs) events.push(event);
    }
    onPage?.(requests);
    cursor = body.records?.cursor;
    if (!cursor) break;
  }
  return { events, requests };
}

function isEmptySearch(body: unknown): boolean {
  return isNoCallsFound(404, body);
}

const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');
const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const DAY_MS = 86_400_000;

function pollRequest(
  kind: PolledTriggerKind,
  window: { fromMs: number; toMs: number },
  cursor: string | undefined,
): {
  method: string;
  path: string;
  query: Record<string, string>;
  json: Record<string, unknown> | undefined;
} {
  switch (kind) {
    case 'gong.call.new':
      return {
        method: 'GET',
        path: '/v2/calls',
        query: {
          fromDateTime: iso(window.fromMs),
          toDateTime: iso(window.toMs),
          ...(cursor ? { cursor } : {}),
        },
        json: undefined,
      };
    case 'gong.user.new':
      return {
        method: 'POST',
        path: '/v2/users/extensive',
        query: {},
        json: {
          filter: { createdFromDateTime: iso(window.fromMs), createdToDateTime: iso(window.toMs) },
          ...(cursor ? { cursor } : {}),
        },
      };
    case 'gong.scorecard.answered':
      // Review dates are whole days in the company's time zone: widen by a day each side, filter exactly here.
      return {
        method: 'POST',
        path: '/v2/stats/activity/scorecards',
        query: {},
        json: { filter: { reviewFromDate: day(window.fromMs - DAY_MS) }, ...(cursor ? { cursor } : {}) },
      };
  }
}

function itemsOf(kind: PolledTriggerKind, body: Record<string, unknown>): unknown[] {
  const key = kind === 'gong.call.new' ? 'calls' : kind === 'gong.user.new' ? 'users' : 'answeredScorecards';
  const items = body[key];
  return Array.isArray(items) ? items : [];
}

function time(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}

function toEvent(kind: PolledTriggerKind, item: unknown): PolledEvent | undefined {
  if (item === null || typeof item !== 'object') return undefined;
  const record = item as Record<string, unknown>;
  switch (kind) {
    case 'gong.call.new': {
      // GET /v2/calls filters web conferences by their scheduled time, other calls by the start: keep the later.
      const started = time(record['started']);
      const scheduled = time(record['scheduled']);
      const timeMs = Math.max(started ?? -Infinity, scheduled ?? -Infinity);
      if (typeof record['id'] !== 'string' || !Number.isFinite(timeMs)) return undefined;
      return { id: record['id'], timeMs, payload: { call: record } };
    }
    case 'gong.user.new': {
      const timeMs = time(record['created']);
      if (typeof record['id'] !== 'string' || timeMs === undefined) return undefined;
      return { id: record['id'], timeMs, payload: { user: record } };
    }
    case 'gong.scorecard.answered': {
      const id = record['answeredScorecardId'];
      const timeMs = time(record['reviewTime']);
      if ((typeof id !== 'string' && typeof id !== 'number') || timeMs === undefined) return undefined;
      return { id: String(id), timeMs, payload: { answeredScorecard: record } };
    }
  }
}
