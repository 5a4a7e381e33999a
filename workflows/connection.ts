import {
  allHandlersFinished,
  ApplicationFailure,
  condition,
  continueAsNew,
  log,
  proxyActivities,
  setHandler,
  upsertMemo,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { OAuthActivities } from '../activities/oauth-refresh';
import {
  CONNECTION_FAILURES,
  CONNECTION_SECRET_FAILURES,
  CONNECTION_SECRET_NAME_PATTERN,
  MAX_CONNECTION_SECRETS,
  MAX_CONNECTION_SECRET_BYTES,
  refreshMarginMs,
  type ConnectionAuthType,
  type ConnectionCredentials,
  type ConnectionSecretInfo,
  type ConnectionStatus,
  type ConnectionSummary,
  type IssuedAuthorization,
  type OAuthCredentials,
  type ReplaceCredentialsInput,
  type Sealed,
  type StoredConnectionSecret,
} from '../connections/model';
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
} from './connection-messages';

// The app-settings entity is registered through this module so workflows/index.ts needs one line.
export { connectionSettings } from './connection-settings';

/**
 * One Gong connection as a long-lived entity workflow. It owns the (sealed) credentials and is the only
 * place a refresh token is ever spent: every worker in the fleet asks it for an access token through an
 * update, and concurrent askers wait on the one refresh in flight. Gong's refresh tokens are single-use,
 * so two refreshes racing would kill the connection; here they cannot race.
 */
export interface ConnectionWorkflowArgs {
  connectionId: string;
  /** Set when the GongflowConnectionStatus search attribute is registered: status becomes listable. */
  statusSearchAttribute?: boolean;
  /** Tests: continue as new after this many history events (default: when Temporal suggests it). */
  continueAsNewAfterEvents?: number;
  /** State carried across continueAsNew. */
  state?: ConnectionState;
}

export interface ConnectionState {
  customer: string;
  authType: ConnectionAuthType;
  apiBaseUrl: string;
  scopes: string[] | null;
  status: ConnectionStatus;
  statusReason: string | null;
  createdAt: string;
  updatedAt: string;
  credentials: ConnectionCredentials | null;
  /** Increments with every new access token or credential replacement. */
  generation: number;
  refreshes: number;
  /** Named secrets of the connection's runs (http steps), sealed; absent in states saved before they existed. */
  secrets?: Record<string, StoredConnectionSecret>;
}

const { refreshGongToken } = proxyActivities<OAuthActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '500 milliseconds', backoffCoefficient: 2, maximumAttempts: 6 },
});

