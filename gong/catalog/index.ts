import type { GongActionDefinition } from './types';
import { usersActions } from './users';

/** Every Gong action gongflow knows, by name. */
const allActions: readonly GongActionDefinition[] = [...usersActions];

export const GONG_ACTIONS: ReadonlyMap<string, GongActionDefinition> = new Map(
  allActions.map((action) => [action.name, action]),
);

export function findGongAction(name: string): GongActionDefinition | undefined {
  return GONG_ACTIONS.get(name);
}

export type { GongActionDefinition } from './types';
