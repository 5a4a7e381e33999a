import {
  type Client,
  WithStartWorkflowOperation,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
} from '@temporalio/client';
import {
  ApplicationFailure,
  defineSearchAttributeKey,
  SearchAttributeType,
  TypedSearchAttributes,
} from '@temporalio/common';
import { GongflowError } from '../core/errors';
import type { GongCredentials } from '../gong/client/credentials';
import {
  connectionQuery,
  connectionSecretsQuery,
  deleteConnectionUpdate,
  getAccessTokenUpdate,
  removeSecretUpdate,
  replaceCredentialsUpdate,
  reportExpiredUpdate,
  revokeUpdate,
  setSecretUpdate,
  type ConnectionView,
} from '../workflows/connection-messages';
import type { ConnectionWorkflowArgs } from '../workflows/connection';
import {
  CONNECTION_FAILURES,
  CONNECTION_ID_PATTERN,
  CONNECTION_SECRET_FAILURES,
  CONNECTION_SECRET_NAME_PATTERN,
  CONNECTION_WORKFLOW_TYPE,
  connectionWorkflowId,
  MAX_CONNECTION_SECRET_BYTES,
  type ConnectionSecretInfo,
  type ConnectionSummary,
  type StoredConnectionSecret,
  type IssuedAuthorization,
  type ReplaceCredentialsInput,
} from './model';
import type { OAuthRuntime } from './oauth-runtime';
import type { ConnectionResolver } from './registry';
import type { SecretBox } from './secrets';
import { visibilityString } from '../core/visibility';
import { isGrpcNotFound } from '../core/grpc-status';

const connectionAttribute = defineSearchAttributeKey('GongflowConnection', SearchAttributeType.KEYWORD);
export const CONNECTION_STATUS_ATTRIBUTE = 'GongflowConnectionStatus';

export interface TemporalConnectionsOptions {
  client: Client;
  secrets: SecretBox;
  /** Task queue the connection workflows run on (the workers' queue). */
  taskQueue: string;
  /** Present in workers: lets the token-refresh activity open secrets and use the default app. */
  oauth?: OAuthRuntime;
  /** Tests: passed to new connection workflows. */
  continueAsNewAfterEvents?: number;
  /** How long a looked-up status is reused in this process (revocation is seen within it). Default 2 s. */
  viewTtlMs?: number;
}

interface CachedAuthorization {
  issued: IssuedAuthorization;
  header: string;
}

/**
 * Connections kept in Temporal, one entity workflow each (workflows/connection.ts). As a
 * `ConnectionResolver` it hands activities an Authorization header: cached in this process while the
 * token is outside its refresh margin, otherwise asked from the connection workflow, which refreshes
 * once for the whole fleet. Concurrent askers in one process share one request.
 */
export class TemporalConnections implements ConnectionResolver {
  readonly oauth: OAuthRuntime | undefined;
  private readonly client: Client;
  private readonly secrets: SecretBox;
  private readonly taskQueue: string;
  private readonly cache = new Map<string, CachedAuthorization>();
  private readonly inflight = new Map<string, Promise<CachedAuthorization>>();
  /** Recent looks at each entity: a fleet of activities asks often, the status changes rarely. */
  private readonly views = new Map<string, { view: ConnectionView; at: number }>();
  private readonly viewTtlMs: number;
  private statusAttribute: Promise<boolean> | undefined;

  constructor(private readonly options: TemporalConnectionsOptions) {
    this.client = options.client;
    this.secrets = options.secrets;
    this.taskQueue = options.taskQueue;
    this.oauth = options.oauth;
    this.viewTtlMs = options.viewTtlMs ?? 2_000;
  }

  /** The box that seals this store's secrets (API and CLI seal new credentials with it). */
  get secretBox(): SecretBox {
    return this.secrets;
  }

  // ---- ConnectionResolver ----

  async credentials(connectionId: string): Promise<GongCredentials> {
    // A fresh look at the entity on every activity attempt: revocation and re-auth are seen at once.
    const view = await this.view(connectionId);
    this.assertUsable(connectionId, view);
    const cached = this.cache.get(connectionId)?.issued;
    // A recent look can be older than the token this process got since (after a 401 "expired"): keep that.
    const newer =
      cached?.kind === 'bearer' &&
      usable(cached) &&
      view.current !== null &&
      cached.generation > view.current.generation;
    if (!newer) {
      if (view.current && usable(view.current)) this.remember(connectionId, view.current);
      else this.cache.delete(connectionId);
    }
    const first = await this.authorization(connectionId);
    return {
      connectionId,
      baseUrl: first.issued.apiBaseUrl,
      authorization: async () => (await this.authorization(connectionId)).header,
    };
  }

