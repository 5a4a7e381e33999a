import { ACTIVITY_HEARTBEAT_TIMEOUT_MS } from '../../core/heartbeats';
import {
  ActivityFailure,
  ApplicationFailure,
  condition,
  continueAsNew,
  defineQuery,
  defineSignal,
  patched,
  proxyActivities,
  setHandler,
} from '@temporalio/workflow';
import type { Activities } from '../../activities';
import type { HandledOutcome, PollTriggerResult } from '../../activities/trigger-poll';
import { planRef, type Plan } from '../../definitions/plan';
import { historyFull, UNBOUNDED_RUN_MAX_EVENTS } from './history-bound';
import type { PolledTriggerKind, PollerSettings } from '../../triggers/kinds';

/**
 * One poller per (trigger, connection): re-scans an overlapping window of Gong every `every`, starts a
 * run for each event it has not handled before, and keeps everything it knows (cursor, ids handled in
 * the window, pause, pending backfill, counters) in workflow state, carried across continueAsNew.
 *
 * Why a look-back: Gong filters by when a call started but shows it only once processed, hours later.
 * The cursor is the newest event time seen; each poll re-reads [cursor - lookback, ...) and skips ids
 * already handled. Ids older than the window can never come back, so they are dropped: state stays
 * bounded by the events of one look-back window.
 */
export interface PollerArgs {
  plan: Plan;
  triggerIndex: number;
  kind: PolledTriggerKind;
  connectionId: string;
  /** Task queue of the runs it starts. */
  taskQueue: string;
  settings: Omit<PollerSettings, 'since'> & { sinceMs?: number };
  /** Carried across continueAsNew; absent on deploy. */
  state?: PollerState;
}

export interface PollerState {
  paused: boolean;
  /** Lowest event time of interest: `since`, else deploy time minus the look-back. */
  floorMs: number;
  /** Newest event time seen so far. */
  cursorMs: number | null;
  /** Whether the deploy-time baseline scan (record what is visible, start nothing) is done. */
  baselineDone: boolean;
  /** Event id -> event time, for ids handled inside the current window. */
  seen: Record<string, number>;
  /** Where the backfill resumes and how wide its next scan is (absent in state carried from older versions). */
  backfill: { nextMs: number; chunkMs?: number } | null;
  lastEvent: { id: string; outcome: HandledOutcome; at: string } | null;
  lastPollAt: string | null;
  lastError: string | null;
  stats: {
    polls: number;
    gongRequests: number;
    started: number;
    duplicates: number;
    filtered: number;
    rejected: number;
    baseline: number;
  };
}

export interface PollerStatus {
  kind: string;
  definition: string;
  connection: string;
  status: 'running' | 'paused';
  /** ISO: newest event time seen. */
  cursor: string | null;
  windowFrom: string;
  seenInWindow: number;
  backfillNext: string | null;
  lastEvent: PollerState['lastEvent'];
  lastPollAt: string | null;
  lastError: string | null;
  stats: PollerState['stats'];
}

export const pausePollerSignal = defineSignal('pause');
export const resumePollerSignal = defineSignal('resume');
export const backfillPollerSignal = defineSignal<[{ from: string }]>('backfill');
export const pollNowSignal = defineSignal('pollNow');
/** Redeploy: a new plan (version) and settings; cursor, dedupe state and counters are kept. */
export const reconfigurePollerSignal =
  defineSignal<[Pick<PollerArgs, 'plan' | 'triggerIndex' | 'taskQueue' | 'settings'>]>('reconfigure');
export const pollerStatusQuery = defineQuery<PollerStatus>('triggerStatus');
/** The plan the poller starts runs of (read by a poll with events to start: its input names the plan by hash). */
export interface PollerPlan {
  plan: Plan;
  triggerIndex: number;
}
export const pollerPlanQuery = defineQuery<PollerPlan>('pollerPlan');

/**
 * A backfill scans its range oldest first, one chunk per poll. Chunks start at a day, double while a scan
 * fits in one Gong page (a quiet year takes a dozen polls, not 365) and halve when a scan needs many pages
 * (a busy day stays one bounded activity).
 */
