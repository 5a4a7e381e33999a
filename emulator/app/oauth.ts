import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { EmulatorContext } from '../context';
import { isoTime } from '../core/clock';
import { secretToken, type OAuthAppRecord } from '../core/credentials';
import { consentPage, errorPage } from './consent-page';
import { issueTokens } from './tokens';

type Params = Record<string, string | undefined>;

function stringParams(...sources: unknown[]): Params {
  const params: Params = {};
  for (const source of sources) {
    if (!source || typeof source !== 'object') continue;
    for (const [key, value] of Object.entries(source as Record<string, unknown>)) {
      if (params[key] !== undefined) continue;
      const first: unknown = Array.isArray(value) ? value[0] : value;
      params[key] =
        typeof first === 'string' || typeof first === 'number' || typeof first === 'boolean'
          ? String(first)
          : undefined;
    }
  }
  return params;
}

export function splitScopes(scope: string | undefined, app: OAuthAppRecord): string[] {
  const requested = (scope ?? '').split(/[\s+]+/).filter(Boolean);
  return requested.length ? [...new Set(requested)] : [...app.scopes];
}

function redirectWith(reply: FastifyReply, redirectUri: string, params: Params): FastifyReply {
  const url = new URL(redirectUri);
  for (const [key, value] of Object.entries(params))
    if (value !== undefined) url.searchParams.set(key, value);
  return reply.redirect(url.toString(), 302);
}

/**
 * Validates an authorization request the way Gong's consent screen does. Problems with the client or
 * the redirect URI are shown to the person (never redirected to an unverified URI); other problems go
 * back to the app as `error=` on its redirect URI.
 */
function checkAuthorization(
  context: EmulatorContext,
  params: Params,
  reply: FastifyReply,
): { app: OAuthAppRecord; scopes: string[]; redirectUri: string } | FastifyReply {
  const app = params['client_id'] ? context.credentials.apps.get(params['client_id']) : undefined;
  if (!app)
    return reply
      .code(400)
      .type('text/html')
      .send(errorPage('Unknown client_id', params['client_id'] ?? ''));
  const redirectUri = params['redirect_uri'] ?? '';
  if (!app.redirectUris.includes(redirectUri))
    return reply
      .code(400)
      .type('text/html')
      .send(errorPage('redirect_uri is not registered for this app', redirectUri));
  const state = params['state'];
  if (params['response_type'] !== 'code')
    return redirectWith(reply, redirectUri, { error: 'unsupported_response_type', state });
  const scopes = splitScopes(params['scope'], app);
  const unknown = scopes.filter((scope) => !app.scopes.includes(scope));
  if (unknown.length)
    return redirectWith(reply, redirectUri, {
      error: 'invalid_scope',
      error_description: `The app is not allowed to request: ${unknown.join(' ')}`,
      state,
    });
  return { app, scopes, redirectUri };
}

export function registerOAuthRoutes(app: FastifyInstance, context: EmulatorContext): void {
  app.get('/oauth2/authorize', (request, reply) => {
    const params = stringParams(request.query);
    const checked = checkAuthorization(context, params, reply);
    if (!('app' in checked)) return checked;
    const companies = [...context.companies.values()].map((runtime) => ({
      id: runtime.state.id,
      name: runtime.state.name,
    }));
    return reply
      .type('text/html')
      .send(consentPage({ app: checked.app, scopes: checked.scopes, params, companies }));
  });

  app.post('/oauth2/authorize', (request, reply) => {
    const params = stringParams(request.body, request.query);
    const checked = checkAuthorization(context, params, reply);
    if (!('app' in checked)) return checked;
    const state = params['state'];
    if (params['decision'] !== 'approve')
      return redirectWith(reply, checked.redirectUri, { error: 'access_denied', state });
    const companyId = params['company_id'] ?? '';
    if (!context.companies.has(companyId))
      return reply.code(400).type('text/html').send(errorPage('Unknown company', companyId));
    const code = secretToken(24);
    context.credentials.codes.set(code, {
      code,
      clientId: checked.app.clientId,
      companyId,
      scopes: checked.scopes,
      redirectUri: checked.redirectUri,
      expiresAt: context.clock.now() + context.settings.authorizationCodeTtlSeconds * 1000,
      used: false,
    });
    return redirectWith(reply, checked.redirectUri, { code, state });
  });

  app.post('/oauth2/generate-customer-token', (request, reply) => tokenEndpoint(context, request, reply));
}

