/**
 * An automation rule with the "Fire webhook" action: call filters plus a destination. Gong has no API
 * for rules (they are made in the admin UI); the emulator manages them through its admin API.
 */
export interface WebhookRuleFilter {
  /** Only calls whose primary user is one of these. */
  primaryUserIds?: string[];
  /** Only calls with at least one external participant (`External` scope) or only internal ones. */
  scope?: 'External' | 'Internal';
  /** Case-insensitive substring of the call title. */
  titleContains?: string;
  workspaceId?: string;
  minDurationSeconds?: number;
  /** Only calls where at least one of these trackers fired. */
  trackerNames?: string[];
}

export interface WebhookRule {
  id: string;
  companyId: string;
  name: string;
  url: string;
  authMethod: 'url-key' | 'jwt';
  filter: WebhookRuleFilter;
  enabled: boolean;
  /** PEM private key (jwt rules only). */
  privateKeyPem: string | null;
  /** Bare base64 SPKI DER, as Gong's "Show public key" displays it. */
  publicKey: string | null;
  created: string;
}

export interface WebhookDelivery {
  seq: number;
  ruleId: string;
  companyId: string;
  callId: string;
  isTest: boolean;
  url: string;
  time: string;
  status: number | null;
  error: string | null;
}
