import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type {
  ConnectionSecretInfo,
  ConnectionSummary,
  IssuedAuthorization,
  ReplaceCredentialsInput,
  Sealed,
  StoredConnectionSecret,
} from '../connections/model';

/** The connection entity workflow's messages: imported by the workflow and by its clients. */

/** What the `connection` query answers: the summary, and the current sealed authorization if usable. */
export interface ConnectionView {
  summary: ConnectionSummary;
  /** The entity was deleted (the workflow has ended or is ending). */
  deleted: boolean;
  current: IssuedAuthorization | null;
}

export const connectionQuery = defineQuery<ConnectionView | null>('connection');
/**
 * A usable Authorization header (sealed). Refreshes first when the token is within its margin, or expires
 * before `validUntil` (epoch ms on the caller's clock: the workflow's clock is its task time, which lags).
 */
export const getAccessTokenUpdate = defineUpdate<IssuedAuthorization, [{ validUntil?: number }]>(
  'getAccessToken',
);
/** Gong answered 401 "expired" to the token of `generation`: refresh (once) and hand out the new one. */
export const reportExpiredUpdate = defineUpdate<IssuedAuthorization, [{ generation: number }]>(
  'reportExpired',
);
/** Create or reconnect: new credentials, status back to active. */
export const replaceCredentialsUpdate = defineUpdate<ConnectionSummary, [ReplaceCredentialsInput]>(
  'replaceCredentials',
);
export const revokeUpdate = defineUpdate<ConnectionSummary, [{ reason?: string }]>('revoke');
/** Ends the entity: the connection is gone (its runs fail with ConnectionError). */
export const deleteConnectionUpdate = defineUpdate<ConnectionSummary, []>('deleteConnection');

/** The connection's named secrets, sealed, with their update times (processes holding the key open them). */
export const connectionSecretsQuery =
  defineQuery<Record<string, StoredConnectionSecret>>('connectionSecrets');
/** Sets (or rotates) one named secret; answers every secret's name and update time. */
export const setSecretUpdate = defineUpdate<ConnectionSecretInfo[], [{ name: string; value: Sealed }]>(
  'setSecret',
);
/** Removes one named secret (`removed: false` when there was none of that name). */
export const removeSecretUpdate = defineUpdate<
  { removed: boolean; secrets: ConnectionSecretInfo[] },
  [{ name: string }]
>('removeSecret');
