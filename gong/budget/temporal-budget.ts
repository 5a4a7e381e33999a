import { randomUUID } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import { WithStartWorkflowOperation, WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { Workflow } from '@temporalio/common';
import { GrpcStatus, grpcStatusOf } from '../../core/grpc-status';
import {
  MAX_RESERVE_BATCH,
  type BudgetLimits,
  type BudgetState,
  type Reservation,
  type SendReport,
} from './reservation';
import {
  holdLease,
  isLease,
  isLeasedSlot,
  releaseLeasedSlot,
  returnOf,
  takeLeasedSlot,
  type CompanyLease,
  type HeldLease,
  type LeaseReturn,
} from './lease';
import {
  MAX_SHARD_BATCH_COMPANIES,
  budgetShardWorkflowId,
  companyBudget,
  type CompanyAsk,
  type ShardReservations,
  type ShardReserveRequest,
} from './shard';

/** What became of one request sent at its slot. */
export interface SendOutcome {
  /** How late after its slot the request may have arrived at Gong, in ms (`arrivalLateness`). */
  latenessMs: number;
  tooMany: boolean;
}

/** Reserves send slots for a company's Gong requests, and learns from how the requests fared. */
export interface GongBudget {
  /** `signal` abandons the reservation (the attempt was cancelled): it throws the signal's reason. */
  reserve(companyKey: string, signal?: AbortSignal): Promise<Reservation>;
  /** Records a request sent at its slot: lateness and 429s adapt the company's spacing. */
  observe(companyKey: string, outcome: SendOutcome): void;
  /**
   * Gives back a reserved slot whose request will not be sent (cancelled while waiting for it), so another
   * request takes it instead of leaving a gap. Resolves once the budget has it (or could not be reached).
   */
  release(companyKey: string, atMs: number): Promise<void>;
}

/** Outcomes kept per company until the next reservation carries them (the newest are kept). */
const MAX_PENDING_LATENESSES = 64;
const RESERVE_SHARD_UPDATE = 'gongflow.budget.reserveShard';
const RELEASE_SHARD_SIGNAL = 'gongflow.budget.releaseShard';
const COMPANY_BUDGET_QUERY = 'gongflow.budget.company';

/** What the release signal carries: slots no request will use, and leases given back. */
interface ShardRelease {
  companyKey: string;
  slots: number[];
  returns?: LeaseReturn[];
}

/** A reservation takes milliseconds, seconds behind a loaded machine's backlog of workflow tasks. */
const RESERVE_ATTEMPT_TIMEOUT_MS = 20_000;
const RESERVE_ATTEMPTS = 5;
/**
 * First wait before trying a shard that refused an update again, doubling after each refusal (0.25 + 0.5 + 1 +
 * 2 s over the attempts). A shard whose workflow task keeps failing (or timing out on an overloaded worker)
 * refuses updates at once (FAILED_PRECONDITION) until a task succeeds: retried at once, the five attempts
 * were spent in milliseconds (measured: 432 poll attempts failed in a minute, BENCHMARKS "Trigger scale").
 */
const REFUSED_RETRY_MS = 250;

/**
 * A company's Gong budget could not hand out a slot: the request was not sent to Gong. Named so the step's
 * failure says what happened (it was Temporal's "Workflow Update failed"); retryable like any activity error.
 */
export class GongBudgetUnavailableError extends Error {
  override readonly name = 'GongBudgetUnavailable';
  constructor(shardId: string, attempts: number, cause: unknown) {
    const reason =
      cause instanceof Error ? (cause.cause instanceof Error ? cause.cause : cause).message : String(cause);
    super(
      `The company's Gong budget (workflow ${shardId}) gave no slot in ${attempts} attempts: ${reason}. ` +
        "Nothing was sent to Gong; the call is retried. If this persists, check that workers are polling the task queue and the budget workflow's workflow tasks succeed.",
      { cause },
    );
  }
}
/** At most this much ahead of now is a slot asked for (see `reserveRoundTripMs`). */
const MAX_RESERVE_LEAD_MS = 5_000;
/** Temporal task priority of the budget shards (1 is the highest; runs have the default, 3). */
export const BUDGET_PRIORITY_KEY = 1;
/** How long a cancelled request waits for its slot's release to reach the budget. */
const RELEASE_TIMEOUT_MS = 5_000;
/**
 * How long an ended lease waits for a reservation on its shard to carry it back before a signal does: the
 * shard keeps its prepaid slots counted on the company's day until then.
 */
const RETURN_DELAY_MS = 2_000;

export interface TemporalGongBudgetOptions {
  /**
   * Told what each reservation answered of the company's day (requests left on the day of `atMs`): the
   * worker exports it as a gauge, at no extra round trip to the budget workflow.
   */
  onLeftToday?: (companyKey: string, atMs: number, left: number) => void;
  /** Aborted as the worker shuts down: its leases go back at once, so the workers taking over need not wait. */
  shuttingDown?: AbortSignal;
  /** Ask for company leases (`lease.ts`); off, every call reserves from the shard (benchmarks compare). */
  leases?: boolean;
  /** How long a lease should last (the shard's default, LEASE_MS, without; benchmarks try others). */
  leaseMs?: number;
}

/** A lease this worker holds on a company, and the timer ending it. */
interface LeaseEntry {
  shardId: string;
  held: HeldLease;
  timer: NodeJS.Timeout;
}

interface Waiter {
  resolve(reservation: Reservation): void;
  reject(error: Error): void;
}

/** The requests of one shard's companies waiting in this worker, and the reservation asked for them. */
interface ShardQueue {
  /** Per company, its waiting requests in arrival order. */
  waiters: Map<string, Waiter[]>;
  /** Aborts the reservation being asked for: set while one is in flight. */
  asking: AbortController | undefined;
}

/**
 * The budgets kept by the `gongBudgetShard` workflows (16 per task queue, each keeping the companies that
 * hash to it), shared by every worker. A worker asks for the slots of all its waiting requests of a shard's
 * companies in one update, at most one in flight per shard: with runs spread over hundreds of companies a
 * worker rarely waits on two calls of one company, and a workflow per company cost an update per Gong call.
 * One update per request also failed outright: a hundred requests retried at once after a deploy became a
 * hundred concurrent updates on one workflow, whose tasks never completed (no reservation answered in 300 s).
 */
export class TemporalGongBudget implements GongBudget {
  /** Outcomes observed since this worker's last reservation, per company: the next one reports them. */
  private readonly pending = new Map<string, SendReport>();
  private readonly queues = new Map<string, ShardQueue>();
  /** Slots given back, per company, gathered for one signal; `sent` settles when it is delivered. */
  private readonly releases = new Map<string, { slots: number[]; sent: Promise<void> }>();
  /** Shards this worker reached: their reservations are plain updates (see `sendReservation`). */
  private readonly runningShards = new Set<string>();
  /** Recent round trips of a reservation (decaying maximum): a slot is asked for no earlier than now + this. */
  private reserveRoundTripMs = 0;
  /** Company leases this worker holds: their calls take slots here, with no update. */
  private readonly leases = new Map<string, LeaseEntry>();
  /** Leases ended and not given back yet, per shard: the next reservation on the shard carries them. */
  private readonly returns = new Map<string, LeaseReturn[]>();
  private readonly returnTimers = new Map<string, NodeJS.Timeout>();
  private readonly onLeftToday: TemporalGongBudgetOptions['onLeftToday'];
  private readonly leasing: boolean;
  private readonly leaseMs: number | undefined;
  private closed = false;

  constructor(
    private readonly client: Client,
    private readonly taskQueue: string,
    private readonly limits: BudgetLimits,
    options: TemporalGongBudgetOptions = {},
  ) {
    this.onLeftToday = options.onLeftToday;
    this.leasing = options.leases ?? true;
    this.leaseMs = options.leaseMs;
    const { shuttingDown } = options;
    if (shuttingDown?.aborted) this.closed = true;
    else shuttingDown?.addEventListener('abort', () => this.returnEveryLease(), { once: true });
  }

  observe(companyKey: string, outcome: SendOutcome): void {
    const report = this.pending.get(companyKey) ?? { latenessMs: [], tooMany: 0 };
    report.latenessMs.push(Math.round(outcome.latenessMs));
    if (report.latenessMs.length > MAX_PENDING_LATENESSES) report.latenessMs.shift();
    if (outcome.tooMany) report.tooMany += 1;
    this.pending.set(companyKey, report);
    // Gong refused a leased slot: stop sending on the lease; the next reservation reports the 429 first.
    if (outcome.tooMany) this.endLease(companyKey);
  }

  reserve(companyKey: string, signal?: AbortSignal): Promise<Reservation> {
    signal?.throwIfAborted();
    const leased = this.leasedSlot(companyKey);
    if (leased !== undefined) return Promise.resolve({ kind: 'slot', atMs: leased });
    const shardId = budgetShardWorkflowId(companyKey, this.taskQueue);
    const queue = this.queueOf(shardId);
    return new Promise<Reservation>((resolve, reject) => {
      const onAbort = () => {
        const waiting = queue.waiters.get(companyKey) ?? [];
        const index = waiting.indexOf(waiter);
        if (index !== -1) waiting.splice(index, 1);
        if (waiting.length === 0) queue.waiters.delete(companyKey);
        // Nobody left to take the reservation's slots (a worker shutting down cancels every request): stop
        // asking, so no update outlives the worker and its connection.
        if (queue.waiters.size === 0) queue.asking?.abort();
        const reason: unknown = signal?.reason;
        reject(reason instanceof Error ? reason : new Error('aborted'));
      };
      const waiter: Waiter = {
        resolve: (reservation) => {
          signal?.removeEventListener('abort', onAbort);
          resolve(reservation);
        },
        reject: (error) => {
          signal?.removeEventListener('abort', onAbort);
          reject(error);
        },
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      const waiting = queue.waiters.get(companyKey);
      if (waiting) waiting.push(waiter);
      else queue.waiters.set(companyKey, [waiter]);
      void this.ask(shardId, queue);
    });
  }

  release(companyKey: string, atMs: number): Promise<void> {
    if (atMs <= Date.now()) return Promise.resolve();
    const lease = this.leases.get(companyKey);
    if (lease && isLeasedSlot(lease.held, atMs)) {
      releaseLeasedSlot(lease.held, atMs, Date.now());
      return Promise.resolve();
    }
    const gathering = this.releases.get(companyKey);
    if (gathering) {
      gathering.slots.push(atMs);
      return gathering.sent;
    }
    // Gathered for a moment: a worker shutting down cancels all its waiting requests at once.
    const slots = [atMs];
    const sent = new Promise<void>((resolve) => setImmediate(resolve)).then(async () => {
      this.releases.delete(companyKey);
      try {
        await this.signalRelease(budgetShardWorkflowId(companyKey, this.taskQueue), { companyKey, slots });
      } catch {
        // The budget is unreachable (or gone idle): the slots pass unused, as before releases existed.
      }
    });
    this.releases.set(companyKey, { slots, sent });
    return sent;
  }

  /** The company's next slot from this worker's lease on it; ends the lease once it has none left. */
  private leasedSlot(companyKey: string): number | undefined {
    const lease = this.leases.get(companyKey);
    if (!lease) return undefined;
    const atMs = takeLeasedSlot(lease.held, Date.now());
    if (atMs === undefined) this.endLease(companyKey);
    return atMs;
  }

  private holdLease(shardId: string, companyKey: string, lease: CompanyLease): void {
    this.endLease(companyKey);
    const held = holdLease(lease);
    const timer = setTimeout(
      () => {
        if (this.leases.get(companyKey)?.held === held) this.endLease(companyKey);
      },
      Math.max(0, lease.untilMs - Date.now()),
    );
    timer.unref();
    this.leases.set(companyKey, { shardId, held, timer });
    if (this.closed) this.returnEveryLease();
  }

  /** Stops taking slots from the company's lease and queues its return to the shard. */
  private endLease(companyKey: string): void {
    const lease = this.leases.get(companyKey);
    if (!lease) return;
    clearTimeout(lease.timer);
    this.leases.delete(companyKey);
    // The day's count the worker knows, once the lease's unused slots are given back.
    const { held } = lease;
    this.onLeftToday?.(companyKey, held.fromMs, held.leftToday + held.prepaid - held.used);
    const returns = this.returns.get(lease.shardId) ?? [];
    returns.push(returnOf(companyKey, lease.held));
    this.returns.set(lease.shardId, returns);
    if (!this.returnTimers.has(lease.shardId)) {
      const timer = setTimeout(() => void this.sendReturns(lease.shardId), RETURN_DELAY_MS);
      timer.unref();
      this.returnTimers.set(lease.shardId, timer);
    }
  }

  /** The returns waiting for a shard, taken out (a reservation or a signal carries them). */
  private takeReturns(shardId: string): LeaseReturn[] {
    const returns = this.returns.get(shardId) ?? [];
    this.returns.delete(shardId);
    clearTimeout(this.returnTimers.get(shardId));
    this.returnTimers.delete(shardId);
    return returns;
  }

  /** Gives a shard its leases back by signal (no reservation came to carry them). */
  private async sendReturns(shardId: string): Promise<void> {
    const returns = this.takeReturns(shardId);
    const first = returns[0];
    if (!first) return;
    try {
      await this.signalRelease(shardId, { companyKey: first.companyKey, slots: [], returns });
    } catch {
      // The budget is unreachable: the leases' unused slots stay counted on their day (the safe side).
    }
  }

  /** Gives a shard released slots and returned leases; a budget that does not answer in time is an error. */
  private signalRelease(shardId: string, release: ShardRelease): Promise<void> {
    return this.client.withAbortSignal(AbortSignal.timeout(RELEASE_TIMEOUT_MS), () =>
      this.client.workflow.getHandle(shardId).signal<[ShardRelease]>(RELEASE_SHARD_SIGNAL, release),
    );
  }

  /** A worker shutting down gives every lease back at once. */
  private returnEveryLease(): void {
    this.closed = true;
    for (const companyKey of [...this.leases.keys()]) this.endLease(companyKey);
    for (const shardId of [...this.returns.keys()]) void this.sendReturns(shardId);
  }

  private queueOf(shardId: string): ShardQueue {
    let queue = this.queues.get(shardId);
    if (!queue) {
      queue = { waiters: new Map(), asking: undefined };
      this.queues.set(shardId, queue);
    }
    return queue;
  }

  /** Asks for the slots of the shard's waiting requests, one reservation at a time, until none waits. */
  private async ask(shardId: string, queue: ShardQueue): Promise<void> {
    if (queue.asking) return;
    try {
      while (queue.waiters.size > 0) {
        const batch = new AbortController();
        queue.asking = batch;
        const asks = [...queue.waiters].slice(0, MAX_SHARD_BATCH_COMPANIES).map(([companyKey, waiting]) => ({
          companyKey,
          count: Math.min(waiting.length, MAX_RESERVE_BATCH),
          lease: this.leasing && !this.closed,
          ...(this.leaseMs === undefined ? {} : { leaseMs: this.leaseMs }),
        }));
        let answers: ShardReservations;
        try {
          answers = await this.reserveInShard(shardId, asks, batch.signal);
        } catch (error) {
          // Abandoned by all its requests: those that came since are asked for in a reservation of their own.
          if (batch.signal.aborted) continue;
          const failure = error instanceof Error ? error : new Error(String(error));
          for (const { companyKey, count } of asks)
            this.settle(queue, companyKey, count, (w) => w.reject(failure));
          continue;
        }
        for (const { companyKey } of asks)
          this.hand(shardId, queue, companyKey, companyBudget(answers, companyKey) ?? []);
      }
    } finally {
      queue.asking = undefined;
      if (queue.waiters.size === 0) this.queues.delete(shardId);
    }
  }

  /**
   * Gives a company's waiting requests their slots, in order; a spent quota answers all that still wait. A
   * lease answered with them serves the requests that came while the reservation was asked for.
   */
  private hand(
    shardId: string,
    queue: ShardQueue,
    companyKey: string,
    answers: ReadonlyArray<Reservation | CompanyLease>,
  ): void {
    const reservations = answers.filter((answer): answer is Reservation => !isLease(answer));
    this.reportLeftToday(companyKey, reservations);
    const slots = reservations.filter((reservation) => reservation.kind === 'slot');
    // Requests cancelled while the reservation was asked for leave their slots unused: giving them back would
    // be a call nobody waits for (the worker may be closing its connection).
    this.settle(queue, companyKey, slots.length, (waiter, index) => waiter.resolve(slots[index]!));
    const exhausted = reservations.find((reservation) => reservation.kind === 'quotaExhausted');
    if (exhausted) this.settle(queue, companyKey, Infinity, (waiter) => waiter.resolve(exhausted));
    const lease = answers.find(isLease);
    if (!lease) return;
    this.onLeftToday?.(companyKey, lease.fromMs, lease.leftToday);
    this.holdLease(shardId, companyKey, lease);
    while (queue.waiters.has(companyKey)) {
      const atMs = this.leasedSlot(companyKey);
      if (atMs === undefined) break;
      this.settle(queue, companyKey, 1, (waiter) => waiter.resolve({ kind: 'slot', atMs }));
    }
  }

  /** Takes the first `count` waiting requests of a company out of the queue and settles each. */
  private settle(
    queue: ShardQueue,
    companyKey: string,
    count: number,
    each: (waiter: Waiter, index: number) => void,
  ): void {
    const waiting = queue.waiters.get(companyKey);
    if (!waiting) return;
    const taken = waiting.splice(0, count);
    if (waiting.length === 0) queue.waiters.delete(companyKey);
    taken.forEach(each);
  }

  /** A company's last answer is its latest count (answers come in slot order). */
  private reportLeftToday(companyKey: string, reservations: readonly Reservation[]): void {
    const last = reservations.at(-1);
    if (!this.onLeftToday || last?.leftToday === undefined) return;
    // A spent quota counts for the day that is ending (`untilMs` is the next day's first instant).
    const atMs = last.kind === 'slot' ? last.atMs : last.untilMs - 1;
    this.onLeftToday(companyKey, atMs, last.leftToday);
  }

  private async reserveInShard(
    shardId: string,
    asks: readonly CompanyAsk[],
    signal: AbortSignal,
  ): Promise<ShardReservations> {
    // Piggybacked on the reservation: no extra round trip to the budget workflow per request.
    const companies: CompanyAsk[] = asks.map((ask) => {
      const report = this.pending.get(ask.companyKey);
      this.pending.delete(ask.companyKey);
      return report ? { ...ask, report } : ask;
    });
    const returns = this.takeReturns(shardId);
    // An idle budget workflow may be closing just as we call; one fresh attempt starts a new one. An update
    // can also be lost by the server under load (its workflow task dropped): the call would wait forever, so
    // each attempt has a deadline.
    // One update id for every attempt: the server answers a retried update it already ran with that run's
    // slots instead of handing out others, so a reply lost under load leaves no phantom slots behind.
    const updateId = randomUUID();
    for (let attempt = 1; ; attempt += 1) {
      // With no queue, the slot is the instant asked for: asking for "now" would make the request late by the
      // round trip (seconds on a loaded machine), so it asks for the moment the answer should be back.
      const askedAt = Date.now();
      const request: ShardReserveRequest = {
        nowMs: askedAt + Math.min(this.reserveRoundTripMs, MAX_RESERVE_LEAD_MS),
        limits: this.limits,
        companies,
        ...(returns.length > 0 ? { returns } : {}),
      };
      try {
        const reservations = await this.client.withAbortSignal(
          AbortSignal.any([AbortSignal.timeout(RESERVE_ATTEMPT_TIMEOUT_MS), signal]),
          () => this.sendReservation(shardId, updateId, request),
        );
        this.reserveRoundTripMs = Math.max(Date.now() - askedAt, this.reserveRoundTripMs * 0.8);
        return reservations;
      } catch (error) {
        if (error instanceof WorkflowNotFoundError) this.runningShards.delete(shardId);
        if (signal.aborted) throw error;
        if (attempt >= RESERVE_ATTEMPTS) throw new GongBudgetUnavailableError(shardId, attempt, error);
        // FAILED_PRECONDITION: the shard refused the update for now (its workflow task keeps failing).
        if (grpcStatusOf(error) === GrpcStatus.FAILED_PRECONDITION)
          await delay(REFUSED_RETRY_MS * 2 ** (attempt - 1), undefined, { signal });
      }
    }
  }

  /**
   * A plain update to a shard this worker has reached before, an update-with-start otherwise (or once the
   * shard stopped, idle: the plain update then fails with WorkflowNotFoundError and the next attempt starts
   * it). A start attempt with every reservation cost the server work for nothing while the shard runs.
   */
  private async sendReservation(
    shardId: string,
    updateId: string,
    request: ShardReserveRequest,
  ): Promise<ShardReservations> {
    if (this.runningShards.has(shardId))
      return this.client.workflow
        .getHandle(shardId)
        .executeUpdate<ShardReservations, [ShardReserveRequest]>(RESERVE_SHARD_UPDATE, {
          updateId,
          args: [request],
        });
    const startWorkflowOperation = new WithStartWorkflowOperation('gongBudgetShard', {
      workflowId: shardId,
      taskQueue: this.taskQueue,
      workflowIdConflictPolicy: 'USE_EXISTING',
      args: [],
      // Ahead of the runs' tasks: a reservation waits for the shard's workflow task, and a fleet starting
      // with a backlog of runs otherwise served its first Gong call only once that backlog was worked off.
      priority: { priorityKey: BUDGET_PRIORITY_KEY },
    });
    const reservations = await this.client.workflow.executeUpdateWithStart<
      Workflow,
      ShardReservations,
      [ShardReserveRequest]
    >(RESERVE_SHARD_UPDATE, { startWorkflowOperation, updateId, args: [request] });
    this.runningShards.add(shardId);
    return reservations;
  }
}

/**
 * Waits until a reserved slot, reporting liveness (activity heartbeats) after every full `tickMs` of waiting.
 * Shorter waits report nothing: the SDK sends the first heartbeat at once and throttles the next ones (to
 * 0.8 x the heartbeat timeout), so an early empty heartbeat would hold back the first page's progress, the
 * one a retry after a crash resumes from.
 */
export async function waitForSlot(
  atMs: number,
  onTick: () => void,
  tickMs = 5_000,
  signal?: AbortSignal,
): Promise<void> {
  for (let remaining = atMs - Date.now(); remaining > 0; remaining = atMs - Date.now()) {
    signal?.throwIfAborted();
    const chunk = Math.min(remaining, tickMs);
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, chunk);
      const onAbort = () => {
        clearTimeout(timer);
        const reason: unknown = signal?.reason;
        reject(reason instanceof Error ? reason : new Error('aborted'));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
    });
    if (chunk === tickMs) onTick();
  }
}

/**
 * A company's budget as its shard keeps it, asked of the shard directly (tests, benchmarks, diagnostics);
 * undefined when the shard has nothing for it (or is not running).
 */
export async function readCompanyBudget(
  client: Client,
  companyKey: string,
  taskQueue: string,
): Promise<BudgetState | undefined> {
  try {
    return await client.workflow
      .getHandle(budgetShardWorkflowId(companyKey, taskQueue))
      .query<BudgetState | undefined, [string]>(COMPANY_BUDGET_QUERY, companyKey);
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) return undefined;
    throw error;
  }
}
