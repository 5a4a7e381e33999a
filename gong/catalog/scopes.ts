import type { GongActionDefinition } from './types';

/**
 * Every OAuth scope Gong is known to use, with what it grants. Powers scope validation (a definition's
 * actions against a connection's granted scopes) and the app-settings page (which scopes to request).
 */
export interface GongScope {
  scope: string;
  description: string;
  /** `gong`: named by Gong's spec, help center or a real 401 answer; `integrators`: seen only in integrators' scope lists. */
  source: 'gong' | 'integrators';
}

export const GONG_SCOPES: readonly GongScope[] = [
  { scope: 'api:calls:read:basic', description: 'List calls and read their basic metadata.', source: 'gong' },
  {
    scope: 'api:calls:read:extensive',
    description: 'Read detailed call data: parties, CRM context, content, interaction, comments.',
    source: 'gong',
  },
  {
    scope: 'api:calls:read:media-url',
    description: 'Get audio and video download URLs with the extensive call data.',
    source: 'gong',
  },
  { scope: 'api:calls:read:transcript', description: 'Read call transcripts.', source: 'gong' },
  { scope: 'api:calls:create', description: 'Add calls and upload their recordings.', source: 'gong' },
  {
    scope: 'api:crm-calls:manual-association:read',
    description: 'List calls users manually associated with CRM accounts and deals.',
    source: 'gong',
  },
  {
    scope: 'api:call-user-access:read',
    description: 'See which users were given individual access to calls.',
    source: 'gong',
  },
  {
    scope: 'api:call-user-access:write',
    description: 'Give and remove individual users access to calls.',
    source: 'gong',
  },
  {
    scope: 'api:call-outcomes:read',
    description: 'Read the call outcomes (dispositions) configured for the dialer.',
    source: 'gong',
  },
  {
    scope: 'api:users:read',
    description: 'Read users, their settings history and profile members.',
    source: 'gong',
  },
  { scope: 'api:workspaces:read', description: 'List workspaces.', source: 'gong' },
  { scope: 'api:settings:scorecards:read', description: 'Read scorecard definitions.', source: 'gong' },
  { scope: 'api:settings:trackers:read', description: 'Read keyword tracker definitions.', source: 'gong' },
  { scope: 'api:library:read', description: 'Read public library folders and their calls.', source: 'gong' },
  { scope: 'api:stats:user-actions', description: "Read users' aggregated activity stats.", source: 'gong' },
  {
    scope: 'api:stats:user-actions:detailed',
    description: "Read users' daily activity with call IDs.",
    source: 'gong',
  },
  { scope: 'api:stats:scorecards', description: 'Read answered scorecards.', source: 'gong' },
  { scope: 'api:stats:interaction', description: "Read users' interaction stats.", source: 'gong' },
  { scope: 'api:logs:read', description: 'Read audit logs.', source: 'gong' },
  { scope: 'api:coaching:read', description: "Read managers' coaching metrics.", source: 'gong' },
  { scope: 'api:meetings:user:create', description: 'Create Gong meetings.', source: 'gong' },
  { scope: 'api:meetings:user:update', description: 'Update Gong meetings.', source: 'gong' },
  { scope: 'api:meetings:user:delete', description: 'Delete Gong meetings.', source: 'gong' },
  {
    scope: 'api:meetings:integration:status',
    description: "Check users' Gong Meetings integration status.",
    source: 'gong',
  },
  {
    scope: 'api:crm:integration:register',
    description: 'Register a generic CRM integration.',
    source: 'gong',
  },
  { scope: 'api:crm:integrations:read', description: 'Read the generic CRM integration.', source: 'gong' },
  {
    scope: 'api:crm:integration:delete',
    description: 'Delete the generic CRM integration and its CRM data.',
    source: 'gong',
  },
  {
    scope: 'api:crm:upload',
    description: 'Upload CRM objects and read the status of CRM requests.',
    source: 'gong',
  },
  {
    scope: 'api:crm:get-objects',
    description: 'Read uploaded CRM objects back (development aid).',
    source: 'gong',
  },
  { scope: 'api:crm:schema', description: 'Read and set CRM object schemas.', source: 'gong' },
  {
    scope: 'api:data-privacy:read',
    description: 'Find everything referencing an email address or phone number.',
    source: 'gong',
  },
  {
    scope: 'api:data-privacy:delete',
    description: 'Erase everything referencing an email address or phone number.',
    source: 'gong',
  },
  {
    scope: 'api:engagement-data:write',
    description: 'Report legacy content engagement events.',
    source: 'gong',
  },
  { scope: 'api:digital-interactions:write', description: 'Record digital interactions.', source: 'gong' },
  {
    scope: 'api:integration-settings:write',
    description: 'Set the origins allowed to embed Gong integrations.',
    source: 'gong',
  },
  {
    scope: 'api:flows:read',
    description: 'Read Engage flows, folders and prospect assignments.',
    source: 'gong',
  },
  {
    scope: 'api:flows:write',
    description: 'Assign prospects to Engage flows and remove them.',
    source: 'gong',
  },
  { scope: 'api:tasks:read', description: "Read users' Engage tasks.", source: 'gong' },
  { scope: 'api:tasks:write', description: 'Update Engage tasks.', source: 'gong' },
  { scope: 'api:ai-briefer:read', description: 'Generate AI briefs of CRM entities.', source: 'gong' },
  {
    scope: 'api:permission-profile:read',
    description: 'Read permission profiles.',
    source: 'integrators',
  },
  {
    scope: 'api:permission-profile:write',
    description: 'Create and update permission profiles.',
    source: 'integrators',
  },
  {
    scope: 'api:provisioning:read',
    description: 'Read SCIM user provisioning (not used by any REST action).',
    source: 'integrators',
  },
  {
    scope: 'api:provisioning:read-write',
    description: 'Manage SCIM user provisioning (not used by any REST action).',
    source: 'integrators',
  },
];

const byScope = new Map(GONG_SCOPES.map((entry) => [entry.scope, entry]));

export function findGongScope(scope: string): GongScope | undefined {
  return byScope.get(scope);
}

export function isKnownGongScope(scope: string): boolean {
  return byScope.has(scope);
}

/**
 * The scopes an action needs for a given input: its own scopes plus the conditional ones whose input field
 * is set. Without an input (not known before run time), conditional scopes are left out: validation can
 * only demand what every call needs.
 */
export function requiredScopes(action: GongActionDefinition, input?: unknown): string[] {
  const scopes = new Set(action.scopes);
  for (const condition of action.conditionalScopes ?? []) {
    if (input !== undefined && Boolean(valueAt(input, condition.inputPath)))
      for (const scope of condition.scopes) scopes.add(scope);
  }
  return [...scopes];
}

/** The scopes of `action` (for `input`) that `granted` lacks, in catalog order. */
export function missingScopes(
  action: GongActionDefinition,
  granted: Iterable<string>,
  input?: unknown,
): string[] {
  const have = new Set(granted);
  return requiredScopes(action, input).filter((scope) => !have.has(scope));
}

function valueAt(value: unknown, path: readonly string[]): unknown {
  let current = value;
  for (const key of path) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}
