import { createHash } from 'node:crypto';
import {
  WorkflowFailedError,
  WorkflowUpdateFailedError,
  WorkflowUpdateRPCTimeoutOrCancelledError,
  type Client,
  type WorkflowExecutionInfo,
  type WorkflowHandle,
} from '@temporalio/client';
// The decoder Client.workflow.list() uses, for the raw page it answers (list() hides the page token).
import { executionInfoFromRaw } from '@temporalio/client/lib/helpers';
import {
  defineSearchAttributeKey,
  SearchAttributeType,
  WorkflowExecutionAlreadyStartedError,
  WorkflowNotFoundError,
} from '@temporalio/common';
import type { temporal } from '@temporalio/proto';
import type { ConnectionResolver } from '../../connections/registry';
import { canonicalJson, sha256Hex } from '../../definitions/hash';
import type { Plan } from '../../definitions/plan';
import { GongflowError } from '../../core/errors';
import { visibilityString } from '../../core/visibility';
import { retryingActivities } from '../../runs/follow';
import { rerunSource, RERUNNABLE_STATUSES } from '../../runs/rerun';
import { startRun, ORCHESTRATION_WORKFLOW } from '../../runs/start';
import { runUiUrl } from '../../temporal/connection';
import { GrpcStatus, grpcStatusOf } from '../../core/grpc-status';
import { isUnansweredQuery } from '../../temporal/unanswered-query';
import { isTemporalUnreachable, temporalUnavailable } from '../../temporal/unavailable';
import { progressQuery } from '../../workflows/progress';
import { recordQuery } from '../../workflows/interpreter/record';
import { Redactor } from '../../activities/http/redact';
import {
  approveUpdate,
  sendSignalUpdate,
  WAIT_REFUSALS,
  type ApprovalAccepted,
  type SignalAccepted,
} from '../../workflows/interpreter/waiting';
import type {
  RunListQuery,
  RunPage,
  RunRecordAnswer,
  RunResult,
  RunStatus,
  RunSummary,
  StartRunRequest,
  StepLog,
} from '../schemas';
import type { DefinitionCatalog } from './definitions';

type ExecutionInfo = Omit<WorkflowExecutionInfo, 'raw'>;

const attribute = {
  definition: defineSearchAttributeKey('GongflowDefinition', SearchAttributeType.KEYWORD),
  version: defineSearchAttributeKey('GongflowVersion', SearchAttributeType.KEYWORD),
  hash: defineSearchAttributeKey('GongflowDefinitionHash', SearchAttributeType.KEYWORD),
  connection: defineSearchAttributeKey('GongflowConnection', SearchAttributeType.KEYWORD),
  trigger: defineSearchAttributeKey('GongflowTrigger', SearchAttributeType.KEYWORD),
  rerunOf: defineSearchAttributeKey('GongflowRerunOf', SearchAttributeType.KEYWORD),
};

/** Temporal's visibility names for each status a filter can ask for. */
const VISIBILITY_STATUS: Record<RunStatus, string> = {
  running: 'Running',
  completed: 'Completed',
  failed: 'Failed',
  cancelled: 'Canceled',
  terminated: 'Terminated',
  timed_out: 'TimedOut',
  continued_as_new: 'ContinuedAsNew',
  unknown: 'Unspecified',
};

export interface RunServiceDeps {
  client: Client;
  namespace: string;
  taskQueue: string;
  uiUrl: string | undefined;
  definitions: DefinitionCatalog;
  /** Checks the connection exists and grants the plan's scopes before a run starts. */
  connections: ConnectionResolver | undefined;
  onStarted?: (run: RunSummary) => void;
  /** How long the step log waits for a worker to answer (default 10 s). */
  stepLogTimeoutMs?: number;
}

/**
 * Runs as the API (and `gongflow run/runs`) see them: a thin layer over the Temporal client that speaks in
 * run ids (= workflow ids), definitions and connections, and turns Temporal errors into GongflowErrors.
 */
export class RunService {
  constructor(private readonly deps: RunServiceDeps) {}

