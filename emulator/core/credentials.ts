import { randomBytes } from 'node:crypto';

/** Access keys, OAuth apps, codes and tokens: everything that authenticates a caller. */

export interface AccessKeyRecord {
  accessKey: string;
  accessKeySecret: string;
  companyId: string;
  /** null = unscoped (classic Gong keys); a list = only these scopes, enforced like OAuth scopes. */
  scopes: string[] | null;
  revoked: boolean;
  created: number;
}

export interface OAuthAppRecord {
  clientId: string;
  clientSecret: string;
  name: string;
  redirectUris: string[];
  scopes: string[];
  /** Overrides the emulator-wide access-token lifetime for this app. */
  accessTokenTtlSeconds: number | null;
}

export interface AuthorizationCodeRecord {
  code: string;
  clientId: string;
  companyId: string;
  scopes: string[];
  redirectUri: string;
  expiresAt: number;
  used: boolean;
}

/** One installation of an app in a company; revoking it kills every token issued under it. */
export interface GrantRecord {
  grantId: string;
  clientId: string;
  companyId: string;
  scopes: string[];
  revoked: boolean;
}

export interface AccessTokenRecord {
  token: string;
  grantId: string;
  expiresAt: number;
  revoked: boolean;
}

export interface RefreshTokenRecord {
  token: string;
  grantId: string;
  used: boolean;
  revoked: boolean;
}

export class CredentialStore {
  readonly accessKeys = new Map<string, AccessKeyRecord>();
  readonly apps = new Map<string, OAuthAppRecord>();
  readonly codes = new Map<string, AuthorizationCodeRecord>();
  readonly grants = new Map<string, GrantRecord>();
  readonly accessTokens = new Map<string, AccessTokenRecord>();
  readonly refreshTokens = new Map<string, RefreshTokenRecord>();

  clear(): void {
    for (const map of [
      this.accessKeys,
      this.apps,
      this.codes,
      this.grants,
      this.accessTokens,
      this.refreshTokens,
    ])
      map.clear();
  }
}

/** Unguessable token text; secrets never come from the seeded generator. */
export function secretToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}