  async grantedScopes(connectionId: string): Promise<string[] | undefined> {
    const view = await this.view(connectionId);
    this.assertUsable(connectionId, view);
    return view.summary.scopes ?? undefined;
  }

  async reportExpired(connectionId: string): Promise<void> {
    const cached = this.cache.get(connectionId);
    this.cache.delete(connectionId);
    if (!cached || cached.issued.kind !== 'bearer') return;
    const issued = await this.update(connectionId, () =>
      this.handle(connectionId).executeUpdate(reportExpiredUpdate, {
        args: [{ generation: cached.issued.generation }],
      }),
    );
    this.remember(connectionId, issued);
  }

  /**
   * The value of a named secret of the connection, for its runs' http steps; undefined when the connection
   * has none of that name (the operator-wide secret applies then). Asked from the entity every time (a
   * query: no history), so a rotation or a removal applies from the very next step.
   */
  async secret(connectionId: string, name: string): Promise<string | undefined> {
    const secrets = await this.querySecrets(connectionId);
    const stored = Object.hasOwn(secrets, name) ? secrets[name] : undefined;
    return stored ? this.secrets.open(stored.value) : undefined;
  }

  // ---- named secrets (management) ----

  /** Sets or rotates a named secret: sealed here, so its plaintext never reaches Temporal. */
  async setSecret(connectionId: string, name: string, value: string): Promise<ConnectionSecretInfo[]> {
    assertSecretName(name);
    if (value === '') {
      throw new GongflowError('CONNECTION_SECRET_INVALID', `Secret "${name}" has an empty value.`, {
        hint: 'Give the value on standard input or in the variable the command names.',
      });
    }
    if (Buffer.byteLength(value) > MAX_CONNECTION_SECRET_BYTES) {
      throw new GongflowError(
        'CONNECTION_SECRET_INVALID',
        `Secret "${name}" is larger than ${MAX_CONNECTION_SECRET_BYTES} bytes.`,
        { hint: 'Secrets are tokens, URLs or keys; keep larger data elsewhere.' },
      );
    }
    return this.update(connectionId, () =>
      this.handle(connectionId).executeUpdate(setSecretUpdate, {
        args: [{ name, value: this.secrets.seal(value) }],
      }),
    );
  }

  /** Removes a named secret; `removed: false` when the connection had none of that name. */
  async removeSecret(
    connectionId: string,
    name: string,
  ): Promise<{ removed: boolean; secrets: ConnectionSecretInfo[] }> {
    assertSecretName(name);
    return this.update(connectionId, () =>
      this.handle(connectionId).executeUpdate(removeSecretUpdate, { args: [{ name }] }),
    );
  }

