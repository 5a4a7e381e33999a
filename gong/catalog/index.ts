import { callsActions } from './calls';
import { coachingActions } from './coaching';
import { crmActions } from './crm';
import { dataPrivacyActions } from './data-privacy';
import { engagementActions } from './engagement';
import { entitiesActions } from './entities';
import { flowsActions } from './flows';
import { libraryActions } from './library';
import { logsActions } from './logs';
import { meetingsActions } from './meetings';
import { permissionsActions } from './permissions';
import { GONG_REQUEST_ACTION_NAME, gongRequestAction } from './request';
import { settingsActions } from './settings';
import { statsActions } from './stats';
import { tasksActions } from './tasks';
import type { GongActionDefinition } from './types';
import { usersActions } from './users';

export interface GongActionGroup {
  /** Heading in docs/actions.md. */
  title: string;
  actions: readonly GongActionDefinition[];
}

/** Every Gong action gongflow knows, by domain, in documentation order. */
export const GONG_ACTION_GROUPS: readonly GongActionGroup[] = [
  { title: 'Calls', actions: callsActions },
  { title: 'Users', actions: usersActions },
  { title: 'Stats', actions: statsActions },
  { title: 'Settings and workspaces', actions: settingsActions },
  { title: 'Library', actions: libraryActions },
  { title: 'Coaching', actions: coachingActions },
  { title: 'Audit logs', actions: logsActions },
  { title: 'Meetings', actions: meetingsActions },
  { title: 'CRM (generic CRM integration)', actions: crmActions },
  { title: 'Engage flows', actions: flowsActions },
  { title: 'Engage tasks', actions: tasksActions },
  { title: 'Data privacy', actions: dataPrivacyActions },
  { title: 'Permissions', actions: permissionsActions },
  { title: 'Engagement, digital interactions and integration settings', actions: engagementActions },
  { title: 'AI (CRM entities)', actions: entitiesActions },
];

const allActions: readonly GongActionDefinition[] = GONG_ACTION_GROUPS.flatMap((group) => group.actions);

export const GONG_ACTIONS: ReadonlyMap<string, GongActionDefinition> = new Map(
  allActions.map((action) => [action.name, action]),
);

/** A catalog action by name; `gong.request` (any Gong path) resolves too, though it is no operation of its own. */
export function findGongAction(name: string): GongActionDefinition | undefined {
  if (name === GONG_REQUEST_ACTION_NAME) return gongRequestAction;
  return GONG_ACTIONS.get(name);
}

export { LEFT_OUT_OPERATIONS } from './left-out';
export { GONG_REQUEST_ACTION_NAME, gongRequestAction } from './request';
export { GONG_SCOPES, findGongScope, isKnownGongScope, missingScopes, requiredScopes } from './scopes';
export { toWireRequest, type GongWireRequest } from './wire';
export type { GongActionDefinition } from './types';