  /** Starts a run of a definition from the catalog (name or name@version). */
  async start(
    request: StartRunRequest,
    options: { idempotencyKey?: string | undefined } = {},
  ): Promise<{ run: RunSummary; created: boolean }> {
    return this.startPlan(this.deps.definitions.get(request.definition).plan, request, options);
  }

  /** Starts a run of a compiled plan; with an idempotency key, a repeated start answers the first run. */
  async startPlan(
    plan: Plan,
    request: Omit<StartRunRequest, 'definition'>,
    options: { idempotencyKey?: string | undefined } = {},
  ): Promise<{ run: RunSummary; created: boolean }> {
    const workflowId = options.idempotencyKey
      ? idempotentWorkflowId(plan.name, options.idempotencyKey)
      : undefined;
    const fingerprint = requestFingerprint(plan, request);
    if (workflowId) {
      // A key seen before (the run may have finished) answers with that run, never a second one.
      const existing = await this.describeOrUndefined(workflowId);
      if (existing) return { run: this.sameRequestOrThrow(existing, fingerprint), created: false };
    }
    try {
      const handle = await startRun(this.deps.client, {
        plan,
        input: request.input ?? {},
        ...(request.connection ? { connectionId: request.connection } : {}),
        taskQueue: this.deps.taskQueue,
        ...(workflowId ? { workflowId, memo: { [FINGERPRINT_MEMO]: fingerprint } } : {}),
        ...(this.deps.connections ? { connections: this.deps.connections } : {}),
      });
      const run = await this.get(handle.workflowId);
      this.deps.onStarted?.(run);
      return { run, created: true };
    } catch (error) {
      if (workflowId && error instanceof WorkflowExecutionAlreadyStartedError) {
        // Another start with the same key won the race: same answer as if it had come first.
        const existing = await this.describeOrUndefined(workflowId);
        if (existing) return { run: this.sameRequestOrThrow(existing, fingerprint), created: false };
      }
      throw translate(error, workflowId);
    }
  }

  /** The earlier run of an idempotency key, if this start asks for the same thing; else 409. */
  private sameRequestOrThrow(existing: ExecutionInfo, fingerprint: string): RunSummary {
    const recorded = existing.memo?.[FINGERPRINT_MEMO];
    // Runs started before fingerprints were recorded have none: they keep answering as before.
    if (typeof recorded === 'string' && recorded !== fingerprint) {
      throw new GongflowError(
        'RUN_IDEMPOTENCY_KEY_REUSED',
        `The Idempotency-Key was already used for run ${existing.workflowId}, with a different request (definition, input or connection).`,
        {
          hint: 'Send a new Idempotency-Key for a different request; repeat a start with exactly the same body to get the first run back.',
        },
      );
    }
    return this.summarize(existing);
  }

  async get(id: string): Promise<RunSummary> {
    const described = await this.describeOrUndefined(id);
    if (!described) throw runNotFound(id);
    return this.summarize(described);
  }

  /** The run's outcome; with `waitMs`, waits up to that long for a running run to finish. */
  async result(id: string, waitMs = 0): Promise<RunResult> {
    const handle = this.handle(id);
    let run = await this.get(id);
    if (run.status === 'running' && waitMs > 0) {
      // The long poll is aborted when the wait is over: left running, it would outlive the request (and
      // the connection, whose closing then surfaces as an uncaught 'Channel has been shut down').
      const stop = new AbortController();
      const timer = setTimeout(() => stop.abort(), waitMs);
      await this.deps.client.connection
        .withAbortSignal(stop.signal, () => handle.result())
        .catch(() => undefined);
      clearTimeout(timer);
      run = await this.get(id);
    }
    const { status } = run;
    if (status === 'running' || status === 'continued_as_new' || status === 'unknown') return { id, status };
    try {
      const output: unknown = await handle.result();
      if (status === 'completed') return { id, status, output };
      return { id, status, failure: { message: `The run is ${status}.` } };
    } catch (error) {
      const failure = describeFailure(error);
      return status === 'completed' ? { id, status: 'failed', failure } : { id, status, failure };
    }
  }