const BACKFILL_CHUNK_MS = 86_400_000;
const BACKFILL_MIN_CHUNK_MS = 3_600_000;
const BACKFILL_MAX_CHUNK_MS = 32 * 86_400_000;
const BACKFILL_MANY_PAGES = 4;
/**
 * Events a poller run holds before it continues as new (about 18 polls). A worker that does not hold the run
 * in its cache (a fleet with more pollers than cached runs: nearly every poll) replays the whole run at its
 * next task: 0.4-0.8 ms of worker CPU per event here (`bench/poller-replay.bench.ts`), 2.3 s at 2,500 events.
 * Bounded at 200, a replay takes ~20-150 ms (BENCHMARKS "Poller replay": as much the machine's load as the
 * code), for ~5 more events per 18 polls (the continue-as-new).
 */
export const POLLER_RUN_MAX_EVENTS = 200;
/** Runs recorded before the bound continued only at 5,000 events, after a poll (which the next run repeated). */
const BOUNDED_HISTORY_PATCH = 'gongflow-poller-bounded-history';

/** Upper bound sent to Gong: far enough ahead that a Gong clock ahead of ours loses nothing. */
const FUTURE_MARGIN_MS = 7 * 86_400_000;

const { pollTrigger } = proxyActivities<Pick<Activities, 'pollTrigger'>>({
  startToCloseTimeout: '10m',
  // The activity heartbeats while it runs: a worker dying mid-poll is noticed within this.
  heartbeatTimeout: ACTIVITY_HEARTBEAT_TIMEOUT_MS,
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '1m', maximumAttempts: 8 },
});

