/**
 * The budgets of many companies kept by one workflow (a shard): each company's slot arithmetic is
 * `reservation.ts`'s, unchanged; what the shard adds is that one update carries a worker's reservations for
 * every company of the shard it waits on. With runs spread over hundreds of companies a worker rarely waits
 * on two calls of one company, so a workflow per company cost one update (one workflow task) per Gong call.
 */
import {
  MAX_RESERVE_BATCH,
  normalizeBudgetState,
  releaseSlots,
  reportSends,
  reserveSlot,
  type BudgetLimits,
  type BudgetState,
  type Reservation,
  type SendReport,
} from './reservation';
import { canLease, grantLease, leaseLength, returnLease, type CompanyLease, type LeaseReturn } from './lease';

/** Budget workflows per task queue. Fixed: a company's shard must not move while workers run. */
export const BUDGET_SHARDS = 16;

/** Most companies one shard update asks for (a worker with more waiting asks again once answered). */
export const MAX_SHARD_BATCH_COMPANIES = 200;

/** A company idle this long (no slot ahead, none reserved) keeps only its day's count. */
export const COMPANY_IDLE_MS = 15 * 60_000;

/**
 * Latenesses a company carries across a continue-as-new: more than the LATENESS_MIN_SAMPLES the budget
 * needs to trust them, so the measured spacing survives (its 99.5th percentile of fewer is their maximum:
 * no narrower).
 */
const LATENESS_CARRIED = 100;

const DAY_MS = 86_400_000;

export interface ShardState {
  companies: Record<string, BudgetState>;
  /** Slots handed out (for every company): the workflow's activity measure. */
  reservations: number;
}

/** One company's part of a worker's reservation. */
export interface CompanyAsk {
  companyKey: string;
  /** Slots wanted (1..MAX_RESERVE_BATCH). */
  count: number;
  /** What the worker saw of its sends to this company since its previous reservation. */
  report?: SendReport;
  /** Also asks for the company's lease (`lease.ts`). Workers of earlier versions never ask. */
  lease?: boolean;
  /** How long the lease should last (clamped by `leaseLength`; LEASE_MS without). */
  leaseMs?: number;
}

export interface ShardReserveRequest {
  /** The earliest slot the worker can use (its clock plus its round trip). */
  nowMs: number;
  limits: BudgetLimits;
  companies: CompanyAsk[];
  /** Leases the worker gives back (taken before the asks: a company's next lease needs the last returned). */
  returns?: LeaseReturn[];
}

/**
 * Per company asked for, its reservations in slot order (a spent quota ends the list), then its lease when
 * one was asked for and granted (only workers that ask for leases ever see one).
 */
export type ShardReservations = Record<string, Array<Reservation | CompanyLease>>;

export const EMPTY_SHARD: ShardState = { companies: {}, reservations: 0 };

/** Which shard keeps a company's budget: FNV-1a of its key (stable across processes and versions). */
export function shardOf(companyKey: string, shards = BUDGET_SHARDS): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < companyKey.length; index += 1) {
    hash ^= companyKey.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % shards;
}

/** Workflow id of the shard keeping a company's budget on one task queue (see `shardWorkflowId`). */
export function budgetShardWorkflowId(companyKey: string, taskQueue: string): string {
  return shardWorkflowId(shardOf(companyKey), taskQueue);
}

/**
 * Workflow id of one budget shard. It runs on the task queue of the workers that use it: keyed by shard
 * alone, a budget started by workers of another queue (another deployment, a finished test) would leave
 * these workers' reservations waiting on a queue nobody polls. Every worker of a deployment polls the same
 * queue (`worker.taskQueue`), so they all share the budget; two deployments on different queues calling the
 * same company each get their own.
 */
export function shardWorkflowId(shard: number, taskQueue: string): string {
  return `gongflow-budget-${taskQueue}-shard-${shard}`;
}

