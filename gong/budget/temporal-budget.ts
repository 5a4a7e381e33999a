import { randomUUID } from 'node:crypto';
import { WithStartWorkflowOperation, type Client } from '@temporalio/client';
import type { Workflow } from '@temporalio/common';
import type { ReserveBatchRequest } from '../../workflows/gong-budget';
import {
  MAX_RESERVE_BATCH,
  budgetWorkflowId,
  type BudgetLimits,
  type Reservation,
  type SendReport,
} from './reservation';

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
const RESERVE_BATCH_UPDATE = 'gongflow.budget.reserveBatch';
const RELEASE_SIGNAL = 'gongflow.budget.release';

/** A reservation takes milliseconds, seconds behind a loaded machine's backlog of workflow tasks. */
const RESERVE_ATTEMPT_TIMEOUT_MS = 20_000;
const RESERVE_ATTEMPTS = 5;
/** At most this much ahead of now is a slot asked for (see `reserveRoundTripMs`). */
const MAX_RESERVE_LEAD_MS = 5_000;
/** How long a cancelled request waits for its slot's release to reach the budget. */
const RELEASE_TIMEOUT_MS = 5_000;

interface Waiter {
  resolve(reservation: Reservation): void;
  reject(error: Error): void;
}

/** One company's requests waiting in this worker for a reservation, and the batch asked for them. */
interface CompanyQueue {
  waiters: Waiter[];
  /** Aborts the batch being asked for: set while one is in flight. */
  asking: AbortController | undefined;
}

/**
 * The budget kept by one `gongBudget` entity workflow per company, shared by every worker. A worker asks for
 * the slots of all its waiting requests in one update (at most one in flight per company): with one update
 * per request, a hundred requests retried at once after a deploy became a hundred concurrent updates on one
 * workflow, and its workflow tasks never completed (measured: no reservation answered in 300 s).
 */
export class TemporalGongBudget implements GongBudget {
  /** Outcomes observed since this worker's last reservation, per company: the next one reports them. */
  private readonly pending = new Map<string, SendReport>();
  private readonly queues = new Map<string, CompanyQueue>();
  /** Slots given back, per company, gathered for one signal; `sent` settles when it is delivered. */
  private readonly releases = new Map<string, { slots: number[]; sent: Promise<void> }>();
  /** Recent round trips of a reservation (decaying maximum): a slot is asked for no earlier than now + this. */
  private reserveRoundTripMs = 0;

  /**
   * @param onLeftToday told what each reservation answered of the company's day (requests left on the day of
   *   `atMs`): the worker exports it as a gauge, at no extra round trip to the budget workflow.
   */
  constructor(
    private readonly client: Client,
    private readonly taskQueue: string,
    private readonly limits: BudgetLimits,
    private readonly onLeftToday?: (companyKey: string, atMs: number, left: number) => void,
  ) {}

  observe(companyKey: string, outcome: SendOutcome): void {
    const report = this.pending.get(companyKey) ?? { latenessMs: [], tooMany: 0 };
    report.latenessMs.push(Math.round(outcome.latenessMs));
    if (report.latenessMs.length > MAX_PENDING_LATENESSES) report.latenessMs.shift();
    if (outcome.tooMany) report.tooMany += 1;
    this.pending.set(companyKey, report);
  }

