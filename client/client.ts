import ky, { type KyInstance } from 'ky';
import type {
  ApprovalAnswer,
  ApprovalRequest,
  DefinitionDetail,
  DefinitionSummary,
  RerunAnswer,
  RunListQuery,
  RunPage,
  RunResult,
  RunSummary,
  SignalAnswer,
  StartRunRequest,
  StartRunResponse,
  StepLog,
  Trigger,
  TriggerTarget,
  ValidateResponse,
} from '../api/schemas';
import type { ConnectLinkResponse, CreateConnectLinkRequest } from '../api/routes/connect';
import { GongflowApiError } from './errors';

export interface GongflowClientOptions {
  /** Where the gongflow API answers, e.g. http://127.0.0.1:3000. */
  baseUrl: string;
  /** An API key (gfk_...), created with `gongflow api-keys create`. */
  apiKey: string;
  /** Per-request timeout, on top of any wait the request asks the server for. Default 30 s. */
  timeoutMs?: number;
}

export interface StartRunOptions {
  /** Same key, same run: retrying a start never starts a second run. */
  idempotencyKey?: string;
  /** Wait up to this long (max 300000) for the run to finish; the answer's `result` tells whether it did. */
  waitMs?: number;
}

/** How long one long-poll asks the server to wait while `waitForResult` waits. */
const LONG_POLL_MS = 20_000;

/**
 * Typed client of the gongflow HTTP API. Every method resolves with the API's answer or rejects with a
 * GongflowApiError carrying the API's stable error code.
 *
 * ```ts
 * const gongflow = new GongflowClient({ baseUrl: 'http://127.0.0.1:3000', apiKey: process.env.GONGFLOW_API_KEY! });
 * const { run } = await gongflow.startRun({ definition: 'list-users', connection: 'acme' });
 * const result = await gongflow.waitForResult(run.id);
 * ```
 */
export class GongflowClient {
  private readonly http: KyInstance;
  private readonly timeoutMs: number;

  constructor(options: GongflowClientOptions) {
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.http = ky.create({
      prefixUrl: options.baseUrl.replace(/\/+$/, ''),
      headers: { authorization: `Bearer ${options.apiKey}` },
      retry: 0,
      throwHttpErrors: false,
      timeout: false,
    });
  }

  async startRun(request: StartRunRequest, options: StartRunOptions = {}): Promise<StartRunResponse> {
    return this.request<StartRunResponse>('post', 'v1/runs', {
      json: request,
      ...(options.waitMs !== undefined ? { searchParams: { waitMs: options.waitMs } } : {}),
      ...(options.idempotencyKey ? { headers: { 'idempotency-key': options.idempotencyKey } } : {}),
      waitMs: options.waitMs,
    });
  }

  async getRun(id: string): Promise<RunSummary> {
    return (await this.request<{ run: RunSummary }>('get', `v1/runs/${encodeURIComponent(id)}`)).run;
  }

  /** The run's outcome now (status running when it has not finished), or after waiting up to waitMs. */
  async getResult(id: string, options: { waitMs?: number } = {}): Promise<RunResult> {
    return this.request<RunResult>('get', `v1/runs/${encodeURIComponent(id)}/result`, {
      ...(options.waitMs !== undefined ? { searchParams: { waitMs: options.waitMs } } : {}),
      waitMs: options.waitMs,
    });
  }

  /** Waits until the run finishes (long polls), or rejects with RUN_WAIT_TIMEOUT after timeoutMs. */
  async waitForResult(id: string, options: { timeoutMs?: number } = {}): Promise<RunResult> {
    const deadline = Date.now() + (options.timeoutMs ?? 10 * 60_000);
    for (;;) {
      const remaining = deadline - Date.now();
      const result = await this.getResult(id, { waitMs: Math.max(0, Math.min(LONG_POLL_MS, remaining)) });
      if (result.status !== 'running') return result;
      if (Date.now() >= deadline) {
        throw new GongflowApiError(408, {
          code: 'RUN_WAIT_TIMEOUT',
          message: `Run ${id} did not finish within ${options.timeoutMs ?? 600_000} ms.`,
          hint: 'Wait longer, or follow it with stepLog().',
        });
      }
    }
  }

  async stepLog(id: string): Promise<StepLog> {
    return this.request<StepLog>('get', `v1/runs/${encodeURIComponent(id)}/steps`);
  }

  async cancel(id: string): Promise<RunSummary> {
    return (await this.request<{ run: RunSummary }>('post', `v1/runs/${encodeURIComponent(id)}/cancel`)).run;
  }

  async terminate(id: string, reason?: string): Promise<RunSummary> {
    const path = `v1/runs/${encodeURIComponent(id)}/terminate`;
    return (await this.request<{ run: RunSummary }>('post', path, { json: reason ? { reason } : {} })).run;
  }

  /**
   * Sends a signal to the run's waitForSignal steps; `signal.delivered` says whether a step was waiting
   * and took it or it was queued for the next one. Rejects with RUN_SIGNAL_NOT_FOUND (no step waits for
   * the name) or RUN_SIGNAL_INVALID_PAYLOAD.
   */
  async signal(id: string, name: string, payload?: unknown): Promise<SignalAnswer> {
    const path = `v1/runs/${encodeURIComponent(id)}/signals/${encodeURIComponent(name)}`;
    return this.request<SignalAnswer>('post', path, { json: { payload } });
  }

  /**
   * Approves (or rejects, with `approved: false`) an approval step waiting now, as this client's API key
   * name. Rejects with RUN_STEP_NOT_FOUND, RUN_STEP_NOT_WAITING or RUN_APPROVER_NOT_ALLOWED.
   */
  async approve(id: string, step: string, decision: ApprovalRequest): Promise<ApprovalAnswer> {
    const path = `v1/runs/${encodeURIComponent(id)}/approvals/${encodeURIComponent(step)}`;
    return this.request<ApprovalAnswer>('post', path, { json: decision });
  }