  /** The step log, from the run's progress query (answered by a worker of the run's task queue). */
  async steps(id: string): Promise<StepLog> {
    await this.get(id);
    const timeoutMs = this.deps.stepLogTimeoutMs ?? 10_000;
    try {
      // Without a deadline a query nobody answers waits for minutes: bound it, and say why it failed.
      const progress = await this.deps.client.connection.withDeadline(Date.now() + timeoutMs, () =>
        this.handle(id).query(progressQuery),
      );
      const retrying =
        progress.status === 'running'
          ? await retryingActivities(this.deps.client, this.handle(id)).catch(() => [])
          : [];
      return { id, ...progress, ...(retrying.length > 0 ? { retrying } : {}) } as StepLog;
    } catch (error) {
      if (isUnansweredQuery(error)) {
        throw new GongflowError(
          'RUN_STEPS_UNAVAILABLE',
          `No worker answered the step log of ${id} within ${timeoutMs} ms.`,
          {
            hint: "The step log is answered by a worker of the run's task queue: start one with `gongflow worker` (or `gongflow server`).",
            cause: error,
          },
        );
      }
      throw translate(error, id);
    }
  }

  /**
   * Starts a new run of the same plan, input, connection and trigger that reuses the outputs of the
   * steps the run completed and runs from the failed step on (docs/semantics.md, "Rerun"). Only runs that
   * ended without completing can be rerun.
   */
  async rerun(id: string): Promise<{ run: RunSummary; rerunOf: string }> {
    const original = await this.get(id);
    if (!(RERUNNABLE_STATUSES as readonly string[]).includes(original.status)) {
      throw new GongflowError(
        'RUN_NOT_RERUNNABLE',
        `Run ${id} is ${original.status}: only a run that failed, was cancelled, terminated or timed out can be rerun.`,
        {
          hint:
            original.status === 'running'
              ? 'Wait for it to end, or cancel it first.'
              : 'Start a new run of its definition instead (POST /v1/runs).',
        },
      );
    }
    const timeoutMs = this.deps.stepLogTimeoutMs ?? 10_000;
    let source: Awaited<ReturnType<typeof rerunSource>>;
    try {
      source = await rerunSource(this.deps.client, id, (query) =>
        this.deps.client.connection.withDeadline(Date.now() + timeoutMs, query),
      );
    } catch (error) {
      if (isUnansweredQuery(error)) {
        throw new GongflowError('RUN_NO_WORKER', `No worker answered run ${id} within ${timeoutMs} ms.`, {
          hint: "A rerun reads the run's steps through a worker of its task queue: start one with `gongflow worker` (or `gongflow server`), then try again.",
          cause: error,
        });
      }
      throw translate(error, id);
    }
    const { start, rerun } = source;
    try {
      const handle = await startRun(this.deps.client, {
        plan: start.plan,
        input: start.input,
        ...(start.connectionId ? { connectionId: start.connectionId } : {}),
        taskQueue: this.deps.taskQueue,
        trigger: { kind: 'rerun', event: start.trigger },
        rerun,
        ...(this.deps.connections ? { connections: this.deps.connections } : {}),
      });
      const run = await this.get(handle.workflowId);
      this.deps.onStarted?.(run);
      return { run, rerunOf: id };
    } catch (error) {
      throw translate(error, id);
    }
  }

  /**
   * What the run recorded of every step that ended, by path (evaluated inputs, outputs, failures, child
   * runs), with the plan and input it started with: what the console shows per step. Answered by a worker
   * (the run's record query); values of the secrets this server knows are redacted on the way out.
   */
  async record(id: string): Promise<RunRecordAnswer> {
    await this.get(id);
    const timeoutMs = this.deps.stepLogTimeoutMs ?? 10_000;
    try {
      const record = await this.deps.client.connection.withDeadline(Date.now() + timeoutMs, () =>
        this.handle(id).query(recordQuery, { start: true }),
      );
      const { start, ...rest } = record;
      return secretRedactor().value({
        id,
        ...rest,
        ...(start ? { plan: start.plan, input: start.input, trigger: start.trigger } : {}),
      }) as RunRecordAnswer;
    } catch (error) {
      if (isUnansweredQuery(error)) {
        throw new GongflowError(
          'RUN_STEPS_UNAVAILABLE',
          `No worker answered the record of ${id} within ${timeoutMs} ms.`,
          {
            hint: "The record is answered by a worker of the run's task queue: start one with `gongflow worker` (or `gongflow server`).",
            cause: error,
          },
        );
      }
      throw translate(error, id);
    }
  }

