import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, type WorkflowClientInterceptor } from '@temporalio/client';
import {
  INITIAL_SPACING,
  MIN_SPACING,
  PENALTY_DECAY_AFTER,
  companyKeyOf,
  type Reservation,
} from '../gong/budget/reservation';
import {
  budgetShardWorkflowId,
  type ShardReservations,
  type ShardReserveRequest,
} from '../gong/budget/shard';
import {
  BUDGET_PRIORITY_KEY,
  TemporalGongBudget,
  readCompanyBudget,
  type GongBudget,
  type SendOutcome,
} from '../gong/budget/temporal-budget';
import { findGongAction } from '../gong/catalog';
import { GongApiError } from '../gong/client/errors';
import { GongClient } from '../gong/client/client';
import { startDevServer, type DevServer } from '../temporal/dev-server';
import { dataConverterFor } from '../workers/payload-codec';
import { startTestEngine, type TestEngine } from './support/engine';
import { freePort } from './support/ports';
import { waitFor } from './support/wait';

/**
 * A budget shard continues as new whenever Temporal suggests it (every few thousand events in production).
 * Here a server of the test's own suggests it after a few dozen events, so the shard continues many times
 * while a fleet of workers' budgets reserve slots for one company through it, with updates in flight as a
 * run closes (the server hands those to the next run). Across every continue, each request must get exactly
 * one slot of the company's one queue: none lost, none answered twice, the day's count and the 429 penalty
 * carried, never more slots in a second than Gong allows, and the continued runs kept at the shards' task
 * priority.
 */
jest.setTimeout(120_000);

/** Events after which the server suggests continue-as-new: an update costs about five. */
const SUGGEST_CONTINUE_AFTER_EVENTS = 40;
const PER_SECOND = 10;
/**
 * Workers, each with its own budget (at most one reservation in flight per shard), calling in rounds: a
 * round puts a burst of WORKERS updates on the shard, so runs close with some of them still waiting.
 */
const WORKERS = 20;
const CALLS_PER_WORKER = 4;
const CALLS = WORKERS * CALLS_PER_WORKER;
/** Runs the shard's chain must have at least (7 or 8 measured: a continue every eight or so updates). */
const MIN_RUNS = 4;
/** Attempts a worker makes of a call Gong answers 429 (Temporal would retry the activity). */
const ATTEMPTS = 5;

/** A worker's budget that remembers every slot it handed to a request (what the fleet was allowed to send). */
class RecordingBudget implements GongBudget {
  readonly slots: number[] = [];

  constructor(private readonly budget: GongBudget) {}

  async reserve(companyKey: string, signal?: AbortSignal): Promise<Reservation> {
    const reservation = await this.budget.reserve(companyKey, signal);
    if (reservation.kind === 'slot') this.slots.push(reservation.atMs);
    return reservation;
  }

  observe(companyKey: string, outcome: SendOutcome): void {
    this.budget.observe(companyKey, outcome);
  }

  release(companyKey: string, atMs: number): Promise<void> {
    return this.budget.release(companyKey, atMs);
  }
}

/** A plain reservation update (to a shard the worker reached before): when it was sent, which run answered. */
interface UpdateSent {
  sentAtMs: number;
  runId: string;
  updateId: string;
  args: unknown[];
}

/** Records the reservation updates the workers send, unchanged (`TemporalGongBudget` sends them). */
function recordUpdates(sent: UpdateSent[]): WorkflowClientInterceptor {
  return {
    async startUpdate(input, next) {
      const sentAtMs = Date.now();
      const output = await next(input);
      sent.push({ sentAtMs, runId: output.workflowRunId, updateId: output.updateId, args: input.args });
      return output;
    },
  };
}

