import type { Client } from '@temporalio/client';
import type { LeaseReturn } from './lease';
import type { BudgetState, Reservation } from './reservation';
import {
  EMPTY_SHARD,
  companyBudget,
  releaseInShard,
  reserveInShard,
  returnLeases,
  type ShardReserveRequest,
  type ShardState,
} from './shard';
import { GongBudgetUnavailableError, TemporalGongBudget } from './temporal-budget';

const LIMITS = { requestsPerSecond: 3, requestsPerDay: 10_000 };
const COMPANY = 'https://us-1.api.gong.io';

/** What the Temporal client throws when a shard refuses an update (its workflow task keeps failing). */
function refused(): Error {
  const grpc = Object.assign(
    new Error(
      '9 FAILED_PRECONDITION: Unable to perform workflow execution update due to Workflow Task in failed state.',
    ),
    { code: 9, details: 'Workflow Task in failed state.', metadata: {} },
  );
  return Object.assign(new Error('Workflow Update failed'), { cause: grpc });
}

/** A client whose shard refuses updates until `refusingForMs` has passed, then hands out one slot. */
function shardRefusingFor(refusingForMs: number): { client: Client; attempts: () => number } {
  const since = Date.now();
  let attempts = 0;
  const answer = () => {
    attempts += 1;
    if (Date.now() - since < refusingForMs) return Promise.reject(refused());
    return Promise.resolve({ [COMPANY]: [{ kind: 'slot', atMs: Date.now(), leftToday: 9_999 }] });
  };
  const client = {
    withAbortSignal: (_signal: AbortSignal, fn: () => Promise<unknown>) => fn(),
    workflow: {
      executeUpdateWithStart: answer,
      getHandle: () => ({ executeUpdate: answer }),
    },
  } as unknown as Client;
  return { client, attempts: () => attempts };
}

describe('TemporalGongBudget, a shard refusing updates', () => {
  it('waits between attempts, so a shard refusing for a second still gives the slot', async () => {
    const shard = shardRefusingFor(1_000);
    const budget = new TemporalGongBudget(shard.client, 'queue', LIMITS);
    // Waits of 0.25, 0.5, 1 and 2 s between the five attempts: a later one comes after the refusals stop.
    await expect(budget.reserve(COMPANY)).resolves.toMatchObject({ kind: 'slot' });
  });

  it('fails with a named error saying nothing was sent, once the attempts are spent', async () => {
    const shard = shardRefusingFor(60_000);
    const budget = new TemporalGongBudget(shard.client, 'queue', LIMITS);
    const failure = await budget.reserve(COMPANY).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(GongBudgetUnavailableError);
    expect((failure as Error).message).toMatch(
      /gave no slot in 5 attempts: 9 FAILED_PRECONDITION.*Nothing was sent to Gong/,
    );
    expect(shard.attempts()).toBe(5);
  }, 10_000);
});

/**
 * A Temporal client whose one shard runs the shard's own arithmetic in memory: updates reserve, signals
 * release and return, so what a worker asks and gives back is what a real shard would see.
 */
function inMemoryShard(): {
  client: Client;
  updates: () => number;
  signals: () => number;
  company: () => BudgetState | undefined;
} {
  let state: ShardState = EMPTY_SHARD;
  let updates = 0;
  let signals = 0;
  const update = (_name: string, options: { args: [ShardReserveRequest] }) => {
    updates += 1;
    const next = reserveInShard(state, options.args[0]);
    state = next.state;
    return Promise.resolve(next.reservations);
  };
  const client = {
    withAbortSignal: (_signal: AbortSignal, fn: () => Promise<unknown>) => fn(),
    workflow: {
      executeUpdateWithStart: update,
      getHandle: () => ({
        executeUpdate: update,
        signal: (
          _name: string,
          payload: { companyKey: string; slots: number[]; returns?: LeaseReturn[] },
        ) => {
          signals += 1;
          state = returnLeases(
            releaseInShard(state, payload.companyKey, payload.slots, Date.now()),
            payload.returns ?? [],
            Date.now(),
          );
          return Promise.resolve();
        },
      }),
    },
  } as unknown as Client;
  return {
    client,
    updates: () => updates,
    signals: () => signals,
    company: () => companyBudget(state.companies, COMPANY),
  };
}

const slotOf = (reservation: Reservation): number => {
  if (reservation.kind !== 'slot') throw new Error(`expected a slot, got ${reservation.kind}`);
  return reservation.atMs;
};

