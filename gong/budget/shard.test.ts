import type { CompanyLease } from './lease';
import { EMPTY_BUDGET, reserveSlot, type BudgetState, type Reservation } from './reservation';
import {
  BUDGET_SHARDS,
  COMPANY_IDLE_MS,
  EMPTY_SHARD,
  MAX_SHARD_BATCH_COMPANIES,
  budgetShardWorkflowId,
  carriedShardState,
  companyBudget,
  forgetIdleCompanies,
  isShardEmpty,
  releaseInShard,
  reserveInShard,
  shardOf,
  type ShardState,
} from './shard';

const LIMITS = { requestsPerSecond: 3, requestsPerDay: 10_000 };
const NOW = Date.UTC(2026, 11, 2, 12);
const DAY_MS = 86_400_000;

const slotsOf = (reservations: ReadonlyArray<Reservation | CompanyLease> | undefined): number[] =>
  (reservations ?? []).flatMap((reservation) => (reservation.kind === 'slot' ? [reservation.atMs] : []));

describe('budget shards', () => {
  it('keep each company where the same key always leads, spread over every shard', () => {
    const shards = new Set(Array.from({ length: 1_000 }, (_, index) => shardOf(`company-${index}.example`)));
    expect(shards.size).toBe(BUDGET_SHARDS);
    expect(shardOf('us-1234.api.gong.io')).toBe(shardOf('us-1234.api.gong.io'));
    expect(budgetShardWorkflowId('us-1234.api.gong.io', 'q')).toBe(
      `gongflow-budget-q-shard-${shardOf('us-1234.api.gong.io')}`,
    );
  });

  it('hand each company of a request the slots its own budget would, whatever others ask alongside', () => {
    const { state, reservations } = reserveInShard(EMPTY_SHARD, {
      nowMs: NOW,
      limits: LIMITS,
      companies: [
        { companyKey: 'a', count: 4 },
        { companyKey: 'b', count: 1 },
      ],
    });
    let alone: BudgetState = EMPTY_BUDGET;
    const expected: number[] = [];
    for (let index = 0; index < 4; index += 1) {
      const next = reserveSlot(alone, NOW, LIMITS);
      alone = next.state;
      if (next.reservation.kind === 'slot') expected.push(next.reservation.atMs);
    }
    expect(slotsOf(reservations['a'])).toEqual(expected);
    expect(slotsOf(reservations['b'])).toEqual([NOW]);
    expect(state.reservations).toBe(5);
    // The next request of the same worker or another continues each company's queue, not a fresh one.
    const again = reserveInShard(state, {
      nowMs: NOW,
      limits: LIMITS,
      companies: [{ companyKey: 'a', count: 1 }],
    });
    expect(slotsOf(again.reservations['a'])[0]).toBeCloseTo(expected[3]! + (1000 / 3) * 1.1);
  });

  it('stop a company at its daily quota while the others of the shard go on', () => {
    const limits = { requestsPerSecond: 3, requestsPerDay: 2 };
    const { reservations } = reserveInShard(EMPTY_SHARD, {
      nowMs: NOW,
      limits,
      companies: [
        { companyKey: 'a', count: 5 },
        { companyKey: 'b', count: 2 },
      ],
    });
    expect(reservations['a']!.map((reservation) => reservation.kind)).toEqual([
      'slot',
      'slot',
      'quotaExhausted',
    ]);
    expect(slotsOf(reservations['b'])).toHaveLength(2);
  });

  it('bound what one request may ask: slots per company and companies per request', () => {
    const companies = Array.from({ length: MAX_SHARD_BATCH_COMPANIES + 5 }, (_, index) => ({
      companyKey: `c${index}`,
      count: 1_000,
    }));
    const { state, reservations } = reserveInShard(EMPTY_SHARD, { nowMs: NOW, limits: LIMITS, companies });
    expect(Object.keys(reservations)).toHaveLength(MAX_SHARD_BATCH_COMPANIES);
    expect(reservations['c0']).toHaveLength(50);
    expect(state.reservations).toBe(MAX_SHARD_BATCH_COMPANIES * 50);
  });

  it('never mistake a company key for the object prototype', () => {
    const { state, reservations } = reserveInShard(EMPTY_SHARD, {
      nowMs: NOW,
      limits: LIMITS,
      companies: [
        { companyKey: '__proto__', count: 2 },
        { companyKey: 'constructor', count: 1 },
      ],
    });
    expect(slotsOf(reservations['__proto__'])).toHaveLength(2);
    expect(companyBudget(state.companies, '__proto__')?.usedToday).toBe(2);
    expect(companyBudget(state.companies, 'constructor')?.usedToday).toBe(1);
    expect(companyBudget(state.companies, 'toString')).toBeUndefined();
    expect(Object.getPrototypeOf(state.companies)).toBe(Object.prototype);
    // The same after the trip through a continue-as-new's payload.
    const carried = JSON.parse(JSON.stringify(carriedShardState(state))) as ShardState;
    expect(companyBudget(carried.companies, '__proto__')?.usedToday).toBe(2);
  });

  it('take back released slots of one company for its next reservation', () => {
    const first = reserveInShard(EMPTY_SHARD, {
      nowMs: NOW,
      limits: LIMITS,
      companies: [{ companyKey: 'a', count: 3 }],
    });
    const [, second] = slotsOf(first.reservations['a']);
    const released = releaseInShard(first.state, 'a', [second!], NOW);
    expect(companyBudget(released.companies, 'a')?.released).toEqual([second]);
    expect(releaseInShard(first.state, 'unknown', [second!], NOW)).toBe(first.state);
    const next = reserveInShard(released, {
      nowMs: NOW,
      limits: LIMITS,
      companies: [{ companyKey: 'a', count: 1 }],
    });
    expect(slotsOf(next.reservations['a'])).toEqual([second]);
  });

  it("keep an idle company's day count until its day is over, and forget the rest", () => {
    const busy = reserveInShard(EMPTY_SHARD, {
      nowMs: NOW,
      limits: LIMITS,
      companies: [{ companyKey: 'a', count: 3 }],
    }).state;
    expect(forgetIdleCompanies(busy, NOW + 1_000)).toBe(busy);
    const idle = forgetIdleCompanies(busy, NOW + COMPANY_IDLE_MS + 60_000);
    expect(companyBudget(idle.companies, 'a')).toMatchObject({ usedToday: 3, latenessMs: [] });
    // The quota still counts the morning's requests in the afternoon.
    const later = reserveInShard(idle, {
      nowMs: NOW + 4 * 3_600_000,
      limits: { requestsPerSecond: 3, requestsPerDay: 4 },
      companies: [{ companyKey: 'a', count: 2 }],
    });
    expect(later.reservations['a']!.map((reservation) => reservation.kind)).toEqual([
      'slot',
      'quotaExhausted',
    ]);
    const nextDay = forgetIdleCompanies(idle, Math.floor(NOW / DAY_MS + 1) * DAY_MS + 1);
    expect(isShardEmpty(nextDay)).toBe(true);
  });

  it("answer a lease after the company's slots to a worker asking for one, and take it back with its count", () => {
    const asked = reserveInShard(EMPTY_SHARD, {
      nowMs: NOW,
      limits: LIMITS,
      companies: [
        { companyKey: 'a', count: 2, lease: true },
        { companyKey: 'b', count: 1 },
      ],
    });
    const answers = asked.reservations['a']!;
    expect(answers.map((answer) => answer.kind)).toEqual(['slot', 'slot', 'lease']);
    expect(asked.reservations['b']!.map((answer) => answer.kind)).toEqual(['slot']);
    const lease = answers[2] as CompanyLease;
    expect(companyBudget(asked.state.companies, 'a')).toMatchObject({ usedToday: 2 + lease.prepaid });
    // The lease comes back with the holder's next reservation: one slot used, the rest off the day's count.
    const back = reserveInShard(asked.state, {
      nowMs: lease.untilMs + 1,
      limits: LIMITS,
      companies: [{ companyKey: 'b', count: 1 }],
      returns: [
        { companyKey: 'a', untilMs: lease.untilMs, used: 1, nextSlotMs: lease.fromMs },
        { companyKey: '__proto__', untilMs: lease.untilMs, used: 0, nextSlotMs: 0 },
      ],
    });
    expect(companyBudget(back.state.companies, 'a')).toMatchObject({ usedToday: 3, reservations: 3 });
    expect(companyBudget(back.state.companies, 'a')?.lease).toBeUndefined();
    expect(companyBudget(back.state.companies, '__proto__')).toBeUndefined();
  });

  it('carry at most the newest 100 latenesses per company into the next run', () => {
    const state: ShardState = {
      companies: { a: { ...EMPTY_BUDGET, latenessMs: Array.from({ length: 300 }, (_, index) => index) } },
      reservations: 1,
    };
    const carried = carriedShardState(state);
    expect(carried.companies['a']!.latenessMs).toHaveLength(100);
    expect(carried.companies['a']!.latenessMs[0]).toBe(200);
  });
});
