import {
  LEASE_MS,
  LEASE_QUOTA_RESERVE,
  canLease,
  grantLease,
  holdLease,
  releaseLeasedSlot,
  returnLease,
  takeLeasedSlot,
  type CompanyLease,
} from './lease';
import { EMPTY_BUDGET, reserveSlot, type BudgetState } from './reservation';

const LIMITS = { requestsPerSecond: 3, requestsPerDay: 10_000 };
const NOW = Date.UTC(2026, 11, 4, 12);
const INTERVAL = (1000 / 3) * 1.1;

/** A company with one slot reserved at NOW, then leased. */
function leased(): { company: BudgetState; lease: CompanyLease; slot: number } {
  const first = reserveSlot(EMPTY_BUDGET, NOW, LIMITS);
  const granted = grantLease(first.state, NOW, LIMITS);
  if (!granted || first.reservation.kind !== 'slot') throw new Error('expected a slot and a lease');
  return { company: granted.state, lease: granted.lease, slot: first.reservation.atMs };
}

describe('company leases', () => {
  it("start after the slots answered with them, count their slots on the day, and move the company's queue past them", () => {
    const { company, lease, slot } = leased();
    expect(lease.fromMs).toBeCloseTo(slot + INTERVAL);
    expect(lease.untilMs).toBe(NOW + LEASE_MS);
    expect(lease.prepaid).toBe(Math.floor((LEASE_MS - INTERVAL) / INTERVAL));
    expect(company.usedToday).toBe(1 + lease.prepaid);
    // Another worker's next slot comes once the lease is over.
    const other = reserveSlot(company, NOW + 100, LIMITS);
    expect(other.reservation).toMatchObject({ kind: 'slot', atMs: lease.untilMs });
  });

  it("never let the holder's slots crowd Gong's second: spaced, before the lease ends, at most the prepaid", () => {
    const { lease } = leased();
    const held = holdLease(lease);
    const slots: number[] = [];
    for (let atMs = takeLeasedSlot(held, NOW); atMs !== undefined; atMs = takeLeasedSlot(held, NOW))
      slots.push(atMs);
    expect(slots).toHaveLength(lease.prepaid);
    for (let index = 1; index < slots.length; index += 1)
      expect(slots[index]! - slots[index - 1]!).toBeCloseTo(INTERVAL);
    expect(slots.at(-1)! + INTERVAL).toBeLessThanOrEqual(lease.untilMs);
    // A cancelled request's slot is taken again first, and counts once.
    const late = slots.at(-1)!;
    releaseLeasedSlot(held, late, NOW);
    expect(held.used).toBe(lease.prepaid - 1);
    expect(takeLeasedSlot(held, NOW)).toBe(late);
    expect(takeLeasedSlot(held, NOW)).toBeUndefined();
  });

  it('are granted only on a company with nothing ahead: no queue, no released slot, no other lease', () => {
    expect(canLease(EMPTY_BUDGET, NOW)).toBe(true);
    const { company } = leased();
    expect(canLease(company, NOW + 1_000)).toBe(false);
    expect(canLease(company, NOW + LEASE_MS)).toBe(true);
    const queued = reserveSlot(reserveSlot(EMPTY_BUDGET, NOW, LIMITS).state, NOW, LIMITS).state;
    expect(canLease(queued, NOW + 10)).toBe(false);
    expect(canLease({ ...EMPTY_BUDGET, released: [NOW + 500] }, NOW)).toBe(false);
  });

  it("leave the end of the day's quota to exact slots, and never cross into the next UTC day", () => {
    const day = Math.floor(NOW / 86_400_000);
    const { prepaid } = grantLease(EMPTY_BUDGET, NOW, LIMITS)!.lease;
    // Granted while LEASE_QUOTA_RESERVE requests would be left after it, not once fewer would.
    const room = LIMITS.requestsPerDay - LEASE_QUOTA_RESERVE - prepaid;
    expect(grantLease({ ...EMPTY_BUDGET, day, usedToday: room }, NOW, LIMITS)).toBeDefined();
    expect(grantLease({ ...EMPTY_BUDGET, day, usedToday: room + 1 }, NOW, LIMITS)).toBeUndefined();
    expect(grantLease(EMPTY_BUDGET, NOW, { requestsPerSecond: 3, requestsPerDay: 50 })).toBeUndefined();
    const beforeMidnight = Date.UTC(2026, 11, 4, 23, 59, 58);
    expect(grantLease(EMPTY_BUDGET, beforeMidnight, LIMITS)).toBeUndefined();
  });

  it('give their unused slots back to the day, and the rest of their time when returned early', () => {
    const { company, lease } = leased();
    const returned = returnLease(
      company,
      { companyKey: 'a', untilMs: lease.untilMs, used: 2, nextSlotMs: lease.fromMs + 2 * INTERVAL },
      NOW + 1_000,
    );
    expect(returned.usedToday).toBe(1 + 2);
    expect(returned.lease).toBeUndefined();
    expect(returned.nextSlotMs).toBeCloseTo(lease.fromMs + 2 * INTERVAL);
    // A return naming another lease (stale, or forged) changes nothing; nor does a second one.
    expect(returnLease(company, { companyKey: 'a', untilMs: 1, used: 0, nextSlotMs: 0 }, NOW)).toBe(company);
    expect(
      returnLease(returned, { companyKey: 'a', untilMs: lease.untilMs, used: 0, nextSlotMs: 0 }, NOW),
    ).toBe(returned);
    // Returned after it ended: the queue stays where it is; a used count out of range is clamped.
    const late = returnLease(
      company,
      { companyKey: 'a', untilMs: lease.untilMs, used: 1_000, nextSlotMs: 0 },
      NOW + LEASE_MS + 1,
    );
    expect(late.usedToday).toBe(company.usedToday);
    expect(late.nextSlotMs).toBe(company.nextSlotMs);
  });

  it('keep the queue of a company another worker reserved from after the lease, returned early', () => {
    const { company, lease } = leased();
    const other = reserveSlot(company, NOW + 100, LIMITS).state;
    const returned = returnLease(
      other,
      { companyKey: 'a', untilMs: lease.untilMs, used: 0, nextSlotMs: lease.fromMs },
      NOW + 200,
    );
    expect(returned.nextSlotMs).toBe(other.nextSlotMs);
  });
});