  /** The connection's secrets by name and update time: values are never read back. */
  async listSecrets(connectionId: string): Promise<ConnectionSecretInfo[]> {
    const secrets = await this.querySecrets(connectionId);
    return Object.entries(secrets)
      .map(([name, secret]) => ({ name, updatedAt: secret.updatedAt }))
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  // ---- management ----

  async get(connectionId: string): Promise<ConnectionSummary | undefined> {
    try {
      const view = await this.query(connectionId);
      return view && !view.deleted ? view.summary : undefined;
    } catch (error) {
      if (error instanceof GongflowError && error.code === 'CONNECTION_NOT_FOUND') return undefined;
      throw error;
    }
  }

  /**
   * Every connection of this engine (running entity workflows on its task queue), from their memo: no
   * secrets. Engines sharing a namespace keep apart, and so do their payload-encryption keys.
   */
  async list(): Promise<ConnectionSummary[]> {
    const found: ConnectionSummary[] = [];
    const query = `WorkflowType = '${CONNECTION_WORKFLOW_TYPE}' AND ExecutionStatus = 'Running' AND TaskQueue = ${visibilityString(this.taskQueue)}`;
    for await (const execution of this.client.workflow.list({ query })) {
      const summary = execution.memo?.['connection'] as ConnectionSummary | undefined;
      if (summary) found.push(summary);
    }
    return found.sort((a, b) => a.id.localeCompare(b.id));
  }

  /** Creates the connection, or replaces its credentials (reconnect): status becomes active. */
  async save(connectionId: string, input: ReplaceCredentialsInput): Promise<ConnectionSummary> {
    assertConnectionId(connectionId);
    const args: ConnectionWorkflowArgs = {
      connectionId,
      statusSearchAttribute: await this.ensureStatusAttribute(),
      ...(this.options.continueAsNewAfterEvents !== undefined
        ? { continueAsNewAfterEvents: this.options.continueAsNewAfterEvents }
        : {}),
    };
    const start = new WithStartWorkflowOperation(CONNECTION_WORKFLOW_TYPE, {
      workflowId: connectionWorkflowId(connectionId),
      taskQueue: this.taskQueue,
      args: [args],
      workflowIdConflictPolicy: 'USE_EXISTING',
      typedSearchAttributes: new TypedSearchAttributes([{ key: connectionAttribute, value: connectionId }]),
      staticSummary: `Gong connection ${connectionId} (${input.customer})`,
    });
    this.forget(connectionId);
    return this.update(connectionId, () =>
      this.client.workflow.executeUpdateWithStart(replaceCredentialsUpdate, {
        args: [input],
        startWorkflowOperation: start,
      }),
    );
  }

  /** Revokes: the secrets are dropped and runs on the connection fail until it is reconnected. */
  async revoke(connectionId: string, reason?: string): Promise<ConnectionSummary> {
    this.forget(connectionId);
    return this.update(connectionId, () =>
      this.handle(connectionId).executeUpdate(revokeUpdate, { args: [reason ? { reason } : {}] }),
    );
  }

  /** Deletes: the entity workflow ends. */
  async remove(connectionId: string): Promise<ConnectionSummary> {
    this.forget(connectionId);
    return this.update(connectionId, () => this.handle(connectionId).executeUpdate(deleteConnectionUpdate));
  }

  /** Registers the status search attribute if it is missing (best effort: needs operator rights). */
  ensureStatusAttribute(): Promise<boolean> {
    this.statusAttribute ??= (async () => {
      const namespace = this.client.options.namespace;
      const operator = this.client.connection.operatorService;
      try {
        const existing = await operator.listSearchAttributes({ namespace });
        if (existing.customAttributes?.[CONNECTION_STATUS_ATTRIBUTE] !== undefined) return true;
        await operator.addSearchAttributes({
          namespace,
          searchAttributes: { [CONNECTION_STATUS_ATTRIBUTE]: 2 /* INDEXED_VALUE_TYPE_KEYWORD */ },
        });
        return true;
      } catch {
        return false;
      }
    })();
    return this.statusAttribute;
  }

  // ---- internals ----

  private handle(connectionId: string) {
    return this.client.workflow.getHandle(connectionWorkflowId(connectionId));
  }

  private async view(connectionId: string): Promise<ConnectionView> {
    const recent = this.views.get(connectionId);
    if (recent && Date.now() - recent.at < this.viewTtlMs) return recent.view;
    const view = await this.query(connectionId);
    if (!view || view.deleted) throw notFound(connectionId);
    this.views.set(connectionId, { view, at: Date.now() });
    return view;
  }

  private forget(connectionId: string): void {
    this.cache.delete(connectionId);
    this.views.delete(connectionId);
  }

  private async querySecrets(connectionId: string): Promise<Record<string, StoredConnectionSecret>> {
    try {
      return await this.handle(connectionId).query(connectionSecretsQuery);
    } catch (error) {
      if (error instanceof WorkflowNotFoundError || isGrpcNotFound(error)) throw notFound(connectionId);
      throw error;
    }
  }

  private async query(connectionId: string): Promise<ConnectionView | null> {
    try {
      return await this.handle(connectionId).query(connectionQuery);
    } catch (error) {
      if (error instanceof WorkflowNotFoundError || isGrpcNotFound(error)) throw notFound(connectionId);
      // No worker answered in time (overload): the memo has the status and scopes, not the token.
      const description = await this.handle(connectionId).describe();
      const summary = description.memo?.['connection'] as ConnectionSummary | undefined;
      if (!summary) throw error;
      return { summary, deleted: description.status.name !== 'RUNNING', current: null };
    }
  }

  private assertUsable(connectionId: string, view: ConnectionView): void {
    const { status, statusReason } = view.summary;
    if (status === 'revoked') {
      throw new GongflowError(
        'CONNECTION_REVOKED',
        `Gong connection "${connectionId}" was revoked${statusReason ? ` (${statusReason})` : ''}.`,
        { hint: `Reconnect it: gongflow connections connect ${connectionId} (or add its access key again).` },
      );
    }
    if (status === 'needs_reauth') {
      throw new GongflowError(
        'CONNECTION_NEEDS_REAUTH',
        `Gong connection "${connectionId}" needs to be reconnected: ${statusReason ?? 'Gong refused its refresh token'}.`,
        { hint: `Reconnect it: gongflow connections connect ${connectionId}.` },
      );
    }
  }

  private authorization(connectionId: string): Promise<CachedAuthorization> {
    const cached = this.cache.get(connectionId);
    if (cached && usable(cached.issued)) return Promise.resolve(cached);
    let pending = this.inflight.get(connectionId);
    if (!pending) {
      pending = this.fetchAuthorization(connectionId, cached?.issued.marginMs ?? 0).finally(() =>
        this.inflight.delete(connectionId),
      );
      this.inflight.set(connectionId, pending);
    }
    return pending;
  }

  /** Asks the entity for a token valid past our margin, by our clock; asks once more if it was not. */
  private async fetchAuthorization(connectionId: string, marginMs: number): Promise<CachedAuthorization> {
    let margin = marginMs;
    for (let attempt = 0; ; attempt++) {
      const issued = await this.update(connectionId, () =>
        this.handle(connectionId).executeUpdate(getAccessTokenUpdate, {
          args: [{ validUntil: Date.now() + margin }],
        }),
      );
      if (usable(issued) || attempt > 0) return this.remember(connectionId, issued);
      margin = issued.marginMs;
    }
  }

  private remember(connectionId: string, issued: IssuedAuthorization): CachedAuthorization {
    const secret = this.secrets.open(issued.authorization);
    const entry = { issued, header: issued.kind === 'bearer' ? `Bearer ${secret}` : secret };
    this.cache.set(connectionId, entry);
    return entry;
  }

  /** Runs an update and turns the workflow's typed failures into GongflowErrors users can act on. */
  private async update<T>(connectionId: string, run: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.updateOnce(connectionId, run);
      } catch (error) {
        // An update that reached the entity as it continued as new is lost with that run ("update not
        // found"): the connection still exists in the next run, so ask again there.
        if (!(error instanceof ConnectionMovedOn) || attempt >= 5) {
          throw error instanceof ConnectionMovedOn ? error.cause : error;
        }
      }
    }
  }

  private async updateOnce<T>(connectionId: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      if (error instanceof WorkflowNotFoundError || isGrpcNotFound(error)) {
        if (await this.isRunning(connectionId)) throw new ConnectionMovedOn(error);
        throw notFound(connectionId);
      }
      // Only the entity's own verdicts are final; anything else (e.g. an update rejected because a
      // workflow task timed out under load) is thrown as is, so the activity retries.
      if (
        error instanceof WorkflowUpdateFailedError &&
        error.cause instanceof ApplicationFailure &&
        error.cause.type === CONNECTION_SECRET_FAILURES.invalid
      ) {
        throw new GongflowError('CONNECTION_SECRET_INVALID', error.cause.message, {
          hint: "List the connection's secrets with `gongflow connections secrets list <connection>`.",
        });
      }
      if (
        error instanceof WorkflowUpdateFailedError &&
        error.cause instanceof ApplicationFailure &&
        (error.cause.type === CONNECTION_FAILURES.needsReauth ||
          error.cause.type === CONNECTION_FAILURES.unavailable)
      ) {
        this.forget(connectionId);
        const failure = error.cause;
        const code =
          failure.type === CONNECTION_FAILURES.needsReauth
            ? 'CONNECTION_NEEDS_REAUTH'
            : 'CONNECTION_UNAVAILABLE';
        // The entity's message already says how to reconnect when that is the fix.
        throw new GongflowError(code, failure.message, {
          ...(failure.message.includes('Reconnect it')
            ? {}
            : { hint: `Reconnect it: gongflow connections connect ${connectionId}.` }),
        });
      }
      throw error;
    }
  }

  private async isRunning(connectionId: string): Promise<boolean> {
    try {
      return (await this.handle(connectionId).describe()).status.name === 'RUNNING';
    } catch {
      return false;
    }
  }
}