  /** Rejects an approval step waiting now: `approve(id, step, { approved: false, comment })`. */
  async reject(id: string, step: string, comment?: string): Promise<ApprovalAnswer> {
    return this.approve(id, step, { approved: false, ...(comment !== undefined ? { comment } : {}) });
  }

  /**
   * Reruns a run that failed (or was cancelled, terminated, timed out): a new run of the same plan and
   * input that reuses the outputs of the steps it completed and runs from the failed step on. Rejects
   * with RUN_NOT_RERUNNABLE for a run that is running or completed.
   */
  async rerun(id: string): Promise<RerunAnswer> {
    return this.request<RerunAnswer>('post', `v1/runs/${encodeURIComponent(id)}/rerun`);
  }

  /** The first page of runs, newest first (at most `limit`, default 50); listRunsPage for the pages after. */
  async listRuns(filters: Omit<RunListQuery, 'pageToken'> = {}): Promise<RunSummary[]> {
    return (await this.listRunsPage(filters)).runs;
  }

  /**
   * One page of runs. While `nextPageToken` is present more may follow: ask again with it as `pageToken`
   * (and the same filters).
   */
  async listRunsPage(filters: RunListQuery = {}): Promise<RunPage> {
    const searchParams = Object.fromEntries(
      Object.entries(filters).filter((entry): entry is [string, string | number] => entry[1] !== undefined),
    );
    return this.request<RunPage>('get', 'v1/runs', { searchParams });
  }

  /** Every run matching the filters, newest first, fetching page after page (of `limit`) as iterated. */
  async *allRuns(filters: Omit<RunListQuery, 'pageToken'> = {}): AsyncGenerator<RunSummary> {
    let pageToken: string | undefined;
    do {
      const page = await this.listRunsPage({ ...filters, ...(pageToken ? { pageToken } : {}) });
      yield* page.runs;
      pageToken = page.nextPageToken;
    } while (pageToken);
  }

  async validate(text: string, file?: string): Promise<ValidateResponse> {
    return this.request<ValidateResponse>('post', 'v1/definitions/validate', {
      json: { text, ...(file ? { file } : {}) },
    });
  }

  async listDefinitions(): Promise<DefinitionSummary[]> {
    return (await this.request<{ definitions: DefinitionSummary[] }>('get', 'v1/definitions')).definitions;
  }

  async getDefinition(name: string): Promise<DefinitionDetail> {
    return this.request<DefinitionDetail>('get', `v1/definitions/${encodeURIComponent(name)}`);
  }

  async listTriggers(): Promise<Trigger[]> {
    return (await this.request<{ triggers: Trigger[] }>('get', 'v1/triggers')).triggers;
  }

  /** Pauses the matching triggers; resolves with the triggers it paused. */
  async pauseTriggers(target: TriggerTarget): Promise<Trigger[]> {
    return (await this.request<{ triggers: Trigger[] }>('post', 'v1/triggers/pause', { json: target }))
      .triggers;
  }

  async resumeTriggers(target: TriggerTarget): Promise<Trigger[]> {
    return (await this.request<{ triggers: Trigger[] }>('post', 'v1/triggers/resume', { json: target }))
      .triggers;
  }

  /** Replays events since `from` (ISO-8601) through the matching pollers and schedules. */
  async backfillTriggers(target: TriggerTarget & { from: string }): Promise<Trigger[]> {
    return (await this.request<{ triggers: Trigger[] }>('post', 'v1/triggers/backfill', { json: target }))
      .triggers;
  }

  /**
   * A signed link to the connect page of one connection, for the customer's Gong admin. It works until
   * `expiresAt` (default a week, at most 30 days); anyone holding it can connect a Gong to that connection.
   */
  async createConnectLink(
    connectionId: string,
    request: CreateConnectLinkRequest = {},
  ): Promise<ConnectLinkResponse> {
    return this.request<ConnectLinkResponse>(
      'post',
      `v1/connections/${encodeURIComponent(connectionId)}/connect-link`,
      { json: request },
    );
  }

  private async request<T>(
    method: 'get' | 'post',
    path: string,
    options: {
      json?: unknown;
      searchParams?: Record<string, string | number>;
      headers?: Record<string, string>;
      waitMs?: number | undefined;
    } = {},
  ): Promise<T> {
    const timeout = this.timeoutMs + (options.waitMs ?? 0);
    const response = await this.http(path, {
      method,
      ...(options.json !== undefined ? { json: options.json } : {}),
      ...(options.searchParams ? { searchParams: options.searchParams } : {}),
      ...(options.headers ? { headers: options.headers } : {}),
      signal: AbortSignal.timeout(timeout),
    }).catch((error: unknown) => {
      throw new GongflowApiError(0, {
        code: 'API_UNREACHABLE',
        message: `The gongflow API did not answer: ${(error as Error).message}`,
        hint: 'Check the base URL and that `gongflow server` is running.',
      });
    });
    const text = await response.text();
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = undefined;
    }
    if (!response.ok) {
      const error = (body as { error?: { code?: unknown; message?: unknown } } | undefined)?.error;
      if (error && typeof error.code === 'string' && typeof error.message === 'string') {
        throw new GongflowApiError(response.status, error as { code: string; message: string });
      }
      throw new GongflowApiError(response.status, {
        code: `API_HTTP_${response.status}`,
        message: `The gongflow API answered ${response.status}: ${text.slice(0, 200)}`,
      });
    }
    return body as T;
  }
}