/** Hands out each asked company's slots. Mutates nothing; returns the shard's successor. */
export function reserveInShard(
  state: ShardState,
  request: ShardReserveRequest,
): { state: ShardState; reservations: ShardReservations } {
  const companies = { ...returnLeases(state, request.returns ?? [], request.nowMs).companies };
  const reservations: ShardReservations = {};
  let handedOut = 0;
  for (const ask of request.companies.slice(0, MAX_SHARD_BATCH_COMPANIES)) {
    let company = normalizeBudgetState(companyBudget(companies, ask.companyKey));
    if (ask.report) company = reportSends(company, ask.report);
    const leasable = ask.lease === true && canLease(company, request.nowMs);
    const count = Math.max(1, Math.min(MAX_RESERVE_BATCH, Math.floor(ask.count) || 1));
    const answers: Array<Reservation | CompanyLease> = [];
    let exhausted = false;
    for (let index = 0; index < count; index += 1) {
      const next = reserveSlot(company, request.nowMs, request.limits);
      company = next.state;
      answers.push(next.reservation);
      exhausted = next.reservation.kind === 'quotaExhausted';
      if (exhausted) break;
      handedOut += 1;
    }
    const granted =
      leasable && !exhausted
        ? grantLease(company, request.nowMs, request.limits, leaseLength(ask.leaseMs))
        : undefined;
    if (granted) {
      company = granted.state;
      answers.push(granted.lease);
    }
    setOwn(companies, ask.companyKey, company);
    // Asked twice in one request (a malformed one): the answers add up, in order.
    setOwn(reservations, ask.companyKey, [
      ...(companyBudget(reservations, ask.companyKey) ?? []),
      ...answers,
    ]);
  }
  return { state: { companies, reservations: state.reservations + handedOut }, reservations };
}

/** Takes back a company's slots whose requests will not be sent (see `releaseSlots`). */
export function releaseInShard(
  state: ShardState,
  companyKey: string,
  slots: readonly number[],
  nowMs: number,
): ShardState {
  const company = companyBudget(state.companies, companyKey);
  if (!company) return state;
  const companies = { ...state.companies };
  setOwn(companies, companyKey, releaseSlots(company, slots, nowMs));
  return { ...state, companies };
}

/** Takes back leases their holders give back (see `returnLease`); returns naming no lease change nothing. */
export function returnLeases(state: ShardState, returns: readonly LeaseReturn[], nowMs: number): ShardState {
  let companies: Record<string, BudgetState> | undefined;
  for (const returned of returns.slice(0, MAX_SHARD_BATCH_COMPANIES)) {
    const company = companyBudget(companies ?? state.companies, returned.companyKey);
    if (!company?.lease) continue;
    companies ??= { ...state.companies };
    setOwn(companies, returned.companyKey, returnLease(normalizeBudgetState(company), returned, nowMs));
  }
  return companies ? { ...state, companies } : state;
}

/**
 * Forgets what idle companies no longer need. A company idle for COMPANY_IDLE_MS keeps its day's count (the
 * daily quota holds across idle hours, which a budget workflow per company, stopping when idle, did not)
 * and its next slot, and drops its measured lateness (it starts again from the cautious initial spacing);
 * once its day is over it is dropped.
 */
export function forgetIdleCompanies(state: ShardState, nowMs: number): ShardState {
  const today = Math.floor(nowMs / DAY_MS);
  const companies: Record<string, BudgetState> = {};
  let changed = false;
  for (const [companyKey, company] of Object.entries(state.companies)) {
    if (!isIdle(company, nowMs)) {
      setOwn(companies, companyKey, company);
    } else if (company.day >= today && company.usedToday > 0) {
      const compact = normalizeBudgetState({
        nextSlotMs: company.nextSlotMs,
        day: company.day,
        usedToday: company.usedToday,
      });
      changed ||= company.latenessMs.length > 0 || company.reservations > 0;
      setOwn(companies, companyKey, compact);
    } else {
      changed = true;
    }
  }
  return changed ? { ...state, companies } : state;
}

/** True when no company of the shard holds anything worth keeping (the shard may stop). */
export function isShardEmpty(state: ShardState): boolean {
  return Object.keys(state.companies).length === 0;
}

/**
 * The state a shard carries into its next run (continue-as-new): each company's latenesses trimmed to the
 * newest LATENESS_CARRIED, so a shard of thousands of companies stays far below Temporal's payload limit.
 */
export function carriedShardState(state: ShardState): ShardState {
  const companies: Record<string, BudgetState> = {};
  for (const [companyKey, company] of Object.entries(state.companies)) {
    setOwn(
      companies,
      companyKey,
      company.latenessMs.length > LATENESS_CARRIED
        ? { ...company, latenessMs: company.latenessMs.slice(-LATENESS_CARRIED) }
        : company,
    );
  }
  return { ...state, companies };
}

/**
 * A company's entry, own properties only: company keys come from workers' requests, and a key such as
 * `__proto__` or `constructor` must name a company, never the object's prototype.
 */
export function companyBudget<T>(companies: Record<string, T>, companyKey: string): T | undefined {
  return Object.hasOwn(companies, companyKey) ? companies[companyKey] : undefined;
}

function setOwn<T>(record: Record<string, T>, key: string, value: T): void {
  Object.defineProperty(record, key, { value, enumerable: true, writable: true, configurable: true });
}

function isIdle(company: BudgetState, nowMs: number): boolean {
  const lastActivityMs = Math.max(company.nextSlotMs, company.released.at(-1) ?? 0);
  return lastActivityMs + COMPANY_IDLE_MS <= nowMs;
}
