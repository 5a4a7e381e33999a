import type { EmulatorContext } from '../context';
import { secretToken, type OAuthAppRecord } from '../core/credentials';

/** A new access + refresh token pair for an installation, in Gong's token-response shape. */
export function issueTokens(
  context: EmulatorContext,
  grantId: string,
  app: OAuthAppRecord,
): Record<string, unknown> {
  const grant = context.credentials.grants.get(grantId);
  const company = grant ? context.companies.get(grant.companyId) : undefined;
  if (!grant || !company) throw new Error(`grant ${grantId} has no company`);
  const expiresIn = app.accessTokenTtlSeconds ?? context.settings.accessTokenTtlSeconds;
  const accessToken = secretToken(40);
  const refreshToken = secretToken(40);
  context.credentials.accessTokens.set(accessToken, {
    token: accessToken,
    grantId,
    expiresAt: context.clock.now() + expiresIn * 1000,
    revoked: false,
  });
  context.credentials.refreshTokens.set(refreshToken, {
    token: refreshToken,
    grantId,
    used: false,
    revoked: false,
  });
  return {
    access_token: accessToken,
    refresh_token: refreshToken,
    scope: grant.scopes.join(' '),
    token_type: 'bearer',
    expires_in: expiresIn,
    api_base_url_for_customer: company.state.apiBaseUrl,
  };
}