describe('a Gong budget shard continuing as new under load', () => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'gongflow-shard-can-'));
  let server: DevServer;
  let engine: TestEngine;

  beforeAll(async () => {
    // A server of its own: the low limit would make every other test's long-lived workflows continue too.
    server = await startDevServer({
      ip: '127.0.0.1',
      port: await freePort(),
      uiPort: await freePort(),
      dbFile: path.join(dataDir, 'temporal.sqlite'),
      namespace: 'default',
      cliVersion: '1.9.1',
      dynamicConfig: { 'limit.historyCount.suggestContinueAsNew': SUGGEST_CONTINUE_AFTER_EVENTS },
      log: () => undefined,
    });
    // Plain payloads: the workers' budgets below use a client of their own (recording updates).
    engine = await startTestEngine({ temporalAddress: server.address, cipher: null });
  });
  afterAll(async () => {
    await engine?.close();
    await server?.stop();
  });

  it('keeps every reservation, the day count, the penalty, the rate and the priority across continues', async () => {
    const company = await engine.emulator.admin.createCompany({
      name: 'Continuing Co',
      userCount: 2,
      callCount: 0,
      rateLimits: { perSecond: PER_SECOND },
    });
    const companyKey = companyKeyOf(company.apiBaseUrl);
    const limits = { requestsPerSecond: PER_SECOND, requestsPerDay: 10_000 };
    // The workers' client: the engine's connection, recording the updates their budgets send.
    const updates: UpdateSent[] = [];
    const client = new Client({
      connection: engine.client.connection,
      namespace: engine.endpoint.namespace,
      dataConverter: dataConverterFor(undefined),
      interceptors: { workflow: [recordUpdates(updates)] },
    });
    const budgets = Array.from(
      { length: WORKERS },
      () => new RecordingBudget(new TemporalGongBudget(client, engine.taskQueue, limits)),
    );
    const credentials = {
      connectionId: 'continuing',
      baseUrl: company.apiBaseUrl,
      authorization: () =>
        Promise.resolve(
          `Basic ${Buffer.from(`${company.accessKey}:${company.accessKeySecret}`).toString('base64')}`,
        ),
    };
    const listUsers = findGongAction('gong.users.list')!;
    /** One Gong call as an activity makes it: wait for the slot, send, report; a 429 is tried again. */
    const call = async (budget: GongBudget): Promise<void> => {
      const gong = new GongClient(credentials, { timeoutMs: 10_000, budget });
      for (let attempt = 1; ; attempt += 1) {
        try {
          await gong.callAction(listUsers, { maxItems: 1 });
          return;
        } catch (error) {
          if (!(error instanceof GongApiError && error.status === 429) || attempt >= ATTEMPTS) throw error;
        }
      }
    };

    // A 429 reported before the load (as a worker reports Gong's answer): the penalty it sets must outlive
    // every continue, decaying only as the company's own reservations go by.
    budgets[0]!.observe(companyKey, { latenessMs: 0, tooMany: true });
    await call(budgets[0]!);
    const shardId = budgetShardWorkflowId(companyKey, engine.taskQueue);
    const firstRunId = (await engine.client.workflow.getHandle(shardId).describe()).runId;

    // In rounds, every worker calling at once (a fleet picking up a batch of runs): each round puts a burst
    // of updates on the shard, so a run closes with some still waiting. Settled, not raced: a failed call
    // must not leave the others calling after the test ends.
    const workers: Array<PromiseSettledResult<void>> = [];
    for (let round = 0; round < CALLS_PER_WORKER; round += 1)
      workers.push(...(await Promise.allSettled(budgets.map((budget) => call(budget)))));

    // The fleet's slots, however many runs handed them out: all distinct, never more than PER_SECOND in a
    // second (a continued run that forgot the queue would hand out slots on top of the old run's).
    const slots = budgets.flatMap((budget) => budget.slots).sort((a, b) => a - b);
    expect(new Set(slots).size).toBe(slots.length);
    const crowded = slots.filter(
      (slot, index) => index + PER_SECOND < slots.length && slots[index + PER_SECOND]! - slot < 1_000,
    );
    expect(crowded).toEqual([]);

    // The shard's day count is exactly the slots the workers received: no reservation lost by a continue,
    // none run twice (a retried update answered by two runs would count twice).
    // Leases given back (by the next reservation or a signal soon after they end) count their slots.
    await waitFor(
      async () => !(await readCompanyBudget(engine.client, companyKey, engine.taskQueue))?.lease,
      'the last company lease to be given back',
    );
    const budget = await readCompanyBudget(engine.client, companyKey, engine.taskQueue);
    expect({ usedToday: budget?.usedToday, reservations: budget?.reservations }).toEqual({
      usedToday: slots.length,
      reservations: slots.length,
    });
    // The penalty of the first 429 decays only with the company's reservations: at least this wide still
    // (later 429s only widen it); a run that started the company afresh would be back at MIN_SPACING.
    const decays = Math.floor(slots.length / PENALTY_DECAY_AFTER);
    const carriedPenalty = 1 + (INITIAL_SPACING - 1) * 2 * 0.8 ** decays;
    expect(carriedPenalty).toBeGreaterThan(MIN_SPACING + 0.02);
    expect(budget?.penaltySpacing).toBeGreaterThanOrEqual(carriedPenalty - 1e-9);

    // Every call was served, each sent at a slot of its own, and the emulator (a sliding second, as Gong)
    // refused next to none: a send late by a loaded event loop may meet a 429, retried at a later slot.
    expect(workers.filter((worker) => worker.status === 'rejected')).toEqual([]);
    const log = engine.emulator.admin.requestLog({ host: company.id, path: '/v2/users' });
    expect(log.filter((entry) => entry.status === 200).length).toBe(CALLS + 1);
    expect(log.filter((entry) => entry.status === 429).length).toBeLessThanOrEqual(2);
    expect(slots.length).toBeGreaterThanOrEqual(log.length);

    // Continued several times while the load went on (a run per continue), every run of the chain at the
    // shards' task priority, ahead of the runs' default.
    const runs = await shardRuns(engine.client, shardId, MIN_RUNS);
    expect(runs.map((run) => run.runId)).toContain(firstRunId);
    expect(runs.map((run) => run.priorityKey)).toEqual(runs.map(() => BUDGET_PRIORITY_KEY));
    // Some updates were in flight as a run closed: sent before the run that answered them started.
    const startedAt = new Map(runs.map((run) => [run.runId, run.startedAtMs]));
    const carried = updates.filter((update) => update.sentAtMs < (startedAt.get(update.runId) ?? 0));
    expect(carried.length).toBeGreaterThan(0);

    // A worker whose reply was lost retries with the same update id, reaching a run that continued since the
    // one that answered: it gets the slots it was given then, and the company's count does not move.
    const currentRunId = (await engine.client.workflow.getHandle(shardId).describe()).runId;
    // The latest such update: answers are kept for a minute, and a loaded machine may have run the load for long.
    const answeredEarlier = updates.filter((update) => update.runId !== currentRunId).at(-1)!;
    const retried = await engine.client.workflow
      .getHandle(shardId)
      .executeUpdate<ShardReservations, [ShardReserveRequest]>('gongflow.budget.reserveShard', {
        updateId: answeredEarlier.updateId,
        args: answeredEarlier.args as [ShardReserveRequest],
      });
    const retriedSlots = (retried[companyKey] ?? []).map((reservation) =>
      reservation.kind === 'slot' ? reservation.atMs : undefined,
    );
    expect(retriedSlots.length).toBeGreaterThan(0);
    for (const slot of retriedSlots) expect(slots).toContain(slot);
    const afterRetry = await readCompanyBudget(engine.client, companyKey, engine.taskQueue);
    expect(afterRetry?.reservations).toBe(slots.length);
  });
});

/** Every run of a shard's continue-as-new chain: when it started, and the task priority the server gives it. */
async function shardRuns(
  client: Client,
  shardId: string,
  atLeast: number,
): Promise<Array<{ runId: string; priorityKey: number | undefined; startedAtMs: number }>> {
  // Closed runs reach the visibility store a moment after they close.
  const runIds = await waitFor(async () => {
    const ids: string[] = [];
    for await (const execution of client.workflow.list({ query: `WorkflowId = '${shardId}'` }))
      ids.push(execution.runId);
    return ids.length >= atLeast ? ids : undefined;
  }, `${atLeast} runs of the shard in the visibility store`);
  return Promise.all(
    runIds.map(async (runId) => {
      const description = await client.workflow.getHandle(shardId, runId).describe();
      const priorityKey = description.raw.workflowExecutionInfo?.priority?.priorityKey ?? undefined;
      return { runId, priorityKey, startedAtMs: description.startTime.getTime() };
    }),
  );
}
