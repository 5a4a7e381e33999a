import {
  EMPTY_BUDGET,
  INITIAL_SPACING,
  LATENESS_MIN_SAMPLES,
  LATENESS_SAFETY_MS,
  MAX_SPACING,
  MAX_TRANSIT_JITTER_MS,
  MIN_SPACING,
  PENALTY_DECAY_AFTER,
  MAX_RELEASED_SLOTS,
  arrivalLateness,
  jitterFloor,
  normalizeBudgetState,
  releaseSlots,
  reportSends,
  reserveSlot,
  type BudgetState,
} from './reservation';

const LIMITS = { requestsPerSecond: 3, requestsPerDay: 10_000 };
const NOW = Date.UTC(2026, 10, 28, 12);

function reserveMany(state: BudgetState, count: number): { state: BudgetState; slots: number[] } {
  const slots: number[] = [];
  for (let index = 0; index < count; index += 1) {
    const next = reserveSlot(state, NOW, LIMITS);
    state = next.state;
    if (next.reservation.kind === 'slot') slots.push(next.reservation.atMs);
  }
  return { state, slots };
}

describe('the Gong budget slots', () => {
  it('start INITIAL_SPACING / rate apart, so any four span more than a second', () => {
    const { slots } = reserveMany(EMPTY_BUDGET, 4);
    expect(slots[1]! - slots[0]!).toBeCloseTo((1000 / 3) * INITIAL_SPACING);
    expect(slots[3]! - slots[0]!).toBeCloseTo(1000 * INITIAL_SPACING);
  });

  it('narrow to the measured lateness quantile plus a safety margin, never below MIN_SPACING', () => {
    const latenessMs = Array.from({ length: 100 }, (_, index) => (index < 98 ? 10 : 30));
    expect(jitterFloor(latenessMs.slice(0, LATENESS_MIN_SAMPLES - 1))).toBe(INITIAL_SPACING);
    // The 99.5th percentile of 100 samples is the largest: 30 ms (two of them).
    expect(jitterFloor(latenessMs)).toBeCloseTo(1 + (30 + LATENESS_SAFETY_MS) / 1000);
    expect(jitterFloor(latenessMs.map(() => 0))).toBe(MIN_SPACING);
    expect(jitterFloor(latenessMs.map(() => 5_000))).toBe(MAX_SPACING);

    const state = reportSends(EMPTY_BUDGET, { latenessMs, tooMany: 0 });
    const { slots } = reserveMany(state, 4);
    expect(slots[3]! - slots[0]!).toBeCloseTo(1000 + 30 + LATENESS_SAFETY_MS);
  });

  it('widen at once when Gong answers 429, and narrow back after clean reservations', () => {
    const calm = reportSends(EMPTY_BUDGET, { latenessMs: Array.from({ length: 100 }, () => 0), tooMany: 0 });
    expect(calm.spacing).toBe(MIN_SPACING);
    const refused = reportSends(calm, { latenessMs: [], tooMany: 1 });
    expect(refused.spacing).toBeCloseTo(1 + (MIN_SPACING - 1) * 2);
    expect(reportSends(refused, { latenessMs: [], tooMany: 1 }).spacing).toBeCloseTo(
      1 + (MIN_SPACING - 1) * 4,
    );

    const later = reserveMany(refused, PENALTY_DECAY_AFTER).state;
    expect(later.spacing).toBeCloseTo(1 + (MIN_SPACING - 1) * 2 * 0.8);
    const muchLater = reserveMany(later, PENALTY_DECAY_AFTER * 20).state;
    expect(muchLater.spacing).toBe(MIN_SPACING);
  });

  it('keep the slots already handed out when the spacing changes', () => {
    const first = reserveMany(EMPTY_BUDGET, 3);
    const widened = reportSends(first.state, { latenessMs: [], tooMany: 1 });
    expect(widened.nextSlotMs).toBe(first.state.nextSlotMs);
  });

  it('read a state saved before adaptive spacing (continue-as-new input) with the defaults', () => {
    const old = { nextSlotMs: NOW, day: 1, usedToday: 5, reservations: 9 } as BudgetState;
    const state = normalizeBudgetState(old);
    expect(state).toMatchObject({
      ...old,
      spacing: INITIAL_SPACING,
      latenessMs: [],
      released: [],
      reused: 0,
    });
    const next = reserveSlot(state, NOW, LIMITS);
    expect(next.state.nextSlotMs).toBeCloseTo(NOW + (1000 / 3) * INITIAL_SPACING);
  });

  it('stop at the daily quota until the next UTC day', () => {
    const state = { ...EMPTY_BUDGET, day: Math.floor(NOW / 86_400_000), usedToday: LIMITS.requestsPerDay };
    expect(reserveSlot(state, NOW, LIMITS).reservation).toEqual({
      kind: 'quotaExhausted',
      untilMs: (Math.floor(NOW / 86_400_000) + 1) * 86_400_000,
      leftToday: 0,
    });
  });
});

