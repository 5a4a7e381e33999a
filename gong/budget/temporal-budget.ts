import { randomUUID } from 'node:crypto';
import { WithStartWorkflowOperation, type Client } from '@temporalio/client';
import type { Workflow } from '@temporalio/common';
import type { ReserveRequest } from '../../workflows/gong-budget';
import { budgetWorkflowId, type BudgetLimits, type Reservation, type SendReport } from './reservation';

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
}

/** Outcomes kept per company until the next reservation carries them (the newest are kept). */
const MAX_PENDING_LATENESSES = 64;

const RESERVE_UPDATE = 'gongflow.budget.reserve';
/** A reservation takes milliseconds, seconds behind a loaded machine's backlog of workflow tasks. */
const RESERVE_ATTEMPT_TIMEOUT_MS = 20_000;
const RESERVE_ATTEMPTS = 5;
/** At most this much ahead of now is a slot asked for (see `reserveRoundTripMs`). */
const MAX_RESERVE_LEAD_MS = 5_000;

/** The budget kept by one `gongBudget` entity workflow per company, shared by every worker. */
export class TemporalGongBudget implements GongBudget {
  /** Outcomes observed since this worker's last reservation, per company: the next one reports them. */
  private readonly pending = new Map<string, SendReport>();
  /** Recent round trips of a reservation (decaying maximum): a slot is asked for no earlier than now + this. */
  private reserveRoundTripMs = 0;

  constructor(
    private readonly client: Client,
    private readonly taskQueue: string,
    private readonly limits: BudgetLimits,
  ) {}

  observe(companyKey: string, outcome: SendOutcome): void {
    const report = this.pending.get(companyKey) ?? { latenessMs: [], tooMany: 0 };
    report.latenessMs.push(Math.round(outcome.latenessMs));
    if (report.latenessMs.length > MAX_PENDING_LATENESSES) report.latenessMs.shift();
    if (outcome.tooMany) report.tooMany += 1;
    this.pending.set(companyKey, report);
  }

  async reserve(companyKey: string, signal?: AbortSignal): Promise<Reservation> {
    // Piggybacked on the reservation: no extra round trip to the budget workflow per request.
    const report = this.pending.get(companyKey);
    this.pending.delete(companyKey);
    // An idle budget workflow may be closing just as we call; one fresh attempt starts a new one. An update
    // can also be lost by the server under load (its workflow task dropped): the call would wait forever, so
    // each attempt has a deadline.
    // One update id for every attempt: the server answers a retried update it already ran with that run's
    // slot instead of handing out another, so a reply lost under load leaves no phantom slot behind.
    const updateId = randomUUID();
    for (let attempt = 1; ; attempt += 1) {
      // With no queue, the slot is the instant asked for: asking for "now" would make the request late by the
      // round trip (seconds on a loaded machine), so it asks for the moment the answer should be back.
      const askedAt = Date.now();
      const request: ReserveRequest = {
        nowMs: askedAt + Math.min(this.reserveRoundTripMs, MAX_RESERVE_LEAD_MS),
        limits: this.limits,
        ...(report ? { report } : {}),
      };
      try {
        const startWorkflowOperation = new WithStartWorkflowOperation('gongBudget', {
          workflowId: budgetWorkflowId(companyKey, this.taskQueue),
          taskQueue: this.taskQueue,
          workflowIdConflictPolicy: 'USE_EXISTING',
          args: [],
        });
        const attemptTimeout = AbortSignal.timeout(RESERVE_ATTEMPT_TIMEOUT_MS);
        const reservation = await this.client.withAbortSignal(
          signal ? AbortSignal.any([attemptTimeout, signal]) : attemptTimeout,
          () =>
            this.client.workflow.executeUpdateWithStart<Workflow, Reservation, [ReserveRequest]>(
              RESERVE_UPDATE,
              {
                startWorkflowOperation,
                updateId,
                args: [request],
              },
            ),
        );
        this.reserveRoundTripMs = Math.max(Date.now() - askedAt, this.reserveRoundTripMs * 0.8);
        return reservation;
      } catch (error) {
        if (signal?.aborted) throw signal.reason;
        if (attempt >= RESERVE_ATTEMPTS) throw error;
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
