import { type Client, WithStartWorkflowOperation, WorkflowNotFoundError } from '@temporalio/client';
import { GongflowError } from '../core/errors';
import { isKnownGongScope } from '../gong/catalog/scopes';
import {
  appSettingsQuery,
  CONNECTION_SETTINGS_WORKFLOW_ID,
  claimInstallUpdate,
  deleteAppSettingsUpdate,
  registerInstallUpdate,
  saveAppSettingsUpdate,
  type AppSettings,
  type ClaimResult,
  type PendingInstall,
} from '../workflows/connection-settings';
import type { OAuthAppRef } from './model';
import type { DefaultOAuthApp } from './oauth-runtime';
import type { SecretBox } from './secrets';

/** Every Gong connection needs it: gongflow tests connections with GET /v2/users. It cannot be removed. */
export const MANDATORY_SCOPE = 'api:users:read';
export const DEFAULT_SETTINGS_KEY = 'default';

export interface AppSettingsInput {
  credentials: { kind: 'ours' } | { kind: 'yours'; clientId: string; clientSecret?: string };
  additionalScopes?: string[];
  customScopes?: string[];
}

/** What the settings page and CLI show: never the client secret. */
export interface AppSettingsView {
  key: string;
  /** True when nothing was saved for this key and the defaults (temporal.yaml) apply. */
  inherited: boolean;
  credentials:
    { kind: 'ours'; clientId: string | null } | { kind: 'yours'; clientId: string; hasSecret: true };
  mandatoryScopes: string[];
  additionalScopes: string[];
  customScopes: string[];
  /** The scopes the authorize request asks for: mandatory + additional + custom. */
  scopes: string[];
  warnings: string[];
  /** Paste into the Gong app's Redirect URI. */
  callbackUrl: string;
}

/** The OAuth app a customer installs with, resolved, with its secret in the clear (install flow only). */
export interface ResolvedOAuthApp {
  ref: OAuthAppRef;
  clientId: string;
  clientSecret: string;
  authorizeUrl: string;
  tokenUrl: string;
  scopes: string[];
}

export function composeScopes(additional: string[], custom: string[]): string[] {
  return [
    ...new Set([MANDATORY_SCOPE, ...additional, ...custom].map((scope) => scope.trim()).filter(Boolean)),
  ];
}

export function customScopeWarnings(custom: string[]): string[] {
  return custom.map(
    (scope) =>
      `Custom scope "${scope}" is not one gongflow knows. Gong answers invalid_scope at install if the Gong app does not have it selected.`,
  );
}

/**
 * App settings (which OAuth app, which scopes) stored in the connection-settings entity workflow, plus
 * the install `state` nonces. Defaults come from temporal.yaml's gong.oauthApp.
 */
export class AppSettingsStore {
  constructor(
    private readonly options: {
      client: Client;
      secrets: SecretBox;
      taskQueue: string;
      defaultApp: {
        clientId?: string;
        clientSecret?: string;
        authorizeUrl: string;
        tokenUrl: string;
        scopes: string[];
      };
      /** Where Gong sends the admin back: `<public URL>/connect/gong/callback` (a function: known after listen). */
      callbackUrl: string | (() => string);
      /** Default CONNECTION_SETTINGS_WORKFLOW_ID (tests use their own). */
      workflowId?: string;
    },
  ) {}

  get callbackUrl(): string {
    const { callbackUrl } = this.options;
    return typeof callbackUrl === 'function' ? callbackUrl() : callbackUrl;
  }

  async view(key: string = DEFAULT_SETTINGS_KEY): Promise<AppSettingsView> {
    const all = await this.all();
    const saved = all[key] ?? (key === DEFAULT_SETTINGS_KEY ? undefined : all[DEFAULT_SETTINGS_KEY]);
    const settings = saved ?? this.builtIn();
    const additional = settings.additionalScopes.filter((scope) => scope !== MANDATORY_SCOPE);
    return {
      key,
      inherited: all[key] === undefined,
      credentials:
        settings.credentials.kind === 'yours'
          ? { kind: 'yours', clientId: settings.credentials.clientId, hasSecret: true }
          : { kind: 'ours', clientId: this.options.defaultApp.clientId ?? null },
      mandatoryScopes: [MANDATORY_SCOPE],
      additionalScopes: additional,
      customScopes: settings.customScopes,
      scopes: composeScopes(additional, settings.customScopes),
      warnings: customScopeWarnings(settings.customScopes),
      callbackUrl: this.callbackUrl,
    };
  }