export async function triggerPoller(initial: PollerArgs): Promise<void> {
  const args = { ...initial };
  let settings = args.settings;
  const state: PollerState = args.state ?? {
    paused: false,
    floorMs: settings.sinceMs ?? Date.now() - settings.lookback,
    cursorMs: null,
    baselineDone: settings.sinceMs !== undefined,
    seen: {},
    backfill: null,
    lastEvent: null,
    lastPollAt: null,
    lastError: null,
    stats: { polls: 0, gongRequests: 0, started: 0, duplicates: 0, filtered: 0, rejected: 0, baseline: 0 },
  };
  let pollRequested = false;
  const windowFrom = () =>
    Math.max(state.floorMs, state.cursorMs === null ? -Infinity : state.cursorMs - settings.lookback);

  setHandler(pausePollerSignal, () => {
    state.paused = true;
  });
  setHandler(resumePollerSignal, () => {
    state.paused = false;
  });
  setHandler(reconfigurePollerSignal, (update) => {
    Object.assign(args, update);
    settings = update.settings;
    pollRequested = true;
  });
  setHandler(pollNowSignal, () => {
    pollRequested = true;
  });
  setHandler(backfillPollerSignal, ({ from }) => {
    const fromMs = Date.parse(from);
    if (Number.isNaN(fromMs)) return;
    state.backfill = {
      nextMs: Math.min(fromMs, state.backfill?.nextMs ?? Infinity),
      chunkMs: BACKFILL_CHUNK_MS,
    };
    pollRequested = true;
  });
  setHandler(pollerPlanQuery, () => ({ plan: args.plan, triggerIndex: args.triggerIndex }));
  setHandler(pollerStatusQuery, () => ({
    kind: args.kind,
    definition: planRef(args.plan),
    connection: args.connectionId,
    status: state.paused ? 'paused' : 'running',
    cursor: state.cursorMs === null ? null : new Date(state.cursorMs).toISOString(),
    windowFrom: new Date(windowFrom()).toISOString(),
    seenInWindow: Object.keys(state.seen).length,
    backfillNext: state.backfill ? new Date(state.backfill.nextMs).toISOString() : null,
    lastEvent: state.lastEvent,
    lastPollAt: state.lastPollAt,
    lastError: state.lastError,
    stats: state.stats,
  }));

  const bounded = patched(BOUNDED_HISTORY_PATCH);
  for (;;) {
    await condition(() => !state.paused);
    // Before the poll that is due, not after one: the next run starts with that poll, so Gong is asked once.
    if (bounded && historyFull(POLLER_RUN_MAX_EVENTS))
      await continueAsNew<typeof triggerPoller>({ ...args, state });
    pollRequested = false;
    const caughtUp = state.backfill ? await backfillChunk() : await pollWindow();
    if (!bounded && historyFull(UNBOUNDED_RUN_MAX_EVENTS)) {
      await continueAsNew<typeof triggerPoller>({ ...args, state });
    }
    if (caughtUp) await condition(() => pollRequested || state.paused, settings.every);
  }

  /** The regular scan; false when more events wait than one poll may start. */
  async function pollWindow(): Promise<boolean> {
    const fromMs = windowFrom();
    const baseline = !state.baselineDone;
    const result = await poll(fromMs, Math.max(Date.now(), state.cursorMs ?? 0) + FUTURE_MARGIN_MS, baseline);
    if (!result) return true;
    for (const [id, timeMs] of result.handled) state.seen[id] = timeMs;
    if (result.newestMs !== null) state.cursorMs = Math.max(state.cursorMs ?? -Infinity, result.newestMs);
    if (baseline) state.baselineDone = true;
    const keepFrom = windowFrom();
    for (const [id, timeMs] of Object.entries(state.seen)) if (timeMs < keepFrom) delete state.seen[id];
    return !result.truncated;
  }

  /**
   * One day of a backfill, oldest first, up to now. Events handled before (started, or recorded by the
   * deploy-time baseline) are not skipped: their run ids reject a second start, baselined ones now run.
   */
  async function backfillChunk(): Promise<boolean> {
    const backfill = state.backfill!;
    const nowMs = Math.max(Date.now(), state.cursorMs ?? 0);
    if (backfill.nextMs > nowMs) {
      state.backfill = null;
      return false;
    }
    const chunkMs = backfill.chunkMs ?? BACKFILL_CHUNK_MS;
    const last = backfill.nextMs + chunkMs > nowMs;
    const toMs = last ? nowMs + FUTURE_MARGIN_MS : backfill.nextMs + chunkMs;
    const result = await poll(backfill.nextMs, toMs, false, []);
    if (!result) return true;
    if (result.gongRequests >= BACKFILL_MANY_PAGES)
      backfill.chunkMs = Math.max(BACKFILL_MIN_CHUNK_MS, chunkMs / 2);
    else if (result.gongRequests <= 1 && !result.truncated)
      backfill.chunkMs = Math.min(BACKFILL_MAX_CHUNK_MS, chunkMs * 2);
    for (const [id, timeMs] of result.handled) if (timeMs >= windowFrom()) state.seen[id] = timeMs;
    if (result.truncated && result.newestMs !== null) backfill.nextMs = result.newestMs;
    else if (last) state.backfill = null;
    else backfill.nextMs = toMs;
    return false;
  }

  async function poll(
    fromMs: number,
    toMs: number,
    baseline: boolean,
    seen: string[] = Object.keys(state.seen),
  ): Promise<PollTriggerResult | undefined> {
    state.stats.polls += 1;
    state.lastPollAt = new Date().toISOString();
    try {
      const result = await pollTrigger({
        // By hash: the poll reads the plan only when it has runs to start (activities/poller-plan.ts).
        planHash: args.plan.hash,
        triggerIndex: args.triggerIndex,
        kind: args.kind,
        connectionId: args.connectionId,
        taskQueue: args.taskQueue,
        fromMs,
        toMs,
        seen,
        baseline,
        maxEvents: settings.maxEventsPerPoll,
      });
      state.stats.gongRequests += result.gongRequests;
      for (const [id, , outcome] of result.handled) {
        state.stats[outcomeCounter(outcome)] += 1;
        state.lastEvent = { id, outcome, at: new Date().toISOString() };
      }
      state.lastError = result.lastRejection;
      return result;
    } catch (error) {
      // A poll that keeps failing (revoked key, missing scope) must not end the trigger: report and retry later.
      if (!(error instanceof ActivityFailure)) throw error;
      const cause = error.cause instanceof ApplicationFailure ? error.cause : undefined;
      state.lastError = `${cause?.type ?? 'Error'}: ${cause?.message ?? error.message}`;
      return undefined;
    }
  }
}

function outcomeCounter(outcome: HandledOutcome): keyof PollerState['stats'] {
  return outcome === 'duplicate' ? 'duplicates' : outcome;
}
