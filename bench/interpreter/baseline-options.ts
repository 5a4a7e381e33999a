import type { ActivityOptions } from '@temporalio/workflow';
import { ACTIVITY_HEARTBEAT_TIMEOUT_MS } from '../../core/heartbeats';

/** Gong's catalog defaults for reads (gong/catalog/common.ts), as the compiler resolves them. */
const READ_RETRY = {
  maximumAttempts: 8,
  initialInterval: 1_000,
  backoffCoefficient: 2,
  maximumInterval: 60_000,
};
/**
 * Per action, what a hand-written workflow passes to proxyActivities (plus a summary naming the step): attempt
 * timeouts are the catalog's request timeout plus the 5-minute Gong budget wait allowance, as compiled.
 */
export const BASELINE_ACTIVITY_OPTIONS = {
  'gong.users.list': {
    startToCloseTimeout: 420_000,
    heartbeatTimeout: ACTIVITY_HEARTBEAT_TIMEOUT_MS,
    retry: READ_RETRY,
  },
  'gong.calls.list': {
    startToCloseTimeout: 600_000,
    heartbeatTimeout: ACTIVITY_HEARTBEAT_TIMEOUT_MS,
    retry: READ_RETRY,
  },
  'gong.users.get': {
    startToCloseTimeout: 330_000,
    heartbeatTimeout: ACTIVITY_HEARTBEAT_TIMEOUT_MS,
    retry: READ_RETRY,
  },
  'gong.calls.get': {
    startToCloseTimeout: 330_000,
    heartbeatTimeout: ACTIVITY_HEARTBEAT_TIMEOUT_MS,
    retry: READ_RETRY,
  },
} satisfies Record<string, ActivityOptions>;
