import { ApplicationFailure, Context } from '@temporalio/activity';
import { gongMetrics } from '../observability/metrics';
import { FAILURE_TYPES } from '../core/failure-types';
import type { OAuthAppRef, RefreshOutcome, Sealed } from '../connections/model';
import type { OAuthRuntime } from '../connections/oauth-runtime';
import { requestGongToken, TokenEndpointUnavailableError } from '../connections/oauth-token';

export interface RefreshGongTokenArgs {
  connectionId: string;
  tokenUrl: string;
  app: OAuthAppRef;
  refreshToken: Sealed;
}

export interface OAuthActivityDependencies {
  /** Absent on workers started without OAuth support; refreshes then fail with a clear ConnectionError. */
  oauth: OAuthRuntime | undefined;
}

export function createOAuthActivities(dependencies: OAuthActivityDependencies) {
  return {
    /**
     * Spends a connection's refresh token once at Gong's token endpoint and returns the new pair, sealed.
     * Only the connection workflow calls it (one at a time per connection). invalid_grant / invalid_client
     * are returned, not thrown, so the workflow decides; network errors and 5xx are thrown and retried.
     */
    async refreshGongToken(args: RefreshGongTokenArgs): Promise<RefreshOutcome> {
      const runtime = dependencies.oauth;
      if (!runtime) {
        throw ApplicationFailure.create({
          type: FAILURE_TYPES.connection,
          nonRetryable: true,
          message:
            'This worker cannot refresh Gong tokens: it was started without the connections runtime (secrets key and OAuth app).',
        });
      }
      const client = clientCredentials(args.app, runtime);
      if (!client) {
        return {
          kind: 'invalid_client',
          description: `the connection was installed with the default OAuth app ${args.app.clientId}, which is no longer configured (gong.oauthApp / GONGFLOW_GONG_CLIENT_ID and _SECRET)`,
        };
      }
      const log = Context.current().log;
      let result;
      const askedAt = Date.now();
      try {
        result = await requestGongToken({
          tokenUrl: args.tokenUrl,
          client,
          params: { grant_type: 'refresh_token', refresh_token: runtime.secrets.open(args.refreshToken) },
          timeoutMs: runtime.tokenTimeoutMs,
        });
      } catch (error) {
        gongMetrics.tokenRefreshes.inc({ outcome: 'error' });
        if (error instanceof TokenEndpointUnavailableError) {
          throw ApplicationFailure.create({ type: FAILURE_TYPES.server, message: error.message });
        }
        throw error;
      }
      if (!result.ok) {
        gongMetrics.tokenRefreshes.inc({
          outcome: result.error === 'invalid_client' ? 'invalid_client' : 'invalid_grant',
        });
        log.warn('Gong refused a token refresh', {
          connection: args.connectionId,
          error: result.error,
          status: result.status,
        });
        return result.error === 'invalid_client'
          ? { kind: 'invalid_client', description: result.description }
          : { kind: 'invalid_grant', description: `${result.error}: ${result.description}` };
      }
      gongMetrics.tokenRefreshes.inc({ outcome: 'refreshed' });
      log.info('Gong token refreshed', {
        connection: args.connectionId,
        expiresInSeconds: result.tokens.expiresInSeconds,
      });
      return {
        kind: 'refreshed',
        accessToken: runtime.secrets.seal(result.tokens.accessToken),
        refreshToken: runtime.secrets.seal(result.tokens.refreshToken),
        expiresInSeconds: result.tokens.expiresInSeconds,
        expiresAt: askedAt + result.tokens.expiresInSeconds * 1000,
        scopes: result.tokens.scopes,
        apiBaseUrl: result.tokens.apiBaseUrl,
      };
    },
  };
}

export type OAuthActivities = ReturnType<typeof createOAuthActivities>;

function clientCredentials(
  app: OAuthAppRef,
  runtime: OAuthRuntime,
): { clientId: string; clientSecret: string } | undefined {
  if (app.kind === 'custom')
    return { clientId: app.clientId, clientSecret: runtime.secrets.open(app.clientSecret) };
  const fallback = runtime.defaultApp;
  if (!fallback || fallback.clientId !== app.clientId) return undefined;
  return { clientId: fallback.clientId, clientSecret: fallback.clientSecret };
}