  async cancel(id: string): Promise<RunSummary> {
    await this.requireRunning(id, 'cancel');
    await this.handle(id)
      .cancel()
      .catch((error: unknown) => {
        throw translate(error, id);
      });
    return this.get(id);
  }

  async terminate(id: string, reason: string | undefined): Promise<RunSummary> {
    await this.requireRunning(id, 'terminate');
    await this.handle(id)
      .terminate(reason ?? 'terminated through the gongflow API')
      .catch((error: unknown) => {
        throw translate(error, id);
      });
    return this.get(id);
  }

  /**
   * Delivers a signal to the run's waitForSignal steps. Answers whether a step was waiting and took it,
   * or the signal was queued for the next step that waits for the name; a name no step waits for, or a
   * payload no such step accepts, is refused.
   */
  async signal(
    id: string,
    name: string,
    payload: unknown,
  ): Promise<{ run: RunSummary; signal: SignalAccepted }> {
    await this.requireRunning(id, 'signal');
    const signal = await this.update(id, () =>
      this.handle(id).executeUpdate(sendSignalUpdate, { args: [{ name, payload: payload ?? null }] }),
    );
    return { run: await this.get(id), signal };
  }

  /**
   * Decides an approval step that is waiting now. `by` is an identity the caller verified (the API key's
   * name, or the operator at the CLI); the run refuses it unless it is one of the step's `approvers`.
   */
  async approve(
    id: string,
    step: string,
    decision: { approved: boolean; by: string; comment?: string | undefined },
  ): Promise<{ run: RunSummary; approval: ApprovalAccepted }> {
    await this.requireRunning(id, decision.approved ? 'approve' : 'reject');
    const { comment, ...rest } = decision;
    const approval = await this.update(id, () =>
      this.handle(id).executeUpdate(approveUpdate, {
        args: [{ step, ...rest, ...(comment !== undefined ? { comment } : {}) }],
      }),
    );
    return { run: await this.get(id), approval };
  }

  /** An update a worker of the run must accept: bounded in time, refusals turned into coded errors. */
  private async update<T>(id: string, send: () => Promise<T>): Promise<T> {
    const timeoutMs = this.deps.stepLogTimeoutMs ?? 10_000;
    try {
      return await this.deps.client.connection.withDeadline(Date.now() + timeoutMs, send);
    } catch (error) {
      if (error instanceof WorkflowUpdateFailedError) {
        const cause = error.cause as { type?: unknown; message?: string } | undefined;
        const code = typeof cause?.type === 'string' ? cause.type : undefined;
        if (code && (Object.values(WAIT_REFUSALS) as string[]).includes(code)) {
          throw new GongflowError(code, cause?.message ?? error.message, { hint: waitRefusalHint(code) });
        }
      }
      if (error instanceof WorkflowUpdateRPCTimeoutOrCancelledError || isUnansweredQuery(error)) {
        throw new GongflowError('RUN_NO_WORKER', `No worker answered run ${id} within ${timeoutMs} ms.`, {
          hint: "Signals and approvals are taken by a worker of the run's task queue: start one with `gongflow worker` (or `gongflow server`), then send again.",
          cause: error,
        });
      }
      throw translate(error, id);
    }
  }

