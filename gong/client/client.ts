import ky, { type KyInstance } from 'ky';
import { inSpan, SpanKind } from '../../observability/spans';
import { gongMetrics } from '../../observability/metrics';
import { FAILURE_TYPES } from '../../core/failure-types';
import { arrivalLateness, companyKeyOf, type Reservation } from '../budget/reservation';
import { waitForSlot, type GongBudget } from '../budget/temporal-budget';
import { GONG_REQUEST_ACTION_NAME } from '../catalog/request';
import { decodeGongResponse } from '../catalog/decode';
import type { CursorPagination, GongActionDefinition } from '../catalog/types';
import type { GongCredentials } from './credentials';
import { classifyGongError, GongApiError, isCursorExpired, isEmptyResult } from './errors';
import { getWithJsonBody, type RawAnswer } from './get-with-body';
import { parseGongJson } from './json';
import { multipartBody, type FileDownloader } from './multipart';
import { buildGongRequest, type GongHttpRequest } from './request';

export interface GongResponse {
  status: number;
  body: unknown;
  requestId: string | undefined;
  retryAfter: string | null;
}

/** How late after its budget slot a request may still be sent. */
const MAX_SLOT_LATENESS_MS = 25;

/**
 * How often one paginated call starts over from the first page when Gong says its cursor expired (a retry
 * resuming from an old heartbeat, or pages slower than the cursor's lifetime). Bounded: a cursor lifetime
 * shorter than the whole listing would otherwise loop forever.
 */
export const MAX_CURSOR_RESTARTS = 2;

/** Progress of a paginated call: enough to resume after a crash (heartbeated by the activity). */
export interface PaginationProgress {
  cursor: string | undefined;
  items: unknown[];
  totalRecords: number;
  pages: number;
}

export interface CallActionOptions {
  resumeFrom?: PaginationProgress;
  onPage?: (progress: PaginationProgress, requestId: string | undefined) => void;
  /** Called for every request sent (for logs): never given secrets. */
  onRequest?: (request: GongHttpRequest) => void;
  /** Called for every answer, with Gong's requestId (for logs). */
  onResponse?: (request: GongHttpRequest, response: GongResponse) => void;
  /** Gong said the cursor expired: paging starts over from the first page (`restart` of MAX_CURSOR_RESTARTS). */
  onCursorExpired?: (restart: number, requestId: string | undefined) => void;
}

export interface GongClientOptions {
  timeoutMs: number;
  /** The company's shared budget: every request waits for its slot (absent: no pacing, e.g. in tools). */
  budget?: GongBudget;
  /** Called while waiting for a slot or streaming an upload (activities heartbeat here). */
  onWait?: () => void;
  /**
   * Aborts waits and requests (an activity's cancellation signal): a cancelled attempt or a worker shutting
   * down must not sit out a budget wait or a reservation nobody will answer.
   */
  signal?: AbortSignal;
  /**
   * Ends budget waits only (never a request already sent): a worker shutting down gives the slots its
   * waiting requests hold back at once, so the workers taking over use them (the wait would otherwise last
   * until the shutdown grace time ends, and the attempt be retried elsewhere meanwhile).
   */
  stopWaiting?: AbortSignal;
  /**
   * Sent requests finish even when `signal` aborts (a worker shutting down lets them answer within its grace
   * time): aborting a write already sent would leave its outcome unknown. Waits still abort.
   */
  letSentRequestsFinish?: boolean;
  /**
   * Awaited once the request's slot is near, just before it is sent (writes record durably that they are
   * about to send). A failure sends nothing: the slot is given back and the error thrown.
   */
  beforeSend?: () => Promise<void>;
  /** Fetches files to upload given by URL (workers: under the http-step destination policy); default fetch. */
  download?: FileDownloader;
}

/** How long before its slot a request runs `beforeSend` (a durable record takes a round trip to Temporal). */
const BEFORE_SEND_LEAD_MS = 100;

/** Network failures that happen before a connection exists: not a byte of the request reached Gong. */
const NOT_SENT_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
]);

