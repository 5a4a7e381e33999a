/**
 * @gongflow/client: a typed client of the gongflow HTTP API. No dependencies (the platform's fetch), no
 * server code: the models are standalone types (./types.ts), results and errors are tagged.
 */
import type {
  ApiErrorBody,
  ApprovalAnswer,
  ApprovalRequest,
  ConnectLinkResponse,
  CreateConnectLinkRequest,
  DefinitionDetail,
  DefinitionSummary,
  ErrorCode,
  AddedWebhookKeys,
  AddWebhookKeysRequest,
  FinishedRunResult,
  RerunAnswer,
  RunListQuery,
  RunPage,
  RunRecord,
  RunResult,
  RunSummary,
  SignalAnswer,
  StartRunRequest,
  StartRunResponse,
  RemovedTrigger,
  RevokedWebhookKey,
  StepLog,
  Trigger,
  TriggerTarget,
  ValidateResponse,
  WebhookKey,
  WebhookKeyList,
} from './types.js';

export type * from './types.js';

/**
 * An error answer of the gongflow API (or of the client: API_UNREACHABLE when nothing answered,
 * RUN_WAIT_TIMEOUT when waitForResult gave up): the stable `code` to branch on, the HTTP `status` (0 when
 * nothing answered), the message, a fix and details.
 */
export class GongflowApiError extends Error {
  readonly status: number;
  readonly code: ErrorCode;
  readonly hint: string | undefined;
  readonly details: NonNullable<ApiErrorBody['details']>;

  constructor(status: number, body: ApiErrorBody) {
    super(body.message);
    this.name = 'GongflowApiError';
    this.status = status;
    this.code = body.code;
    this.hint = body.hint;
    this.details = body.details ?? [];
  }

  /** Whether `error` is a GongflowApiError (with this code, when given). */
  static is(error: unknown, code?: ErrorCode): error is GongflowApiError {
    return error instanceof GongflowApiError && (code === undefined || error.code === code);
  }
}

export interface GongflowClientOptions {
  /** Where the gongflow API answers, e.g. http://127.0.0.1:3000. */
  baseUrl: string;
  /** An API key (gfk_...), created with `gongflow api-keys create`. */
  apiKey: string;
  /** Per-request timeout, on top of any wait the request asks the server for. Default 30 s. */
  timeoutMs?: number | undefined;
}

export interface StartRunOptions {
  /** Same key, same run: retrying a start never starts a second run. */
  idempotencyKey?: string | undefined;
  /** Wait up to this long (max 300000) for the run to finish; the answer's `result` tells whether it did. */
  waitMs?: number | undefined;
}

/** How long one long-poll asks the server to wait while `waitForResult` waits. */
const LONG_POLL_MS = 20_000;

interface RequestOptions {
  json?: unknown;
  searchParams?: Record<string, string | number | undefined>;
  headers?: Record<string, string>;
  waitMs?: number | undefined;
}

/**
 * Typed client of the gongflow HTTP API. Every method resolves with the API's answer or rejects with a
 * GongflowApiError carrying the API's stable error code.
 *
 * ```ts
 * const gongflow = new GongflowClient({ baseUrl: 'http://127.0.0.1:3000', apiKey: process.env.GONGFLOW_API_KEY! });
 * const { run } = await gongflow.startRun({ definition: 'list-users', connection: 'acme' });
 * const result = await gongflow.waitForResult(run.id);
 * if (result.status === 'completed') console.log(result.output);
 * else console.error(result.failure.type, result.failure.message);
 * ```
 */
export class GongflowClient {
  private readonly baseUrl: string;
  private readonly apiKey: string;
  private readonly timeoutMs: number;

  constructor(options: GongflowClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.apiKey = options.apiKey;
    this.timeoutMs = options.timeoutMs ?? 30_000;
  }

  async startRun(request: StartRunRequest, options: StartRunOptions = {}): Promise<StartRunResponse> {
    return this.request<StartRunResponse>('POST', 'v1/runs', {
      json: request,
      searchParams: { waitMs: options.waitMs },
      ...(options.idempotencyKey ? { headers: { 'idempotency-key': options.idempotencyKey } } : {}),
      waitMs: options.waitMs,
    });
  }

