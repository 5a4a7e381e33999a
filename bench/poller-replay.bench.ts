/**
 * What a poller costs a worker that does not hold it in its cache (`npx tsx bench/poller-replay.bench.ts
 * [--lengths 50,100,150,195] [--replays 7]`; lengths below POLLER_RUN_MAX_EVENTS, where a run continues as new). A fleet of 10,000 pollers on workers caching ~1,000 runs
 * replays nearly every poller from its history at every poll, so a poll's worker cost grows with the history
 * its run has built up since its last continue-as-new. One poller is deployed the way users deploy it, made to
 * poll back to back (`pollNow`) until its history reaches each length, and each history is replayed by a
 * replay worker (the same workflow bundle), as an evicted run is at its next workflow task.
 * Baseline, in the same run: replaying the poller's history after its first cycle (deploy and baseline poll).
 */
import type { Client, WorkflowHandle } from '@temporalio/client';
import { Worker } from '@temporalio/worker';
import type { temporal } from '@temporalio/proto';
import { deployTriggers } from '../triggers/deploy';
import { pollerWorkflowId } from '../triggers/ids';
import { POLLER_RUN_MAX_EVENTS, pollNowSignal } from '../workflows/triggers/poller';
import { recordingPlan } from '../test/triggers/support';
import { workflowBundle } from '../workers/bundle';
import { workerSinks } from '../workers/sinks';
import { loadAverage, reportBenchmark } from './sections';
import { numberArgument, numberListArgument, registerKeyConnections, startBenchEngine } from './setup';

const LENGTHS = numberListArgument('lengths', '50,100,150,195');
const REPLAYS = numberArgument('replays', 7);
/** As in the trigger-scale benchmark: a company that answers every poll at once, with room to spare. */
const LIMITS = { requestsPerSecond: 1_000, requestsPerDay: 100_000_000 };

type History = temporal.api.history.v1.IHistory;

const log = (message: string) =>
  process.stderr.write(`[${new Date().toISOString().slice(11, 19)}] ${message}\n`);

/** Signals polls one after another until the poller's history holds at least `length` events. */
async function growTo(handle: WorkflowHandle, length: number): Promise<void> {
  const { runId, historyLength } = await handle.describe();
  for (let current = historyLength; current < length;) {
    await handle.signal(pollNowSignal);
    // A poll's events: the signal, its workflow task, the activity and the next wait's timer. Polled for,
    // not slept on: the next signal only once this poll is in history, so signals do not coalesce.
    for (let next = await handle.describe(); ; next = await handle.describe()) {
      if (next.runId !== runId)
        throw new Error(`the poller continued as new before ${length} events (POLLER_RUN_MAX_EVENTS)`);
      if (next.historyLength >= current + 8) {
        current = next.historyLength;
        break;
      }
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
}

/** Median ms to replay the history, one replay worker replaying it `REPLAYS` times after a warm-up. */
async function replayMs(history: History, workflowId: string): Promise<number> {
  const bundle = await workflowBundle();
  const histories = Array.from({ length: REPLAYS + 1 }, () => ({ workflowId, history }));
  const samples: number[] = [];
  let started = performance.now();
  for await (const result of Worker.runReplayHistories(
    { workflowBundle: bundle, sinks: workerSinks() },
    histories,
  )) {
    if (result.error) throw result.error;
    samples.push(performance.now() - started);
    started = performance.now();
  }
  const counted = samples.slice(1).sort((a, b) => a - b);
  return counted[Math.floor(counted.length / 2)]!;
}

async function main(): Promise<void> {
  const engine = await startBenchEngine({
    // Plain payloads: the replay worker reads the history as fetched (a worker's codec decrypts a replayed
    // history's payloads outside the workflow sandbox, on top of what is measured here).
    cipher: null,
    emulator: { rateLimits: { perSecond: LIMITS.requestsPerSecond, perDay: LIMITS.requestsPerDay } },
    configure: (config) => ({
      ...config,
      gong: { ...config.gong, budget: { ...config.gong.budget, ...LIMITS } },
    }),
  });
  const startLoad = loadAverage();
  try {
    const client: Client = engine.client;
    const company = await engine.emulator.admin.createCompany({
      name: 'Quiet',
      callCount: 0,
      userCount: 1,
      rateLimits: { perSecond: LIMITS.requestsPerSecond, perDay: LIMITS.requestsPerDay },
    });
    const [connectionId] = registerKeyConnections(engine, 'replay', 1, company);
    const plan = recordingPlan('replay-poll', [{ kind: 'gong.call.new', settings: { every: 3_600_000 } }]);
    await deployTriggers(client, { plan, connectionId: connectionId!, taskQueue: engine.taskQueue });
    const handle = client.workflow.getHandle(pollerWorkflowId(plan.name, 'gong.call.new', connectionId!));
    const rows: Array<{ events: number; ms: number }> = [];
    for (const length of [11, ...LENGTHS]) {
      await growTo(handle, length);
      const history = await handle.fetchHistory();
      const events = history.events?.length ?? 0;
      const ms = await replayMs(history, handle.workflowId);
      log(`${events} events: replay ${ms.toFixed(1)} ms`);
      rows.push({ events, ms });
    }
    await handle.terminate('benchmark done');
    reportBenchmark('Poller replay', table(rows, startLoad, loadAverage()));
  } finally {
    await engine.close();
  }
}

function table(rows: Array<{ events: number; ms: number }>, startLoad: string, endLoad: string): string {
  const [base, ...rest] = rows;
  const last = rest.at(-1)!;
  return [
    `Load average ${startLoad} → ${endLoad}. Median of ${REPLAYS} replays by one replay worker after a warm-up;`,
    `baseline: the history after the deploy's baseline poll (${base!.events} events, ${base!.ms.toFixed(1)} ms).`,
    `A run continues as new past ${POLLER_RUN_MAX_EVENTS} events, so an evicted poller's poll replays`,
    `${base!.ms.toFixed(0)}-${last.ms.toFixed(0)} ms (1.0-${(last.ms / base!.ms).toFixed(1)}× the baseline), about ${((base!.ms + last.ms) / 2).toFixed(0)} ms on average over a run's life.`,
    '',
    '| poller history (events) | replay vs baseline | replay (ms) | µs per event beyond the baseline |',
    '| --- | --- | --- | --- |',
    ...rest.map(
      (row) =>
        `| ${row.events.toLocaleString('en-US')} | **${(row.ms / base!.ms).toFixed(1)}×** | ${row.ms.toFixed(1)} | ${(((row.ms - base!.ms) * 1000) / (row.events - base!.events)).toFixed(0)} |`,
    ),
  ].join('\n');
}

void main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