/** The entity continued as new while an update was on its way to the old run. */
class ConnectionMovedOn extends Error {
  constructor(override readonly cause: unknown) {
    super('the connection workflow continued as new');
  }
}

function usable(issued: IssuedAuthorization): boolean {
  return issued.expiresAt === null || issued.expiresAt - Date.now() > issued.marginMs;
}

function notFound(connectionId: string): GongflowError {
  return new GongflowError('CONNECTION_NOT_FOUND', `No Gong connection "${connectionId}".`, {
    hint: 'List connections with `gongflow connections list`; add one with `gongflow connections add-key` or `connect`.',
  });
}

function assertSecretName(name: string): void {
  if (!CONNECTION_SECRET_NAME_PATTERN.test(name)) {
    throw new GongflowError('CONNECTION_SECRET_INVALID', `"${name}" is not a secret name.`, {
      hint: 'Use the name definitions read as secrets.<name>: letters, digits and _, starting with a letter or _ (at most 64).',
    });
  }
}

export function assertConnectionId(connectionId: string): void {
  if (!CONNECTION_ID_PATTERN.test(connectionId)) {
    throw new GongflowError('CONNECTION_ID_INVALID', `"${connectionId}" is not a valid connection id.`, {
      hint: 'Use lowercase letters, digits and dashes, starting with a letter (at most 63 characters).',
    });
  }
}
