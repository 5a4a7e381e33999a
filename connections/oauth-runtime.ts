import type { GongflowConfig } from '../config/schema';
import type { SecretBox } from './secrets';

/** What refreshing a token needs in a worker: the secrets key and the operator's default OAuth app. */
export interface OAuthRuntime {
  secrets: SecretBox;
  /** The default app ("use our credentials") from temporal.yaml / GONGFLOW_GONG_CLIENT_*; undefined if unset. */
  defaultApp: DefaultOAuthApp | undefined;
  tokenTimeoutMs: number;
}

export interface DefaultOAuthApp {
  clientId: string;
  clientSecret: string;
  authorizeUrl: string;
  tokenUrl: string;
  scopes: string[];
}

export function defaultOAuthApp(config: GongflowConfig): DefaultOAuthApp | undefined {
  const app = config.gong.oauthApp;
  if (!app.clientId || !app.clientSecret) return undefined;
  return {
    clientId: app.clientId,
    clientSecret: app.clientSecret,
    authorizeUrl: app.authorizeUrl,
    tokenUrl: app.tokenUrl,
    scopes: app.scopes,
  };
}

export function oauthRuntimeFromConfig(config: GongflowConfig, secrets: SecretBox): OAuthRuntime {
  return { secrets, defaultApp: defaultOAuthApp(config), tokenTimeoutMs: config.gong.requestTimeoutMs };
}
