import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { ConnectionSummary, IssuedAuthorization, ReplaceCredentialsInput } from '../connections/model';

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