  async save(key: string, input: AppSettingsInput): Promise<AppSettingsView> {
    if (key !== DEFAULT_SETTINGS_KEY && !/^[a-z][a-z0-9-]{0,62}$/.test(key)) {
      throw new GongflowError('APP_SETTINGS_INVALID', `"${key}" is not a customer id.`, {
        hint: 'Use lowercase letters, digits and dashes.',
      });
    }
    const unknown = (input.additionalScopes ?? []).filter((scope) => !isKnownGongScope(scope));
    if (unknown.length > 0) {
      throw new GongflowError('APP_SETTINGS_UNKNOWN_SCOPE', `Not known Gong scopes: ${unknown.join(', ')}.`, {
        hint: 'Pick additional scopes from the known list, or add them as custom scopes (with a warning).',
      });
    }
    let credentials: AppSettings['credentials'] = { kind: 'ours' };
    if (input.credentials.kind === 'yours') {
      const previous = (await this.all())[key]?.credentials;
      const secret = input.credentials.clientSecret
        ? this.options.secrets.seal(input.credentials.clientSecret)
        : previous?.kind === 'yours' && previous.clientId === input.credentials.clientId
          ? previous.clientSecret
          : undefined;
      if (!input.credentials.clientId.trim() || !secret) {
        throw new GongflowError(
          'APP_SETTINGS_INVALID',
          'Your own credentials need a client id and a client secret.',
          {
            hint: 'Copy both from the Gong app (Developer Hub > your integration).',
          },
        );
      }
      credentials = { kind: 'yours', clientId: input.credentials.clientId.trim(), clientSecret: secret };
    }
    const settings: AppSettings = {
      credentials,
      additionalScopes: [...new Set(input.additionalScopes ?? [])].filter(
        (scope) => scope !== MANDATORY_SCOPE,
      ),
      customScopes: [...new Set((input.customScopes ?? []).map((scope) => scope.trim()).filter(Boolean))],
      updatedAt: new Date().toISOString(),
    };
    await this.client().executeUpdateWithStart(saveAppSettingsUpdate, {
      args: [{ key, settings }],
      startWorkflowOperation: this.startOperation(),
    });
    return this.view(key);
  }

  async reset(key: string): Promise<void> {
    await this.client().executeUpdateWithStart(deleteAppSettingsUpdate, {
      args: [{ key }],
      startWorkflowOperation: this.startOperation(),
    });
  }

  /** The app and scopes a customer installs with; fails clearly when no app is configured. */
  async resolve(customer: string): Promise<ResolvedOAuthApp> {
    const all = await this.all();
    const settings = all[customer] ?? all[DEFAULT_SETTINGS_KEY] ?? this.builtIn();
    const scopes = composeScopes(settings.additionalScopes, settings.customScopes);
    const { authorizeUrl, tokenUrl } = this.options.defaultApp;
    if (settings.credentials.kind === 'yours') {
      return {
        ref: {
          kind: 'custom',
          clientId: settings.credentials.clientId,
          clientSecret: settings.credentials.clientSecret,
        },
        clientId: settings.credentials.clientId,
        clientSecret: this.options.secrets.open(settings.credentials.clientSecret),
        authorizeUrl,
        tokenUrl,
        scopes,
      };
    }
    const { clientId, clientSecret } = this.options.defaultApp;
    if (!clientId || !clientSecret) {
      throw new GongflowError('OAUTH_APP_NOT_CONFIGURED', 'No Gong OAuth app is configured.', {
        hint: 'Set gong.oauthApp.clientId in temporal.yaml and GONGFLOW_GONG_CLIENT_SECRET, or enter your own client id and secret in app settings.',
      });
    }
    return { ref: { kind: 'default', clientId }, clientId, clientSecret, authorizeUrl, tokenUrl, scopes };
  }

  async registerInstall(install: PendingInstall): Promise<void> {
    await this.client().executeUpdateWithStart(registerInstallUpdate, {
      args: [install],
      startWorkflowOperation: this.startOperation(),
    });
  }

  async claimInstall(nonce: string): Promise<ClaimResult> {
    return this.client().executeUpdateWithStart(claimInstallUpdate, {
      args: [{ nonce }],
      startWorkflowOperation: this.startOperation(),
    });
  }

  private builtIn(): AppSettings {
    return {
      credentials: { kind: 'ours' },
      additionalScopes: this.options.defaultApp.scopes.filter((scope) => isKnownGongScope(scope)),
      customScopes: this.options.defaultApp.scopes.filter((scope) => !isKnownGongScope(scope)),
      updatedAt: new Date(0).toISOString(),
    };
  }

  private async all(): Promise<Record<string, AppSettings>> {
    try {
      return await this.client().getHandle(this.workflowId).query(appSettingsQuery);
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) return {}; // never saved: it starts on the first write
      throw error;
    }
  }

  private get workflowId(): string {
    return this.options.workflowId ?? CONNECTION_SETTINGS_WORKFLOW_ID;
  }

  private client() {
    return this.options.client.workflow;
  }

  private startOperation() {
    return new WithStartWorkflowOperation('connectionSettings', {
      workflowId: this.workflowId,
      taskQueue: this.options.taskQueue,
      args: [{}],
      workflowIdConflictPolicy: 'USE_EXISTING',
      staticSummary: 'gongflow Gong app settings and pending installs',
    });
  }
}

export type { DefaultOAuthApp };