  /**
   * One page of runs, newest first. `nextPageToken` (present while more may follow) wraps Temporal's
   * visibility page token: pass it back as `pageToken`, with the same filters, for the next page.
   */
  async list(filters: RunListQuery): Promise<RunPage> {
    // Runs of this deployment only: other deployments sharing the namespace encrypt their payloads (the
    // idempotency memo) with keys this process does not hold, and test-mode runs use private task queues.
    const clauses = [
      `WorkflowType = '${ORCHESTRATION_WORKFLOW}'`,
      `TaskQueue = ${visibilityString(this.deps.taskQueue)}`,
    ];
    const equals = (name: string, value: string | undefined): void => {
      if (value !== undefined) clauses.push(`${name} = ${visibilityString(value)}`);
    };
    equals('GongflowDefinition', filters.definition);
    equals('GongflowConnection', filters.connection);
    equals('GongflowTrigger', filters.trigger);
    if (filters.status) equals('ExecutionStatus', VISIBILITY_STATUS[filters.status]);
    const query = clauses.join(' AND ');
    const pageToken = filters.pageToken ? decodePageToken(filters.pageToken, query) : undefined;
    let response: temporal.api.workflowservice.v1.ListWorkflowExecutionsResponse;
    try {
      response = await this.deps.client.workflowService.listWorkflowExecutions({
        namespace: this.deps.namespace,
        query,
        pageSize: filters.limit ?? 50,
        ...(pageToken ? { nextPageToken: pageToken } : {}),
      });
    } catch (error) {
      // A token of our shape whose Temporal part is forged: Temporal answers (after the client's retries)
      // gRPC 2 UNKNOWN or 3 INVALID_ARGUMENT.
      const code = grpcStatusOf(error);
      if (pageToken && (code === GrpcStatus.UNKNOWN || code === GrpcStatus.INVALID_ARGUMENT))
        throw badPageToken();
      throw translate(error, undefined);
    }
    const runs = await Promise.all(
      response.executions.map(async (raw) =>
        this.summarize(
          await executionInfoFromRaw(
            raw,
            this.deps.client.options.loadedDataConverter,
            undefined,
            this.deps.namespace,
          ),
        ),
      ),
    );
    const next = response.nextPageToken;
    return {
      runs,
      ...(next && next.length > 0 ? { nextPageToken: encodePageToken(next, query) } : {}),
    };
  }

  private handle(id: string): WorkflowHandle {
    return this.deps.client.workflow.getHandle(id);
  }

  private async requireRunning(id: string, action: string): Promise<void> {
    const run = await this.get(id);
    if (run.status !== 'running') {
      throw new GongflowError('RUN_ALREADY_CLOSED', `Cannot ${action} run ${id}: it is ${run.status}.`, {
        hint: 'Only running runs accept this.',
      });
    }
  }

  private async describeOrUndefined(id: string): Promise<ExecutionInfo | undefined> {
    try {
      const described = await this.handle(id).describe();
      return described.type === ORCHESTRATION_WORKFLOW ? described : undefined;
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) return undefined;
      throw translate(error, id);
    }
  }

  private summarize(execution: ExecutionInfo): RunSummary {
    const read = (key: (typeof attribute)[keyof typeof attribute]): string | undefined =>
      execution.typedSearchAttributes.get(key);
    const uiUrl = runUiUrl(this.deps, execution.workflowId, execution.runId);
    const optional = {
      definition: read(attribute.definition),
      version: read(attribute.version),
      hash: read(attribute.hash),
      connection: read(attribute.connection),
      trigger: read(attribute.trigger),
      rerunOf: read(attribute.rerunOf),
      closedAt: execution.closeTime?.toISOString(),
      uiUrl,
    };
    return {
      id: execution.workflowId,
      temporalRunId: execution.runId,
      status: toRunStatus(execution.status.name),
      startedAt: execution.startTime.toISOString(),
      ...Object.fromEntries(Object.entries(optional).filter(([, value]) => value !== undefined)),
    };
  }
}

/** The secret values this server holds (GONGFLOW_SECRET_*): never shown, even if a step echoed one. */
function secretRedactor(): Redactor {
  return new Redactor(
    Object.entries(process.env)
      .filter(([name, value]) => name.startsWith('GONGFLOW_SECRET_') && value)
      .map(([, value]) => value as string),
  );
}