describe('TemporalGongBudget, company leases', () => {
  it("serves a company's next calls from the worker's lease, with no update, spaced as the shard would", async () => {
    const shard = inMemoryShard();
    const budget = new TemporalGongBudget(shard.client, 'queue', LIMITS);
    const slots = [slotOf(await budget.reserve(COMPANY))];
    for (let index = 0; index < 5; index += 1) slots.push(slotOf(await budget.reserve(COMPANY)));
    expect(shard.updates()).toBe(1);
    for (let index = 1; index < slots.length; index += 1)
      expect(slots[index]! - slots[index - 1]!).toBeGreaterThanOrEqual((1000 / 3) * 1.1 - 1e-6);
    // Leases off: one update per call, as before.
    const unleased = inMemoryShard();
    const plain = new TemporalGongBudget(unleased.client, 'queue', LIMITS, { leases: false });
    for (let index = 0; index < 3; index += 1) await plain.reserve(COMPANY);
    expect(unleased.updates()).toBe(3);
  });

  it("makes another worker's call wait until the lease is over", async () => {
    const shard = inMemoryShard();
    const holder = new TemporalGongBudget(shard.client, 'queue', LIMITS);
    const other = new TemporalGongBudget(shard.client, 'queue', LIMITS);
    await holder.reserve(COMPANY);
    const lease = shard.company()?.lease;
    expect(lease).toBeDefined();
    expect(slotOf(await other.reserve(COMPANY))).toBeGreaterThanOrEqual(lease!.untilMs);
  });

  it('gives a lease back early when the worker shuts down, so the next worker need not wait for it', async () => {
    const shard = inMemoryShard();
    const shuttingDown = new AbortController();
    const holder = new TemporalGongBudget(shard.client, 'queue', LIMITS, {
      shuttingDown: shuttingDown.signal,
    });
    await holder.reserve(COMPANY);
    const counted = shard.company()!.usedToday;
    expect(counted).toBeGreaterThan(2);
    // At once, as the shutdown begins: not 2 s later, when an ended lease's return would go by itself.
    shuttingDown.abort();
    expect(shard.signals()).toBe(1);
    expect(shard.company()).toMatchObject({ usedToday: 1, lease: undefined });
    const next = new TemporalGongBudget(shard.client, 'queue', LIMITS);
    expect(slotOf(await next.reserve(COMPANY))).toBeLessThan(Date.now() + 1_000);
    // A worker shut down asks for no lease any more.
    await expect(holder.reserve('https://us-3.api.gong.io')).resolves.toMatchObject({ kind: 'slot' });
    expect(shard.signals()).toBe(1);
  });

  it('stops using a lease Gong answered 429, and reports it with the lease on the next reservation', async () => {
    const shard = inMemoryShard();
    const budget = new TemporalGongBudget(shard.client, 'queue', LIMITS);
    await budget.reserve(COMPANY);
    budget.observe(COMPANY, { latenessMs: 5, tooMany: true });
    await budget.reserve(COMPANY);
    expect(shard.updates()).toBe(2);
    expect(shard.company()!.penaltySpacing).toBeGreaterThan(1.03);
    // The lease came back with that reservation (no signal): of its slots, none stays counted.
    expect(shard.signals()).toBe(0);
    expect(shard.company()!.usedToday).toBe(2);
  });
});

describe('TemporalGongBudget, workers with and without leases on one company', () => {
  it("never put four slots in Gong's second, and count exactly the slots handed out once leases are back", async () => {
    const shard = inMemoryShard();
    const stopping = new AbortController();
    // Two workers that lease and one that never asks (a worker of an earlier version, mid-deploy).
    const workers = [
      new TemporalGongBudget(shard.client, 'queue', LIMITS, { shuttingDown: stopping.signal }),
      new TemporalGongBudget(shard.client, 'queue', LIMITS, { shuttingDown: stopping.signal }),
      new TemporalGongBudget(shard.client, 'queue', LIMITS, { leases: false }),
    ];
    // A fixed, irregular order of asks, several at once: leases granted, waited out, ended by use.
    const order = [0, 0, 1, 2, 0, 1, 1, 0, 2, 2, 0, 1, 0, 0, 0, 1, 2, 1, 0, 0, 1, 1, 1, 2, 0];
    const slots: number[] = [];
    for (let index = 0; index < order.length; index += 3) {
      const batch = order.slice(index, index + 3).map((worker) => workers[worker]!.reserve(COMPANY));
      for (const reservation of await Promise.all(batch)) slots.push(slotOf(reservation));
    }
    expect(shard.updates()).toBeLessThan(order.length);
    slots.sort((a, b) => a - b);
    for (let index = 0; index + 3 < slots.length; index += 1)
      expect(slots[index + 3]! - slots[index]!).toBeGreaterThanOrEqual(1_000);
    stopping.abort();
    await waitUntil(() => shard.company()?.lease === undefined);
    await waitUntil(() => shard.company()?.usedToday === slots.length);
    expect(shard.company()).toMatchObject({ usedToday: slots.length, reservations: slots.length });
  });
});

async function waitUntil(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setImmediate(resolve));
}