export async function connection(args: ConnectionWorkflowArgs): Promise<ConnectionSummary | null> {
  let state: ConnectionState | null = args.state ?? null;
  let refreshing: Promise<void> | undefined;
  let deleted = false;

  const summary = (current: ConnectionState): ConnectionSummary => {
    const credentials = current.credentials;
    return {
      id: args.connectionId,
      customer: current.customer,
      authType: current.authType,
      apiBaseUrl: current.apiBaseUrl,
      scopes: current.scopes,
      status: current.status,
      statusReason: current.statusReason,
      createdAt: current.createdAt,
      updatedAt: current.updatedAt,
      refreshes: current.refreshes,
      accessTokenExpiresAt:
        credentials?.type === 'oauth' ? new Date(credentials.accessTokenExpiresAt).toISOString() : null,
      accessKey: credentials?.type === 'key' ? credentials.accessKey : null,
      clientId: credentials?.type === 'oauth' ? credentials.app.clientId : null,
    };
  };

  const publish = (current: ConnectionState): void => {
    upsertMemo({ connection: summary(current) });
    if (args.statusSearchAttribute) upsertSearchAttributes({ GongflowConnectionStatus: [current.status] });
  };

  const setStatus = (current: ConnectionState, status: ConnectionStatus, reason: string | null): void => {
    if (current.status !== status) {
      const event = {
        connection: args.connectionId,
        customer: current.customer,
        from: current.status,
        to: status,
      };
      if (status === 'active') log.info('Gong connection active', event);
      else log.warn(`Gong connection ${status}`, { ...event, reason });
    }
    current.status = status;
    current.statusReason = reason;
    current.updatedAt = new Date().toISOString();
    publish(current);
  };

  const requireUsable = (): ConnectionState => {
    if (deleted || !state?.credentials) {
      throw ApplicationFailure.create({
        type: CONNECTION_FAILURES.unavailable,
        nonRetryable: true,
        message: `Gong connection "${args.connectionId}" has no credentials${deleted ? ' (deleted)' : ''}.`,
      });
    }
    if (state.status === 'revoked') {
      throw ApplicationFailure.create({
        type: CONNECTION_FAILURES.unavailable,
        nonRetryable: true,
        message: `Gong connection "${args.connectionId}" was revoked${state.statusReason ? `: ${state.statusReason}` : ''}. Reconnect it (gongflow connections connect ${args.connectionId}) to use it again.`,
      });
    }
    if (state.status === 'needs_reauth') {
      throw ApplicationFailure.create({
        type: CONNECTION_FAILURES.needsReauth,
        nonRetryable: true,
        message: `Gong connection "${args.connectionId}" needs to be reconnected: ${state.statusReason ?? 'Gong refused its refresh token'}. Reconnect it (gongflow connections connect ${args.connectionId}).`,
      });
    }
    return state;
  };

  const issued = (current: ConnectionState): IssuedAuthorization => {
    const credentials = current.credentials!;
    if (credentials.type === 'key') {
      return {
        kind: 'header',
        authorization: credentials.authorization,
        apiBaseUrl: current.apiBaseUrl,
        expiresAt: null,
        generation: current.generation,
        marginMs: 0,
      };
    }
    return {
      kind: 'bearer',
      authorization: credentials.accessToken,
      apiBaseUrl: current.apiBaseUrl,
      expiresAt: credentials.accessTokenExpiresAt,
      generation: current.generation,
      marginMs: refreshMarginMs(credentials.accessTokenLifetimeMs),
    };
  };

  /** Spends the refresh token once; the new pair is in state before any waiting caller is answered. */
  const refresh = async (): Promise<void> => {
    const current = state!;
    for (let attempt = 0; ; attempt++) {
      const credentials = current.credentials as OAuthCredentials;
      const generation = current.generation;
      const outcome = await refreshGongToken({
        connectionId: args.connectionId,
        tokenUrl: credentials.tokenUrl,
        app: credentials.app,
        refreshToken: credentials.refreshToken,
      });
      if (current.generation !== generation) return; // reconnected meanwhile: the new credentials win
      if (outcome.kind === 'refreshed') {
        const now = Date.now();
        current.credentials = {
          ...credentials,
          accessToken: outcome.accessToken,
          refreshToken: outcome.refreshToken,
          // The activity's clock, read before asking Gong: the workflow's clock is the (later) task time.
          accessTokenExpiresAt: outcome.expiresAt,
          accessTokenLifetimeMs: outcome.expiresInSeconds * 1000,
        };
        if (outcome.scopes) current.scopes = outcome.scopes;
        if (outcome.apiBaseUrl) current.apiBaseUrl = outcome.apiBaseUrl;
        current.generation += 1;
        current.refreshes += 1;
        current.updatedAt = new Date(now).toISOString();
        publish(current);
        return;
      }
      if (outcome.kind === 'invalid_client') {
        // The app's client credentials are wrong (e.g. a rotated secret); the refresh token is still good.
        current.statusReason = `Gong refused the OAuth app's client credentials: ${outcome.description}`;
        publish(current);
        throw ApplicationFailure.create({
          type: CONNECTION_FAILURES.unavailable,
          nonRetryable: true,
          message: `Gong connection "${args.connectionId}": ${current.statusReason}. Fix the client id/secret in app settings.`,
        });
      }
      // invalid_grant: re-read once. If the refresh token changed meanwhile, try that one; else it is dead.
      const latest = current.credentials as OAuthCredentials;
      if (attempt === 0 && latest.refreshToken !== credentials.refreshToken) continue;
      setStatus(
        current,
        'needs_reauth',
        `Gong refused the refresh token (invalid_grant: ${outcome.description})`,
      );
      return;
    }
  };

  const ensureFresh = async (validUntil: number): Promise<void> => {
    const current = requireUsable();
    const credentials = current.credentials!;
    if (credentials.type !== 'oauth') return;
    const deadline = Math.max(Date.now() + refreshMarginMs(credentials.accessTokenLifetimeMs), validUntil);
    if (credentials.accessTokenExpiresAt > deadline) return;
    refreshing ??= refresh().finally(() => {
      refreshing = undefined;
    });
    await refreshing;
  };

  setHandler(connectionQuery, () =>
    state
      ? {
          summary: summary(state),
          deleted,
          current: state.credentials && state.status === 'active' && !deleted ? issued(state) : null,
        }
      : null,
  );

  setHandler(
    getAccessTokenUpdate,
    async ({ validUntil }) => {
      await ensureFresh(validUntil ?? 0);
      return issued(requireUsable());
    },
    { validator: (_input: { validUntil?: number }) => void requireUsable() },
  );

  setHandler(
    reportExpiredUpdate,
    async ({ generation }) => {
      const current = requireUsable();
      const credentials = current.credentials!;
      if (credentials.type === 'oauth' && current.generation === generation) {
        // Gong says the token is dead whatever our clock says: make it due now.
        credentials.accessTokenExpiresAt = Math.min(credentials.accessTokenExpiresAt, Date.now());
      }
      await ensureFresh(0);
      return issued(requireUsable());
    },
    { validator: (_input: { generation: number }) => void requireUsable() },
  );

  setHandler(
    replaceCredentialsUpdate,
    (input) => {
      const now = new Date().toISOString();
      state = {
        customer: input.customer,
        authType: input.credentials.type,
        apiBaseUrl: input.apiBaseUrl,
        scopes: input.scopes,
        status: 'active',
        statusReason: null,
        createdAt: state?.createdAt ?? now,
        updatedAt: now,
        credentials: input.credentials,
        generation: (state?.generation ?? 0) + 1,
        refreshes: state?.refreshes ?? 0,
      };
      log.info('Gong connection credentials replaced', {
        connection: args.connectionId,
        customer: input.customer,
        authType: input.credentials.type,
      });
      setStatus(state, 'active', null);
      return summary(state);
    },
    {
      validator: (_input: ReplaceCredentialsInput) => {
        if (deleted) throw ApplicationFailure.create({ nonRetryable: true, message: 'connection deleted' });
      },
    },
  );

  setHandler(revokeUpdate, ({ reason }) => {
    if (!state) {
      throw ApplicationFailure.create({
        type: CONNECTION_FAILURES.unavailable,
        nonRetryable: true,
        message: `Gong connection "${args.connectionId}" has no credentials.`,
      });
    }
    // The Gong secrets go: a revoked connection can only come back by reconnecting. Its named secrets
    // (the customer's own systems) stay for when it does.
    state.credentials = null;
    setStatus(state, 'revoked', reason ?? 'revoked in gongflow');
    return summary(state);
  });

  setHandler(deleteConnectionUpdate, () => {
    deleted = true;
    if (state) {
      state.credentials = null;
      delete state.secrets;
    }
    if (state) setStatus(state, 'revoked', 'deleted');
    return state ? summary(state) : emptySummary(args.connectionId);
  });

  const secretInfos = (current: ConnectionState): ConnectionSecretInfo[] =>
    Object.entries(current.secrets ?? {})
      .map(([name, secret]) => ({ name, updatedAt: secret.updatedAt }))
      .sort((a, b) => a.name.localeCompare(b.name));

  const requireState = (): ConnectionState => {
    if (deleted || !state) {
      throw ApplicationFailure.create({
        type: CONNECTION_FAILURES.unavailable,
        nonRetryable: true,
        message: `Gong connection "${args.connectionId}" ${deleted ? 'was deleted' : 'has no credentials yet'}.`,
      });
    }
    return state;
  };

  const invalidSecret = (message: string): ApplicationFailure =>
    ApplicationFailure.create({ type: CONNECTION_SECRET_FAILURES.invalid, nonRetryable: true, message });

  setHandler(connectionSecretsQuery, () => (state && !deleted ? { ...(state.secrets ?? {}) } : {}));

  setHandler(
    setSecretUpdate,
    ({ name, value }) => {
      const current = requireState();
      const secrets = (current.secrets ??= {});
      secrets[name] = { value, updatedAt: new Date().toISOString() };
      log.info('Gong connection secret set', { connection: args.connectionId, secret: name });
      return secretInfos(current);
    },
    {
      validator: ({ name, value }: { name: string; value: Sealed }) => {
        const current = requireState();
        if (!CONNECTION_SECRET_NAME_PATTERN.test(name)) {
          throw invalidSecret(
            `"${name}" is not a secret name: use letters, digits and _ (starting with a letter or _, at most 64), as in secrets.<name>.`,
          );
        }
        // Sealed text is base64url of the value plus a fixed overhead: bound it by the value limit.
        if (typeof value !== 'string' || value.length > MAX_CONNECTION_SECRET_BYTES * 2) {
          throw invalidSecret(
            `Secret "${name}" is too large (at most ${MAX_CONNECTION_SECRET_BYTES} bytes).`,
          );
        }
        const count = Object.keys(current.secrets ?? {}).length;
        if (!current.secrets?.[name] && count >= MAX_CONNECTION_SECRETS) {
          throw invalidSecret(
            `Gong connection "${args.connectionId}" already has ${MAX_CONNECTION_SECRETS} secrets; remove one first.`,
          );
        }
      },
    },
  );

  setHandler(
    removeSecretUpdate,
    ({ name }) => {
      const current = requireState();
      const removed = current.secrets?.[name] !== undefined;
      if (removed) {
        delete current.secrets![name];
        log.info('Gong connection secret removed', { connection: args.connectionId, secret: name });
      }
      return { removed, secrets: secretInfos(current) };
    },
    { validator: (_input: { name: string }) => void requireState() },
  );

  if (state) publish(state);

  const historyTooLong = (): boolean =>
    workflowInfo().continueAsNewSuggested ||
    (args.continueAsNewAfterEvents !== undefined &&
      workflowInfo().historyLength >= args.continueAsNewAfterEvents);

  await condition(() => deleted || (historyTooLong() && refreshing === undefined));
  await condition(allHandlersFinished);
  if (deleted) {
    log.info('Gong connection deleted', { connection: args.connectionId });
    return state ? summary(state) : null;
  }
  return continueAsNew<typeof connection>({ ...args, ...(state ? { state } : {}) });
}

function emptySummary(id: string): ConnectionSummary {
  return {
    id,
    customer: '',
    authType: 'oauth',
    apiBaseUrl: '',
    scopes: null,
    status: 'revoked',
    statusReason: null,
    createdAt: '',
    updatedAt: '',
    refreshes: 0,
    accessTokenExpiresAt: null,
    accessKey: null,
    clientId: null,
  };
}
