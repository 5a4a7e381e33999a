import { ApplicationFailure, Context } from '@temporalio/activity';
import { GongflowError } from '../core/errors';
import { connectionFailure } from './connection-failure';
import { pollerPlan } from './poller-plan';
import type { Plan } from '../definitions/plan';
import type { ConnectionResolver } from '../connections/registry';
import type { GongBudget } from '../gong/budget/temporal-budget';
import { GongClient } from '../gong/client/client';
import { GongApiError } from '../gong/client/errors';
import { triggerMetrics } from '../observability/metrics';
import type { PolledTriggerKind } from '../triggers/kinds';
import { scanGong } from '../triggers/pollers';
import { startEventRun } from '../triggers/start-event-run';

export interface TriggerActivityDependencies {
  connections: ConnectionResolver;
  requestTimeoutMs: number;
  /** The company's shared Gong budget: polls wait for their slots like every other Gong call. */
  budget?: GongBudget;
  /** Aborted when the worker starts shutting down: budget waits end and give their slots back. */
  shuttingDown?: AbortSignal;
}

export interface PollTriggerArgs {
  /** The plan whose runs a poll starts, by hash (activities/poller-plan.ts reads it when there are some). */
  planHash?: string;
  /** Polls scheduled before the plan went by hash (still in histories) carry it whole. */
  plan?: Plan;
  triggerIndex: number;
  kind: PolledTriggerKind;
  connectionId: string;
  /** Task queue runs are started on. */
  taskQueue: string;
  fromMs: number;
  toMs: number;
  /** Ids already handled in this window: not started again (and not even asked of Temporal). */
  seen: string[];
  /** Baseline scan: record what is visible, start nothing. */
  baseline: boolean;
  maxEvents: number;
}

export type HandledOutcome = 'started' | 'duplicate' | 'filtered' | 'rejected' | 'baseline';

export interface PollTriggerResult {
  /** `[id, timeMs, outcome]` of every event handled now, oldest first. */
  handled: Array<[string, number, HandledOutcome]>;
  /** Newest event time in the window (handled or seen before), for the cursor. */
  newestMs: number | null;
  /** More new events than maxEvents: the rest wait for the next poll. */
  truncated: boolean;
  gongRequests: number;
  lastRejection: string | null;
}

export function createTriggerActivities(dependencies: TriggerActivityDependencies) {
  return {
    /**
     * One poll: scans a window of Gong, then starts a run for every event not seen before. Safe to retry
     * at any point: each start is idempotent by workflow id, so a crash between two starts duplicates nothing.
     */
    async pollTrigger(args: PollTriggerArgs): Promise<PollTriggerResult> {
      const context = Context.current();
      let credentials;
      try {
        credentials = await dependencies.connections.credentials(args.connectionId);
      } catch (error) {
        if (!(error instanceof GongflowError)) throw error;
        throw connectionFailure(error);
      }
      const gong = new GongClient(credentials, {
        timeoutMs: dependencies.requestTimeoutMs,
        ...(dependencies.budget ? { budget: dependencies.budget } : {}),
        ...(dependencies.shuttingDown ? { stopWaiting: dependencies.shuttingDown } : {}),
        signal: context.cancellationSignal,
        // Waiting for a budget slot can outlast the heartbeat timeout: keep reporting liveness.
        onWait: () => context.heartbeat(),
      });
      let scan;
      try {
        scan = await scanGong(gong, args.kind, { fromMs: args.fromMs, toMs: args.toMs }, (pages) =>
          context.heartbeat({ pages }),
        );
      } catch (error) {
        if (!(error instanceof GongApiError)) throw error;
        throw ApplicationFailure.create({
          type: error.failureType,
          nonRetryable: !error.retryable,
          message: `Trigger ${args.kind} on connection ${args.connectionId}: ${error.message}`,
          ...(error.retryAfterMs !== undefined ? { nextRetryDelay: error.retryAfterMs } : {}),
        });
      }
      const seen = new Set(args.seen);
      const fresh = scan.events
        .filter((event) => !seen.has(event.id))
        .sort((a, b) => a.timeMs - b.timeMs || a.id.localeCompare(b.id));
      const unique = fresh.filter((event, index) => index === 0 || fresh[index - 1]?.id !== event.id);
      const batch = unique.slice(0, args.maxEvents);
      triggerMetrics.polls.inc({ kind: args.kind });
      const result: PollTriggerResult = {
        handled: [],
        newestMs: null,
        truncated: unique.length > batch.length,
        gongRequests: scan.requests,
        lastRejection: null,
      };
      const starting = args.baseline || batch.length === 0 ? undefined : await pollerPlanOf(args, context);
      for (const event of batch) {
        if (!starting) {
          result.handled.push([event.id, event.timeMs, 'baseline']);
          triggerMetrics.polledEvents.inc({ kind: args.kind, outcome: 'baseline' });
          continue;
        }
        const outcome = await startEventRun(context.client, {
          plan: starting.plan,
          trigger: starting.trigger,
          connectionId: args.connectionId,
          taskQueue: args.taskQueue,
          event: { kind: args.kind, eventId: event.id, connection: args.connectionId, ...event.payload },
        });
        if (outcome.status === 'rejected') result.lastRejection = `${event.id}: ${outcome.message}`;
        result.handled.push([event.id, event.timeMs, outcome.status]);
        triggerMetrics.polledEvents.inc({ kind: args.kind, outcome: outcome.status });
        context.heartbeat({ handled: result.handled.length });
      }
      // With a truncated batch the cursor must not pass events still waiting.
      const considered = result.truncated ? batch : scan.events;
      for (const event of considered) result.newestMs = Math.max(result.newestMs ?? -Infinity, event.timeMs);
      return result;
    },
  };
}

export type TriggerActivities = ReturnType<typeof createTriggerActivities>;

/** The plan and trigger a poll starts runs of: from its input (older polls) or read by hash. */
async function pollerPlanOf(args: PollTriggerArgs, context: Context) {
  const { plan, triggerIndex } = await planOfPoll(args, context);
  const trigger = plan.triggers[triggerIndex];
  if (!trigger) throw ApplicationFailure.nonRetryable(`Plan has no trigger #${triggerIndex}`);
  return { plan, trigger };
}

async function planOfPoll(args: PollTriggerArgs, context: Context) {
  if (args.plan) return { plan: args.plan, triggerIndex: args.triggerIndex };
  const poller = context.info.workflowExecution;
  if (!args.planHash || !poller)
    throw ApplicationFailure.nonRetryable('A poll names no plan: run it from a poller workflow.');
  return pollerPlan(context.client, poller, { planHash: args.planHash, triggerIndex: args.triggerIndex });
}
