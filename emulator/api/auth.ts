import { GONG_MESSAGES, GongApiError } from '../core/api-error';
import type { AccessKeyRecord, GrantRecord } from '../core/credentials';
import type { EmulatorContext } from '../context';

export type Caller =
  | { kind: 'key'; key: AccessKeyRecord; label: string }
  | { kind: 'bearer'; grant: GrantRecord; label: string };

/**
 * How the request log names the credentials a request presented, whether or not they were accepted: the
 * access key id, or the first characters of a Bearer token (never a secret, never a whole token).
 */
export function credentialLabel(header: string | undefined): string {
  const [scheme, value] = (header ?? '').split(' ', 2);
  if (!scheme || !value) return 'none';
  if (scheme.toLowerCase() === 'bearer') return `bearer:${value.slice(0, 8)}…`;
  if (scheme.toLowerCase() === 'basic') {
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    return colon > 0 ? `basic:${decoded.slice(0, colon)}` : 'basic:?';
  }
  return `${scheme.toLowerCase()}:?`;
}

/**
 * Resolves the Authorization header of an API request. Unknown or expired credentials answer 401;
 * credentials of another company, or a revoked installation, answer 403 as Gong does on a wrong host.
 */
export function authenticate(
  header: string | undefined,
  companyId: string,
  context: EmulatorContext,
): Caller {
  const unauthorized = new GongApiError(401, GONG_MESSAGES.unauthorized);
  if (!header) throw unauthorized;
  const [scheme, value] = header.split(' ', 2);
  if (!scheme || !value) throw unauthorized;
  if (scheme.toLowerCase() === 'basic') {
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) throw unauthorized;
    const key = context.credentials.accessKeys.get(decoded.slice(0, colon));
    if (!key || key.revoked || key.accessKeySecret !== decoded.slice(colon + 1)) throw unauthorized;
    if (key.companyId !== companyId) throw new GongApiError(403, GONG_MESSAGES.forbidden);
    return { kind: 'key', key, label: `basic:${key.accessKey}` };
  }
  if (scheme.toLowerCase() === 'bearer') {
    const token = context.credentials.accessTokens.get(value);
    if (!token) throw unauthorized;
    const grant = context.credentials.grants.get(token.grantId);
    if (!grant) throw unauthorized;
    if (token.revoked || grant.revoked) throw new GongApiError(403, 'access token has been revoked');
    if (token.expiresAt <= context.clock.now()) throw new GongApiError(401, 'access token has expired');
    if (grant.companyId !== companyId) throw new GongApiError(403, GONG_MESSAGES.forbidden);
    return { kind: 'bearer', grant, label: `bearer:${value.slice(0, 8)}…` };
  }
  throw unauthorized;
}

/** Scopes bind Bearer tokens always, and access keys only when the key was created with scopes. */
export function requireScope(caller: Caller, scope: string): void {
  const granted = caller.kind === 'bearer' ? caller.grant.scopes : caller.key.scopes;
  if (granted && !granted.includes(scope)) throw new GongApiError(401, GONG_MESSAGES.missingScope(scope));
}