/** One connection's Gong API client: JSON parsed losslessly, errors classified, pages followed. */
export class GongClient {
  private readonly http: KyInstance;

  constructor(
    private readonly credentials: GongCredentials,
    private readonly options: GongClientOptions,
  ) {
    this.http = ky.create({
      timeout: options.timeoutMs,
      retry: 0, // Temporal retries activities; retrying here too would multiply calls against Gong's budget.
      throwHttpErrors: false,
    });
  }

  /**
   * Sends one request (after its budget slot) and parses the answer losslessly. Only a request that got no
   * answer throws (a retryable GongServerError); error statuses come back for the caller to classify.
   */
  async send(request: GongHttpRequest): Promise<GongResponse> {
    const url = this.urlOf(request);
    // A file to upload is fetched before the budget slot: a slow or broken download must not waste one.
    const multipart = request.files
      ? await multipartBody(request.files, {
          timeoutMs: this.options.timeoutMs,
          ...(this.options.onWait ? { onChunk: this.options.onWait } : {}),
          ...(this.options.download ? { download: this.options.download } : {}),
        })
      : undefined;
    // Credentials first: an OAuth refresh between slot and send would make the request late for its slot.
    const headers: Record<string, string> = {
      authorization: await this.credentials.authorization(),
      accept: 'application/json',
    };
    const waitStartedMs = Date.now();
    const slot = await this.takeBudgetSlot(request);
    if (slot) gongMetrics.budgetWait.observe((Date.now() - waitStartedMs) / 1000);
    if (!slot) await this.options.beforeSend?.();
    this.options.signal?.throwIfAborted();
    const requestSignal = this.options.letSentRequestsFinish ? undefined : this.options.signal;
    // Again after the wait: a token that expired while the request waited for its slot would be refused. A
    // token still valid comes from the connection's cache at once; only an expired one costs a refresh.
    if (slot) headers.authorization = await this.credentials.authorization();
    const sentMs = Date.now();
    let answer: RawAnswer;
    try {
      if (request.method === 'GET' && request.json !== undefined) {
        answer = await getWithJsonBody(url, headers, JSON.stringify(request.json), this.options.timeoutMs);
      } else {
        const response = await this.http(url, {
          method: request.method,
          headers: multipart ? { ...headers, 'content-type': multipart.contentType } : headers,
          ...(requestSignal ? { signal: requestSignal } : {}),
          ...(multipart
            ? // A streamed upload can take longer than one API answer: the activity's timeout bounds it.
              { body: multipart.body, timeout: false as const }
            : request.json !== undefined
              ? { json: request.json }
              : {}),
        });
        answer = { status: response.status, headers: response.headers, text: await response.text() };
      }
    } catch (error) {
      if (requestSignal?.aborted) throw requestSignal.reason;
      const notSent = wasNotSent(error);
      throw new GongApiError(
        0,
        FAILURE_TYPES.server,
        `${request.method} ${request.path}: ${notSent ? 'not sent' : 'no answer'} from Gong at ${this.credentials.baseUrl} (so no requestId): ${describeNetworkError(error)}`,
        undefined,
        undefined,
        undefined,
        notSent,
      );
    }
    if (slot) {
      const latenessMs = arrivalLateness(slot.atMs, sentMs, Date.now());
      slot.budget.observe(slot.companyKey, { latenessMs, tooMany: answer.status === 429 });
    }
    let body: unknown;
    try {
      body = parseGongJson(answer.text);
    } catch {
      body = { errors: [answer.text.slice(0, 200)] };
    }
    const requestId =
      (body as { requestId?: string } | undefined)?.requestId ?? answer.headers.get('x-traceid') ?? undefined;
    return { status: answer.status, body, requestId, retryAfter: answer.headers.get('retry-after') };
  }