  reserve(companyKey: string, signal?: AbortSignal): Promise<Reservation> {
    signal?.throwIfAborted();
    const queue = this.queueOf(companyKey);
    return new Promise<Reservation>((resolve, reject) => {
      const onAbort = () => {
        const index = queue.waiters.indexOf(waiter);
        if (index !== -1) queue.waiters.splice(index, 1);
        // Nobody left to take the batch's slots (a worker shutting down cancels every request): stop asking,
        // so no update outlives the worker and its connection.
        if (queue.waiters.length === 0) queue.asking?.abort();
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
      queue.waiters.push(waiter);
      void this.ask(companyKey, queue);
    });
  }

  release(companyKey: string, atMs: number): Promise<void> {
    if (atMs <= Date.now()) return Promise.resolve();
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
        await this.client.withAbortSignal(AbortSignal.timeout(RELEASE_TIMEOUT_MS), () =>
          this.client.workflow
            .getHandle(budgetWorkflowId(companyKey, this.taskQueue))
            .signal<[{ slots: number[] }]>(RELEASE_SIGNAL, { slots }),
        );
      } catch {
        // The budget is unreachable (or gone idle): the slots pass unused, as before releases existed.
      }
    });
    this.releases.set(companyKey, { slots, sent });
    return sent;
  }

  private queueOf(companyKey: string): CompanyQueue {
    let queue = this.queues.get(companyKey);
    if (!queue) {
      queue = { waiters: [], asking: undefined };
      this.queues.set(companyKey, queue);
    }
    return queue;
  }

  /** Asks for the slots of the waiting requests, one batch at a time, until none waits. */
  private async ask(companyKey: string, queue: CompanyQueue): Promise<void> {
    if (queue.asking) return;
    try {
      while (queue.waiters.length > 0) {
        const batch = new AbortController();
        queue.asking = batch;
        const count = Math.min(queue.waiters.length, MAX_RESERVE_BATCH);
        let reservations: Reservation[];
        try {
          reservations = await this.reserveBatch(companyKey, count, batch.signal);
        } catch (error) {
          // Abandoned by all its requests: those that came since are asked for in a batch of their own.
          if (batch.signal.aborted) continue;
          const failure = error instanceof Error ? error : new Error(String(error));
          for (const waiter of queue.waiters.splice(0, count)) waiter.reject(failure);
          continue;
        }
        this.reportLeftToday(companyKey, reservations);
        const exhausted = reservations.find((reservation) => reservation.kind === 'quotaExhausted');
        for (const reservation of reservations) {
          if (reservation.kind !== 'slot') break;
          const waiter = queue.waiters.shift();
          // Requests cancelled while the batch was asked for leave their slots unused: giving them back would
          // be a call nobody waits for (the worker may be closing its connection).
          if (waiter) waiter.resolve(reservation);
        }
        if (exhausted) for (const waiter of queue.waiters.splice(0)) waiter.resolve(exhausted);
      }
    } finally {
      queue.asking = undefined;
      if (queue.waiters.length === 0) this.queues.delete(companyKey);
    }
  }

  /** The batch's last answer is the company's latest count (answers come in slot order). */
  private reportLeftToday(companyKey: string, reservations: readonly Reservation[]): void {
    const last = reservations.at(-1);
    if (!this.onLeftToday || last?.leftToday === undefined) return;
    // A spent quota counts for the day that is ending (`untilMs` is the next day's first instant).
    const atMs = last.kind === 'slot' ? last.atMs : last.untilMs - 1;
    this.onLeftToday(companyKey, atMs, last.leftToday);
  }

  private async reserveBatch(companyKey: string, count: number, signal: AbortSignal): Promise<Reservation[]> {
    // Piggybacked on the reservation: no extra round trip to the budget workflow per request.
    const report = this.pending.get(companyKey);
    this.pending.delete(companyKey);
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
      const request: ReserveBatchRequest = {
        nowMs: askedAt + Math.min(this.reserveRoundTripMs, MAX_RESERVE_LEAD_MS),
        limits: this.limits,
        count,
        ...(report ? { report } : {}),
      };
      try {
        const startWorkflowOperation = new WithStartWorkflowOperation('gongBudget', {
          workflowId: budgetWorkflowId(companyKey, this.taskQueue),
          taskQueue: this.taskQueue,
          workflowIdConflictPolicy: 'USE_EXISTING',
          args: [],
        });
        const reservations = await this.client.withAbortSignal(
          AbortSignal.any([AbortSignal.timeout(RESERVE_ATTEMPT_TIMEOUT_MS), signal]),
          () =>
            this.client.workflow.executeUpdateWithStart<Workflow, Reservation[], [ReserveBatchRequest]>(
              RESERVE_BATCH_UPDATE,
              { startWorkflowOperation, updateId, args: [request] },
            ),
        );
        this.reserveRoundTripMs = Math.max(Date.now() - askedAt, this.reserveRoundTripMs * 0.8);
        return reservations;
      } catch (error) {
        if (signal.aborted || attempt >= RESERVE_ATTEMPTS) throw error;
      }
    }
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