  async getRun(id: string): Promise<RunSummary> {
    return (await this.request<{ run: RunSummary }>('GET', `v1/runs/${encodeURIComponent(id)}`)).run;
  }

  /** The run's outcome now (status running when it has not finished), or after waiting up to waitMs. */
  async getResult(id: string, options: { waitMs?: number | undefined } = {}): Promise<RunResult> {
    return this.request<RunResult>('GET', `v1/runs/${encodeURIComponent(id)}/result`, {
      searchParams: { waitMs: options.waitMs },
      waitMs: options.waitMs,
    });
  }

  /** Waits until the run finishes (long polls), or rejects with RUN_WAIT_TIMEOUT after timeoutMs. */
  async waitForResult(
    id: string,
    options: { timeoutMs?: number | undefined } = {},
  ): Promise<FinishedRunResult> {
    const timeoutMs = options.timeoutMs ?? 10 * 60_000;
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const remaining = deadline - Date.now();
      const result = await this.getResult(id, { waitMs: Math.max(0, Math.min(LONG_POLL_MS, remaining)) });
      if (result.status === 'completed' || 'failure' in result) return result;
      if (Date.now() >= deadline) {
        throw new GongflowApiError(408, {
          code: 'RUN_WAIT_TIMEOUT',
          message: `Run ${id} did not finish within ${timeoutMs} ms.`,
          hint: 'Wait longer, or follow it with stepLog().',
        });
      }
    }
  }

  async stepLog(id: string): Promise<StepLog> {
    return this.request<StepLog>('GET', `v1/runs/${encodeURIComponent(id)}/steps`);
  }

  /** What each step did: evaluated input, output, failure and child run, by step path; with the plan. */
  async record(id: string): Promise<RunRecord> {
    return this.request<RunRecord>('GET', `v1/runs/${encodeURIComponent(id)}/record`);
  }

  async cancel(id: string): Promise<RunSummary> {
    return (await this.request<{ run: RunSummary }>('POST', `v1/runs/${encodeURIComponent(id)}/cancel`)).run;
  }

  async terminate(id: string, reason?: string): Promise<RunSummary> {
    const path = `v1/runs/${encodeURIComponent(id)}/terminate`;
    return (await this.request<{ run: RunSummary }>('POST', path, { json: reason ? { reason } : {} })).run;
  }

  /**
   * Sends a signal to the run's waitForSignal steps; `signal.delivered` says whether a step was waiting
   * and took it or it was queued for the next one. Rejects with RUN_SIGNAL_NOT_FOUND (no step waits for
   * the name) or RUN_SIGNAL_INVALID_PAYLOAD.
   */
  async signal(id: string, name: string, payload?: unknown): Promise<SignalAnswer> {
    const path = `v1/runs/${encodeURIComponent(id)}/signals/${encodeURIComponent(name)}`;
    return this.request<SignalAnswer>('POST', path, { json: { payload } });
  }

  /**
   * Approves (or rejects, with `approved: false`) an approval step waiting now, as this client's API key
   * name. Rejects with RUN_STEP_NOT_FOUND, RUN_STEP_NOT_WAITING or RUN_APPROVER_NOT_ALLOWED.
   */
  async approve(id: string, step: string, decision: ApprovalRequest): Promise<ApprovalAnswer> {
    const path = `v1/runs/${encodeURIComponent(id)}/approvals/${encodeURIComponent(step)}`;
    return this.request<ApprovalAnswer>('POST', path, { json: decision });
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
    return this.request<RerunAnswer>('POST', `v1/runs/${encodeURIComponent(id)}/rerun`);
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
    return this.request<RunPage>('GET', 'v1/runs', { searchParams: { ...filters } });
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
    return this.request<ValidateResponse>('POST', 'v1/definitions/validate', {
      json: { text, ...(file ? { file } : {}) },
    });
  }

  async listDefinitions(): Promise<DefinitionSummary[]> {
    return (await this.request<{ definitions: DefinitionSummary[] }>('GET', 'v1/definitions')).definitions;
  }

  async getDefinition(name: string): Promise<DefinitionDetail> {
    return this.request<DefinitionDetail>('GET', `v1/definitions/${encodeURIComponent(name)}`);
  }

  async listTriggers(): Promise<Trigger[]> {
    return (await this.request<{ triggers: Trigger[] }>('GET', 'v1/triggers')).triggers;
  }

  /** Pauses the matching triggers; resolves with the triggers it paused. */
  async pauseTriggers(target: TriggerTarget): Promise<Trigger[]> {
    return (await this.request<{ triggers: Trigger[] }>('POST', 'v1/triggers/pause', { json: target }))
      .triggers;
  }

  async resumeTriggers(target: TriggerTarget): Promise<Trigger[]> {
    return (await this.request<{ triggers: Trigger[] }>('POST', 'v1/triggers/resume', { json: target }))
      .triggers;
  }

  /** Replays events since `from` (ISO-8601) through the matching pollers and schedules. */
  async backfillTriggers(target: TriggerTarget & { from: string }): Promise<Trigger[]> {
    return (await this.request<{ triggers: Trigger[] }>('POST', 'v1/triggers/backfill', { json: target }))
      .triggers;
  }

  /**
   * Removes the matching triggers (pollers stopped, webhook subscription removed, schedules deleted), so none
   * starts a run again; resolves with what was removed. TRIGGER_NOT_FOUND when nothing matched.
   */
  async undeployTriggers(target: TriggerTarget): Promise<RemovedTrigger[]> {
    return (
      await this.request<{ removed: RemovedTrigger[] }>('POST', 'v1/triggers/undeploy', { json: target })
    ).removed;
  }

  /** The public keys and URL keys of a connection's Gong webhook endpoint, by id (never by value). */
  async listWebhookKeys(connection: string): Promise<WebhookKey[]> {
    return (
      await this.request<WebhookKeyList>('GET', 'v1/triggers/webhook-keys', { searchParams: { connection } })
    ).keys;
  }

  /**
   * Adds a Gong rule public key and/or a URL key (`urlKey: true` generates one, answered once). Rotation: add
   * the new key, point the Gong rule at it, then revoke the old one.
   */
  async addWebhookKeys(request: AddWebhookKeysRequest): Promise<AddedWebhookKeys> {
    return this.request<AddedWebhookKeys>('POST', 'v1/triggers/webhook-keys', { json: request });
  }

  /** Revokes a key by id (or value): deliveries with it are refused within 2 s of the answer. */
  async revokeWebhookKey(connection: string, key: string): Promise<RevokedWebhookKey> {
    return this.request<RevokedWebhookKey>('POST', 'v1/triggers/webhook-keys/revoke', {
      json: { connection, key },
    });
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
      'POST',
      `v1/connections/${encodeURIComponent(connectionId)}/connect-link`,
      { json: request },
    );
  }

  private async request<T>(method: 'GET' | 'POST', path: string, options: RequestOptions = {}): Promise<T> {
    const url = new URL(`${this.baseUrl}/${path}`);
    for (const [name, value] of Object.entries(options.searchParams ?? {})) {
      if (value !== undefined) url.searchParams.set(name, String(value));
    }
    const headers: Record<string, string> = { authorization: `Bearer ${this.apiKey}`, ...options.headers };
    if (options.json !== undefined) headers['content-type'] = 'application/json';
    let response: Response;
    let text: string;
    try {
      response = await fetch(url, {
        method,
        headers,
        ...(options.json !== undefined ? { body: JSON.stringify(options.json) } : {}),
        signal: AbortSignal.timeout(this.timeoutMs + (options.waitMs ?? 0)),
      });
      text = await response.text();
    } catch (error) {
      throw new GongflowApiError(0, {
        code: 'API_UNREACHABLE',
        message: `The gongflow API did not answer: ${(error as Error).message}`,
        hint: 'Check the base URL and that `gongflow server` is running.',
      });
    }
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = undefined;
    }
    if (!response.ok) {
      const error = (body as { error?: Partial<ApiErrorBody> } | undefined)?.error;
      if (error && typeof error.code === 'string' && typeof error.message === 'string') {
        throw new GongflowApiError(response.status, error as ApiErrorBody);
      }
      throw new GongflowApiError(response.status, {
        code: `API_HTTP_${response.status}`,
        message: `The gongflow API answered ${response.status}: ${text.slice(0, 200)}`,
      });
    }
    return body as T;
  }
}