function oauthError(reply: FastifyReply, status: number, error: string, description: string): FastifyReply {
  return reply
    .code(status)
    .header('cache-control', 'no-store')
    .send({ error, error_description: description });
}

function tokenEndpoint(context: EmulatorContext, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  // Gong documents the parameters on the query string; a form body is tolerated as many servers do.
  const params = stringParams(request.query, request.body);
  const header = request.headers.authorization ?? '';
  let clientLabel = 'none';
  const finish = (status: number, body: Record<string, unknown>): FastifyReply => {
    context.requestLog.add({
      time: isoTime(context.clock.now()),
      receivedAt: isoTime(context.clock.now()),
      host: 'app',
      method: request.method,
      path: '/oauth2/generate-customer-token',
      query: { ...(request.query as Record<string, unknown>) },
      auth: clientLabel,
      body: request.body ?? null,
      status,
      requestId: null,
      headers: {},
    });
    if (status !== 200)
      return oauthError(reply, status, String(body['error']), String(body['error_description']));
    return reply.header('cache-control', 'no-store').send(body);
  };
  const [scheme, encoded] = header.split(' ', 2);
  if (scheme?.toLowerCase() !== 'basic' || !encoded)
    return finish(401, {
      error: 'invalid_client',
      error_description: 'Client authentication (HTTP Basic) is required',
    });
  const decoded = Buffer.from(encoded, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  const clientId = decodeURIComponent(decoded.slice(0, Math.max(colon, 0)));
  const clientSecret = decodeURIComponent(decoded.slice(colon + 1));
  const app = context.credentials.apps.get(clientId);
  clientLabel = `client:${clientId}`;
  if (colon < 0 || !app || app.clientSecret !== clientSecret)
    return finish(401, { error: 'invalid_client', error_description: 'Client authentication failed' });
  if (params['client_id'] !== undefined && params['client_id'] !== clientId)
    return finish(401, {
      error: 'invalid_client',
      error_description: 'client_id does not match the authenticated client',
    });
  const now = context.clock.now();
  const invalidGrant = () =>
    finish(400, { error: 'invalid_grant', error_description: 'Token has been expired or revoked.' });

  if (params['grant_type'] === 'authorization_code') {
    const code = context.credentials.codes.get(params['code'] ?? '');
    if (!code || code.used || code.expiresAt <= now || code.clientId !== clientId) return invalidGrant();
    if (params['redirect_uri'] !== undefined && params['redirect_uri'] !== code.redirectUri)
      return invalidGrant();
    code.used = true;
    const grantId = secretToken(12);
    context.credentials.grants.set(grantId, {
      grantId,
      clientId,
      companyId: code.companyId,
      scopes: code.scopes,
      revoked: false,
    });
    return finish(200, issueTokens(context, grantId, app));
  }
  if (params['grant_type'] === 'refresh_token') {
    const refresh = context.credentials.refreshTokens.get(params['refresh_token'] ?? '');
    const grant = refresh ? context.credentials.grants.get(refresh.grantId) : undefined;
    if (!refresh || !grant || refresh.used || refresh.revoked || grant.revoked || grant.clientId !== clientId)
      return invalidGrant();
    // Single use: the presented refresh token dies now, whatever happens to the new pair.
    refresh.used = true;
    return finish(200, issueTokens(context, grant.grantId, app));
  }
  return finish(400, {
    error: 'unsupported_grant_type',
    error_description: `Unsupported grant_type: ${params['grant_type'] ?? ''}`,
  });
}
