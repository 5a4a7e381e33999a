import ky, { type KyInstance } from 'ky';
import { FAILURE_TYPES } from '../../core/failure-types';
import { companyKeyOf } from '../budget/reservation';
import { waitForSlot, type GongBudget } from '../budget/temporal-budget';
import type { GongActionDefinition } from '../catalog/types';
import type { GongCredentials } from './credentials';
import { classifyGongError, GongApiError, isNoCallsFound } from './errors';
import { parseGongJson } from './json';
import { buildGongRequest, type GongHttpRequest } from './request';

export interface GongResponse {
  status: number;
  body: unknown;
  requestId: string | undefined;
  retryAfter: string | null;
}

/** How late after its budget slot a request may still be sent. */
const MAX_SLOT_LATENESS_MS = 25;

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
}

export interface GongClientOptions {
  timeoutMs: number;
  /** The company's shared budget: every request waits for its slot (absent: no pacing, e.g. in tools). */
  budget?: GongBudget;
  /** Called while waiting for a slot (activities heartbeat here). */
  onWait?: () => void;
}

/** One connection's Gong API client: JSON parsed losslessly, errors classified, pages followed. */
export class GongClient {
  private readonly http: KyInstance;

  constructor(
    private readonly credentials: GongCredentials,
    private readonly options: GongClientOptions,
  ) {
    this.http = ky.create({
      prefixUrl: credentials.baseUrl.replace(/\/+$/, ''),
      timeout: options.timeoutMs,
      retry: 0, // Temporal retries activities; retrying here too would multiply calls against Gong's budget.
      throwHttpErrors: false,
      parseJson: parseGongJson,
    });
  }

  async send(request: GongHttpRequest): Promise<GongResponse> {
    await this.takeBudgetSlot(request);
    let response: Response;
    try {
      response = await this.http(request.path.replace(/^\//, ''), {
        method: request.method,
        searchParams: request.query,
        ...(request.json !== undefined ? { json: request.json } : {}),
        headers: { authorization: await this.credentials.authorization(), accept: 'application/json' },
      });
    } catch (error) {
      throw new GongApiError(
        0,
        FAILURE_TYPES.server,
        `${request.method} ${request.path}: could not reach Gong at ${this.credentials.baseUrl}: ${(error as Error).message}`,
        undefined,
        undefined,
        undefined,
      );
    }
    const text = await response.text();
    let body: unknown;
    try {
      body = parseGongJson(text);
    } catch {
      body = { errors: [text.slice(0, 200)] };
    }
    const requestId =
      (body as { requestId?: string } | undefined)?.requestId ??
      response.headers.get('x-traceid') ??
      undefined;
    return { status: response.status, body, requestId, retryAfter: response.headers.get('retry-after') };
  }

  /** Runs one catalog action; paginated actions follow every cursor and merge the records. */
  async callAction(
    action: GongActionDefinition,
    input: Record<string, unknown>,
    options: CallActionOptions = {},
  ): Promise<unknown> {
    if (!action.pagination) {
      const request = buildGongRequest(action, input);
      options.onRequest?.(request);
      const response = await this.send(request);
      if (response.status >= 200 && response.status < 300) return withoutRequestId(response.body);
      throw this.failure(request, response);
    }

    const itemsKey = action.pagination.itemsKey;
    const maxItems = typeof input['maxItems'] === 'number' ? input['maxItems'] : Infinity;
    const progress: PaginationProgress = options.resumeFrom
      ? { ...options.resumeFrom, items: [...options.resumeFrom.items] }
      : { cursor: undefined, items: [], totalRecords: 0, pages: 0 };
    for (;;) {
      const request = buildGongRequest(action, input, progress.cursor);
      options.onRequest?.(request);
      const response = await this.send(request);
      if (
        response.status === 404 &&
        action.emptyOnNoCallsFound &&
        isNoCallsFound(response.status, response.body)
      )
        break;
      if (response.status < 200 || response.status >= 300) throw this.failure(request, response);
      const page = response.body as { records?: { totalRecords?: number; cursor?: string } } & Record<
        string,
        unknown
      >;
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

  private async takeBudgetSlot(request: GongHttpRequest): Promise<void> {
    const budget = this.options.budget;
    if (!budget) return;
    const companyKey = companyKeyOf(this.credentials.baseUrl);
    for (let attempt = 1; ; attempt += 1) {
      const reservation = await budget.reserve(companyKey);
      if (reservation.kind === 'quotaExhausted') {
        throw new GongApiError(
          429,
          FAILURE_TYPES.quotaExhausted,
          `${request.method} ${request.path}: the company's daily Gong quota is spent; work resumes at ${new Date(reservation.untilMs).toISOString()}.`,
          undefined,
          Math.max(0, reservation.untilMs - Date.now()),
          undefined,
        );
      }
      await waitForSlot(reservation.atMs, this.options.onWait ?? (() => undefined));
      // A request sent well after its slot would crowd the ones reserved after it into Gong's sliding
      // second: take a fresh slot instead (a busy event loop or a slow update can make us late).
      if (Date.now() - reservation.atMs <= MAX_SLOT_LATENESS_MS || attempt >= 3) return;
    }
  }

  private failure(request: GongHttpRequest, response: GongResponse): GongApiError {
    return classifyGongError(response.status, response.body, {
      method: request.method,
      path: request.path,
      retryAfterHeader: response.retryAfter,
    });
  }
}

function withoutRequestId(body: unknown): unknown {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return body ?? null;
  const { requestId: _requestId, ...rest } = body as Record<string, unknown>;
  return rest;
}
