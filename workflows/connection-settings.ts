import {
  allHandlersFinished,
  condition,
  continueAsNew,
  defineQuery,
  defineUpdate,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { Sealed } from '../connections/model';

/**
 * The Gong app settings and the pending OAuth installs, as one small entity workflow (Temporal is the
 * only stateful dependency). App settings say which OAuth app a customer installs with ("ours": the
 * operator's app from temporal.yaml; "yours": a customer-specific client id and secret) and which scopes
 * it asks for. Install `state` nonces live here so each is single-use across every API process.
 */
export const CONNECTION_SETTINGS_WORKFLOW_ID = 'gongflow-connection-settings';

export interface AppSettings {
  credentials: { kind: 'ours' } | { kind: 'yours'; clientId: string; clientSecret: Sealed };
  /** Known Gong scopes asked for on top of the mandatory api:users:read. */
  additionalScopes: string[];
  /** Scopes gongflow does not know (allowed with a warning: Gong answers invalid_scope if the app lacks them). */
  customScopes: string[];
  updatedAt: string;
}

export interface PendingInstall {
  nonce: string;
  connectionId: string;
  customer: string;
  /** Epoch ms. */
  expiresAt: number;
}

export type ClaimResult =
  { ok: true; install: PendingInstall } | { ok: false; reason: 'unknown' | 'replayed' | 'expired' };

export interface ConnectionSettingsState {
  /** Keyed by `default` or a customer id (customer-specific settings win). */
  apps: Record<string, AppSettings>;
  pending: Record<string, PendingInstall>;
  /** Claimed nonces until their expiry, to tell a replay from a forgery. */
  claimed: Record<string, number>;
}

export const appSettingsQuery = defineQuery<Record<string, AppSettings>>('appSettings');
export const saveAppSettingsUpdate = defineUpdate<AppSettings, [{ key: string; settings: AppSettings }]>(
  'saveAppSettings',
);
export const deleteAppSettingsUpdate = defineUpdate<boolean, [{ key: string }]>('deleteAppSettings');
export const registerInstallUpdate = defineUpdate<void, [PendingInstall]>('registerInstall');
export const claimInstallUpdate = defineUpdate<ClaimResult, [{ nonce: string }]>('claimInstall');

export async function connectionSettings(args: { state?: ConnectionSettingsState } = {}): Promise<void> {
  const state: ConnectionSettingsState = args.state ?? { apps: {}, pending: {}, claimed: {} };

  const prune = (): void => {
    const now = Date.now();
    for (const [nonce, install] of Object.entries(state.pending))
      if (install.expiresAt + 60 * 60_000 < now) delete state.pending[nonce];
    for (const [nonce, expiresAt] of Object.entries(state.claimed))
      if (expiresAt + 60 * 60_000 < now) delete state.claimed[nonce];
  };

  setHandler(appSettingsQuery, () => state.apps);
  setHandler(saveAppSettingsUpdate, ({ key, settings }) => {
    state.apps[key] = settings;
    return settings;
  });
  setHandler(deleteAppSettingsUpdate, ({ key }) => {
    const existed = key in state.apps;
    delete state.apps[key];
    return existed;
  });
  setHandler(registerInstallUpdate, (install) => {
    prune();
    state.pending[install.nonce] = install;
  });
  setHandler(claimInstallUpdate, ({ nonce }): ClaimResult => {
    prune();
    if (nonce in state.claimed) return { ok: false, reason: 'replayed' };
    const install = state.pending[nonce];
    if (!install) return { ok: false, reason: 'unknown' };
    delete state.pending[nonce];
    state.claimed[nonce] = install.expiresAt;
    if (install.expiresAt <= Date.now()) return { ok: false, reason: 'expired' };
    return { ok: true, install };
  });

  await condition(() => workflowInfo().continueAsNewSuggested);
  await condition(allHandlersFinished);
  prune();
  await continueAsNew<typeof connectionSettings>({ state });
}
