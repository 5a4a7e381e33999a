import type { SlotWait } from './measured-budget';
import { summarizeWaits } from './starvation';

const wait = (company: string, waitMs: number, answered = true): SlotWait => ({
  company,
  askedAtMs: 0,
  waitMs,
  roundTripMs: waitMs / 2,
  answered,
});

describe('the multi-company benchmark’s starvation summary', () => {
  it('finds no company singled out when every company waits alike', () => {
    const waits = Array.from({ length: 400 }, (_, index) =>
      wait(`c${index % 40}`, 100 + ((index * 37) % 50)),
    );
    const summary = summarizeWaits(waits);
    expect(summary.worstCompanyMeanMs / summary.worstByChanceMs).toBeGreaterThan(0.9);
    expect(summary.worstCompanyMeanMs / summary.worstByChanceMs).toBeLessThan(1.1);
  });

  it('singles out a company whose calls all wait longer than the others’', () => {
    const waits = Array.from({ length: 400 }, (_, index) =>
      wait(`c${index % 40}`, index % 40 === 7 ? 900 : 100 + ((index * 37) % 50)),
    );
    const summary = summarizeWaits(waits);
    expect(summary.worstCompanyMeanMs).toBe(900);
    expect(summary.worstCompanyMeanMs / summary.worstByChanceMs).toBeGreaterThan(2);
  });

  it('counts long unanswered asks apart from the answered waits', () => {
    const summary = summarizeWaits([
      wait('a', 50),
      wait('a', 150),
      wait('b', 12_000, false),
      wait('b', 500, false),
    ]);
    expect(summary).toMatchObject({ p50Ms: 50, p99Ms: 150, unansweredOver10s: 1 });
  });
});