  /** Runs one catalog action; paginated actions follow every cursor and merge the records. */
  async callAction(
    action: GongActionDefinition,
    input: Record<string, unknown>,
    options: CallActionOptions = {},
  ): Promise<unknown> {
    const pagination = paginationOf(action, input);
    if (!pagination) {
      const request = buildGongRequest(action, input);
      const response = await this.exchange(action.name, request, options);
      if (response.status >= 200 && response.status < 300)
        return withoutRequestId(decodeGongResponse(action.response, response.body));
      throw this.failure(request, response);
    }

    const itemsKey = pagination.itemsKey;
    const maxItems = typeof input['maxItems'] === 'number' ? input['maxItems'] : Infinity;
    const fresh = (): PaginationProgress => ({ cursor: undefined, items: [], totalRecords: 0, pages: 0 });
    let progress: PaginationProgress = options.resumeFrom
      ? { ...options.resumeFrom, items: [...options.resumeFrom.items] }
      : fresh();
    let restarts = 0;
    for (;;) {
      const request = buildGongRequest(action, input, progress.cursor);
      const response = await this.exchange(action.name, request, options);
      if (isEmptyResult(response.status, response.body, action.emptyOn404Messages)) break;
      if (progress.cursor !== undefined && isCursorExpired(response.status, response.body)) {
        // Pages cannot be resumed with a fresh cursor (Gong has no offsets): start over, dropping the items
        // collected so far so no record is counted twice. Bounded, then the 400 is the answer.
        if (restarts < MAX_CURSOR_RESTARTS) {
          restarts += 1;
          options.onCursorExpired?.(restarts, response.requestId);
          progress = fresh();
          continue;
        }
      }
      if (response.status < 200 || response.status >= 300) throw this.failure(request, response);
      const page = decodeGongResponse(action.response, response.body) as {
        records?: { totalRecords?: number; cursor?: string };
      } & Record<string, unknown>;
      const items = Array.isArray(page[itemsKey]) ? (page[itemsKey] as unknown[]) : [];
      progress.items.push(...items);
      progress.totalRecords = page.records?.totalRecords ?? progress.items.length;
      progress.cursor = page.records?.cursor;
      progress.pages += 1;
      options.onPage?.(progress, response.requestId);
      if (!progress.cursor || progress.items.length >= maxItems) break;
    }
    const truncated =
      progress.items.length > maxItems ||
      (progress.cursor !== undefined && progress.items.length >= maxItems);
    return {
      [itemsKey]: progress.items.slice(0, maxItems === Infinity ? undefined : maxItems),
      totalRecords: progress.totalRecords,
      truncated,
    };
  }

  private async exchange(
    actionName: string,
    request: GongHttpRequest,
    options: CallActionOptions,
  ): Promise<GongResponse> {
    options.onRequest?.(request);
    // One client span per call to Gong (a page, a retry), inside the activity's span: the run's trace.
    const response = await inSpan(
      `Gong ${request.method} ${request.path}`,
      {
        kind: SpanKind.CLIENT,
        attributes: {
          'http.request.method': request.method,
          'url.path': request.path,
          'server.address': this.credentials.baseUrl,
        },
      },
      async (span) => {
        let answer: GongResponse;
        try {
          answer = await this.send(request);
        } catch (error) {
          if (error instanceof GongApiError && error.status === 0)
            gongMetrics.requests.inc({ action: actionName, status: '0' });
          throw error;
        }
        gongMetrics.requests.inc({ action: actionName, status: String(answer.status) });
        if (answer.status === 429) gongMetrics.rateLimited.inc({ action: actionName });
        span.setAttribute('http.response.status_code', answer.status);
        if (answer.requestId) span.setAttribute('gong.request_id', answer.requestId);
        return answer;
      },
    );
    options.onResponse?.(request, response);
    return response;
  }

  private urlOf(request: GongHttpRequest): string {
    const search = new URLSearchParams(request.query).toString();
    return `${this.credentials.baseUrl.replace(/\/+$/, '')}${request.path}${search ? `?${search}` : ''}`;
  }

