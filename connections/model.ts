/**
 * The connection model shared by the connection entity workflow (pure, sandbox-safe: no imports) and the
 * processes around it. Secrets only ever appear here as `Sealed` text (AES-256-GCM, see secrets.ts).
 */

/** Ciphertext of a secret, `gfs1.<keyId>.<iv>.<ciphertext+tag>`; the brand keeps plaintext out by type. */
export type Sealed = string & { readonly __sealed: true };

export type ConnectionAuthType = 'oauth' | 'key';
export type ConnectionStatus = 'active' | 'needs_reauth' | 'revoked';

/** Which OAuth app a connection was installed with: refreshes must use the same client credentials. */
export type OAuthAppRef =
  { kind: 'default'; clientId: string } | { kind: 'custom'; clientId: string; clientSecret: Sealed };

export interface OAuthCredentials {
  type: 'oauth';
  accessToken: Sealed;
  refreshToken: Sealed;
  /** Epoch ms. */
  accessTokenExpiresAt: number;
  /** Lifetime Gong gave the last access token (`expires_in`), ms: sizes the refresh margin. */
  accessTokenLifetimeMs: number;
  app: OAuthAppRef;
  tokenUrl: string;
}

export interface KeyCredentials {
  type: 'key';
  accessKey: string;
  /** The whole header, `Basic base64(accessKey:secret)`, sealed. */
  authorization: Sealed;
}

export type ConnectionCredentials = OAuthCredentials | KeyCredentials;

/** What may be shown anywhere (list, memo, API): never a secret. */
export interface ConnectionSummary {
  id: string;
  customer: string;
  authType: ConnectionAuthType;
  /** The company's API host (OAuth: `api_base_url_for_customer`). */
  apiBaseUrl: string;
  /** Granted scopes; null for unscoped access keys. */
  scopes: string[] | null;
  status: ConnectionStatus;
  /** Why the status is not active, or the last refresh problem. */
  statusReason: string | null;
  createdAt: string;
  updatedAt: string;
  /** Number of token refreshes done, and when the current access token expires (OAuth). */
  refreshes: number;
  accessTokenExpiresAt: string | null;
  /** The access key id (never its secret), for key connections. */
  accessKey: string | null;
  /** The OAuth client id the connection was installed with. */
  clientId: string | null;
}

/** What `replaceCredentials` (create, reconnect) carries. */
export interface ReplaceCredentialsInput {
  customer: string;
  apiBaseUrl: string;
  scopes: string[] | null;
  credentials: ConnectionCredentials;
}

/** An Authorization header, sealed, with what the caller needs to cache it. */
export interface IssuedAuthorization {
  /** `bearer`: a sealed OAuth access token; `header`: the sealed Authorization header itself (keys). */
  kind: 'bearer' | 'header';
  authorization: Sealed;
  apiBaseUrl: string;
  /** Epoch ms after which the header must not be used; null for access keys (no expiry). */
  expiresAt: number | null;
  /** Increments with every refresh: `reportExpired` names the one Gong refused. */
  generation: number;
  /** Refresh margin the workflow applies, so callers stop using a token when the workflow would refresh. */
  marginMs: number;
}

/** Result of the refresh activity: invalid_grant/invalid_client are answers, not exceptions. */
export type RefreshOutcome =
  | {
      kind: 'refreshed';
      accessToken: Sealed;
      refreshToken: Sealed;
      expiresInSeconds: number;
      /** Epoch ms, from the clock of the process that asked, taken before asking: never later than Gong's. */
      expiresAt: number;
      scopes: string[] | null;
      apiBaseUrl: string | null;
    }
  | { kind: 'invalid_grant'; description: string }
  | { kind: 'invalid_client'; description: string };

export function connectionWorkflowId(connectionId: string): string {
  return `gongflow-connection-${connectionId}`;
}

export const CONNECTION_WORKFLOW_TYPE = 'connection';

/** Connection ids: what a URL, a workflow id and temporal.yaml all accept. */
export const CONNECTION_ID_PATTERN = /^[a-z][a-z0-9-]{0,62}$/;

/**
 * How long before expiry a token is refreshed: a quarter of its lifetime, at most five minutes. Gong's
 * day-long tokens refresh five minutes early; the storm test's six-second tokens 1.5 s early.
 */
export function refreshMarginMs(lifetimeMs: number): number {
  return Math.min(5 * 60_000, Math.max(0, Math.floor(lifetimeMs / 4)));
}

/** Failure types of connection problems (ApplicationFailure.type). */
export const CONNECTION_FAILURES = {
  /** Gong refused the refresh token: someone must reconnect. Non-retryable. */
  needsReauth: 'GongAuthError',
  /** Revoked, unknown, or without credentials. Non-retryable. */
  unavailable: 'ConnectionError',
} as const;

/**
 * Named secrets of a connection (a customer's Slack webhook, CRM token): what its runs' http steps read
 * as `secrets.<name>` before the operator-wide ones. Stored sealed in the connection entity; shown only
 * by name and update time, never read back.
 */
export interface ConnectionSecretInfo {
  name: string;
  updatedAt: string;
}

export interface StoredConnectionSecret {
  value: Sealed;
  updatedAt: string;
}

/** The names definitions can read (`secrets.<name>` is a CEL field): letters, digits and `_`. */
export const CONNECTION_SECRET_NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
/** A connection's secrets live in its workflow state: keep it small. */
export const MAX_CONNECTION_SECRETS = 100;
/** Largest value accepted, in UTF-8 bytes (a token, a URL, a PEM key fit). */
export const MAX_CONNECTION_SECRET_BYTES = 16 * 1024;

/** Failure types of the secret updates (ApplicationFailure.type). */
export const CONNECTION_SECRET_FAILURES = {
  invalid: 'ConnectionSecretInvalid',
} as const;
