import type { Client } from '@temporalio/client';
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