  /** Waits for a budget slot; returns it (for `observe`), or undefined without a budget. */
  private async takeBudgetSlot(
    request: GongHttpRequest,
  ): Promise<{ budget: GongBudget; companyKey: string; atMs: number } | undefined> {
    const budget = this.options.budget;
    if (!budget) return undefined;
    const companyKey = companyKeyOf(this.credentials.baseUrl);
    const waitSignal = anySignal(this.options.signal, this.options.stopWaiting);
    for (let attempt = 1; ; attempt += 1) {
      // A reservation waits behind the budget workflow's other updates (seconds on a loaded machine):
      // report liveness meanwhile, or the activity's heartbeat timeout retries an attempt that then still sends.
      const ticker = setInterval(() => this.options.onWait?.(), 5_000);
      let reservation: Reservation;
      try {
        reservation = await budget.reserve(companyKey, waitSignal);
      } finally {
        clearInterval(ticker);
      }
      if (reservation.kind === 'quotaExhausted') {
        throw new GongApiError(
          429,
          FAILURE_TYPES.quotaExhausted,
          `${request.method} ${request.path}: the company's daily Gong quota is spent; work resumes at ${new Date(reservation.untilMs).toISOString()} (not sent to Gong, so no requestId).`,
          undefined,
          Math.max(0, reservation.untilMs - Date.now()),
          undefined,
        );
      }
      const onWait = this.options.onWait ?? (() => undefined);
      try {
        if (attempt === 1 && this.options.beforeSend) {
          await waitForSlot(reservation.atMs - BEFORE_SEND_LEAD_MS, onWait, 5_000, waitSignal);
          await this.options.beforeSend();
        }
        await waitForSlot(reservation.atMs, onWait, 5_000, waitSignal);
      } catch (error) {
        // Cancelled while waiting (a worker shutting down, a cancelled run), or `beforeSend` failed: the slot
        // goes to another request, and the retry of this one reserves afresh.
        await budget.release(companyKey, reservation.atMs);
        throw error;
      }
      // A request sent well after its slot would crowd the ones reserved after it into Gong's sliding
      // second: take a fresh slot instead (a busy event loop or a slow update can make us late).
      if (Date.now() - reservation.atMs <= MAX_SLOT_LATENESS_MS || attempt >= 3)
        return { budget, companyKey, atMs: reservation.atMs };
    }
  }

  private failure(request: GongHttpRequest, response: GongResponse): GongApiError {
    return classifyGongError(response.status, response.body, {
      method: request.method,
      path: request.path,
      retryAfterHeader: response.retryAfter,
      traceId: response.requestId ?? null,
    });
  }
}

/** The catalog's pagination, or for `gong.request` the `itemsKey` its input names. */
function paginationOf(
  action: GongActionDefinition,
  input: Record<string, unknown>,
): CursorPagination | undefined {
  if (action.name === GONG_REQUEST_ACTION_NAME)
    return typeof input['itemsKey'] === 'string' ? { itemsKey: input['itemsKey'] } : undefined;
  return action.pagination;
}

/** Not `instanceof Error`: fetch's errors may come from another realm (jest's sandbox, a worker thread). */
function wasNotSent(error: unknown): boolean {
  for (
    let cause: unknown = error, depth = 0;
    typeof cause === 'object' && cause !== null && depth < 5;
    cause = (cause as { cause?: unknown }).cause, depth += 1
  ) {
    const code = (cause as { code?: unknown }).code;
    if (typeof code === 'string' && NOT_SENT_CODES.has(code)) return true;
  }
  return false;
}

function describeNetworkError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = (error as { cause?: { message?: unknown } }).cause;
  const detail = typeof cause?.message === 'string' ? `: ${cause.message}` : '';
  return `${error.name === 'TimeoutError' ? 'timed out' : error.message}${detail}`;
}

function withoutRequestId(body: unknown): unknown {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return body ?? null;
  const { requestId: _requestId, ...rest } = body as Record<string, unknown>;
  return rest;
}

function anySignal(...signals: Array<AbortSignal | undefined>): AbortSignal | undefined {
  const present = signals.filter((signal): signal is AbortSignal => signal !== undefined);
  return present.length <= 1 ? present[0] : AbortSignal.any(present);
}
