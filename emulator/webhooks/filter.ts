import type { CallRecord } from '../core/model';
import type { WebhookRuleFilter } from './types';

/** The subset of Gong's call-search filters an automation rule can use in the emulator. */
export function ruleMatches(filter: WebhookRuleFilter, call: CallRecord): boolean {
  if (filter.primaryUserIds?.length && !filter.primaryUserIds.includes(call.primaryUserId)) return false;
  if (filter.scope && call.scope !== filter.scope) return false;
  if (filter.titleContains && !call.title.toLowerCase().includes(filter.titleContains.toLowerCase()))
    return false;
  if (filter.workspaceId && call.workspaceId !== filter.workspaceId) return false;
  if (filter.minDurationSeconds !== undefined && call.duration < filter.minDurationSeconds) return false;
  if (
    filter.trackerNames?.length &&
    !call.trackers.some((tracker) => filter.trackerNames?.includes(tracker.name))
  )
    return false;
  return true;
}