function waitRefusalHint(code: string): string {
  switch (code) {
    case WAIT_REFUSALS.approverNotAllowed:
      return "Approvals are made as the API key's name (or `--as` at the CLI): use a key named after one of the step's approvers.";
    case WAIT_REFUSALS.notWaiting:
      return 'The step log (GET /v1/runs/{id}/steps) shows which steps wait now, under `waiting`.';
    case WAIT_REFUSALS.ambiguous:
      return 'Send the step path shown in the step log instead of its id.';
    case WAIT_REFUSALS.signalInvalidPayload:
      return "Send a payload matching the step's `payload:` declaration.";
    default:
      return "The step log (GET /v1/runs/{id}/steps) shows the run's steps and what they wait for.";
  }
}

/** Memo field of an idempotent start: which request the key was first used for. */
const FINGERPRINT_MEMO = 'gongflowRequest';

/**
 * What an idempotent start asked for, hashed: the definition (name@version, so `x` and `x@1` are the same
 * request when they resolve to the same version), the input as sent and the connection.
 */
function requestFingerprint(plan: Plan, request: Omit<StartRunRequest, 'definition'>): string {
  return sha256Hex(
    canonicalJson({
      definition: `${plan.name}@${plan.version}`,
      input: request.input ?? {},
      connection: request.connection ?? null,
    }),
  );
}

/** The workflow id an idempotency key maps to: the same for the API and the CLI. */
export function idempotentWorkflowId(definition: string, key: string): string {
  return `gongflow-${definition}-key-${createHash('sha256').update(key).digest('hex').slice(0, 32)}`;
}

function toRunStatus(name: string): RunStatus {
  const status = name.toLowerCase() === 'canceled' ? 'cancelled' : name.toLowerCase();
  return (Object.keys(VISIBILITY_STATUS) as RunStatus[]).includes(status as RunStatus)
    ? (status as RunStatus)
    : 'unknown';
}

/**
 * A page token: Temporal's opaque visibility token plus a fingerprint of the query it continues, so a
 * token used with other filters, or not handed out by us at all, is refused with a clear error instead of
 * Temporal's "something went wrong".
 */
function encodePageToken(temporalToken: Uint8Array, query: string): string {
  const token = { q: sha256Hex(query).slice(0, 16), t: Buffer.from(temporalToken).toString('base64') };
  return Buffer.from(JSON.stringify(token)).toString('base64url');
}

function decodePageToken(token: string, query: string): Uint8Array {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    throw badPageToken();
  }
  const { q, t } = (parsed ?? {}) as { q?: unknown; t?: unknown };
  if (q !== sha256Hex(query).slice(0, 16) || typeof t !== 'string' || t === '') throw badPageToken();
  return Buffer.from(t, 'base64');
}

function badPageToken(): GongflowError {
  return new GongflowError('RUN_LIST_BAD_PAGE_TOKEN', 'The page token is not one this listing handed out.', {
    hint: 'Pass back nextPageToken exactly as the previous page returned it, with the same filters.',
  });
}

function runNotFound(id: string): GongflowError {
  return new GongflowError('RUN_NOT_FOUND', `No run with id "${id}".`, {
    hint: 'List runs with GET /v1/runs (or `gongflow runs list`).',
  });
}

/** The failure a finished run ended with: the innermost typed cause (activity failures arrive wrapped). */
export function describeFailure(error: unknown): { type?: string; message: string } {
  if (error instanceof WorkflowFailedError) {
    let cause = error.cause as
      { type?: string; message?: string; name?: string; cause?: unknown } | undefined;
    while (cause?.cause && (cause.cause as { type?: string }).type) cause = cause.cause;
    const type = cause?.type ?? (cause?.name && cause.name !== 'Error' ? cause.name : undefined);
    return { ...(type ? { type } : {}), message: cause?.message || error.message };
  }
  return { message: error instanceof Error ? error.message : String(error) };
}

/** Turns Temporal client errors into GongflowErrors with stable codes; others pass through. */
function translate(error: unknown, id: string | undefined): Error {
  if (error instanceof GongflowError) return error;
  if (error instanceof WorkflowNotFoundError) return runNotFound(id ?? '?');
  if (isTemporalUnreachable(error)) return temporalUnavailable(error);
  return error instanceof Error ? error : new Error(String(error));
}