describe('released slots', () => {
  it('go to the next reservations, earliest first, before the queue grows', () => {
    const { state, slots } = reserveMany(EMPTY_BUDGET, 6);
    const released = releaseSlots(state, [slots[4]!, slots[2]!], NOW);
    expect(released.released).toEqual([slots[2], slots[4]]);
    expect(released.usedToday).toBe(4);

    const first = reserveSlot(released, NOW, LIMITS);
    expect(first.reservation).toEqual({ kind: 'slot', atMs: slots[2], leftToday: LIMITS.requestsPerDay - 5 });
    const second = reserveSlot(first.state, NOW, LIMITS);
    expect(second.reservation).toEqual({
      kind: 'slot',
      atMs: slots[4],
      leftToday: LIMITS.requestsPerDay - 6,
    });
    expect(second.state).toMatchObject({ nextSlotMs: state.nextSlotMs, reused: 2, usedToday: 6 });
    const third = reserveSlot(second.state, NOW, LIMITS);
    expect(third.reservation).toEqual({
      kind: 'slot',
      atMs: state.nextSlotMs,
      leftToday: LIMITS.requestsPerDay - 7,
    });
  });

  it('are dropped once the caller could no longer make them', () => {
    const { state, slots } = reserveMany(EMPTY_BUDGET, 4);
    // Already past when given back: nothing to reuse.
    expect(releaseSlots(state, [slots[1]!], slots[2]!).released).toEqual([]);
    // Given back in time, but the next caller asks for a later instant (its round trip): skipped.
    const released = releaseSlots(state, [slots[1]!], NOW);
    const next = reserveSlot(released, slots[2]!, LIMITS);
    expect(next.reservation).toEqual({
      kind: 'slot',
      atMs: state.nextSlotMs,
      // The released slot was given back to the day's count too, though not reused.
      leftToday: LIMITS.requestsPerDay - 4,
    });
    expect(next.state.released).toEqual([]);
  });

  it('are kept up to MAX_RELEASED_SLOTS, the earliest', () => {
    const many = Array.from({ length: MAX_RELEASED_SLOTS + 10 }, (_, index) => NOW + 1_000 + index);
    const state = releaseSlots(EMPTY_BUDGET, many, NOW);
    expect(state.released).toHaveLength(MAX_RELEASED_SLOTS);
    expect(state.released[0]).toBe(NOW + 1_000);
  });
});

describe('the lateness a request reports', () => {
  it('is bounded by its answer, and by MAX_TRANSIT_JITTER_MS after its send when Gong answers slowly', () => {
    expect(arrivalLateness(1_000, 1_002, 1_010)).toBe(10);
    expect(arrivalLateness(1_000, 1_002, 3_000)).toBe(2 + MAX_TRANSIT_JITTER_MS);
  });
});
