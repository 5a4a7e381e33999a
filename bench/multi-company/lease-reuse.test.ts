import { leaseCoverage, type WorkerWait } from './lease-reuse';

const ask = (worker: number, company: string, askedAtMs: number): WorkerWait => ({
  worker,
  company,
  askedAtMs,
  waitMs: 0,
  roundTripMs: 0,
  answered: true,
});

const everything = { fromMs: 0, toMs: Infinity };

describe('the multi-company benchmark’s lease coverage', () => {
  it('covers a worker’s later asks of a company while its lease lasts, not after', () => {
    const waits = [ask(0, 'a', 0), ask(0, 'a', 4_000), ask(0, 'a', 9_999), ask(0, 'a', 10_000)];
    expect(leaseCoverage(waits, 10_000, everything)).toEqual({ asks: 4, covered: 2 });
  });

  it('gives no worker the lease another worker took', () => {
    const waits = [ask(0, 'a', 0), ask(1, 'a', 100), ask(2, 'a', 200), ask(1, 'a', 300)];
    expect(leaseCoverage(waits, 10_000, everything)).toEqual({ asks: 4, covered: 1 });
  });

  it('keeps companies apart and reads asks in time order', () => {
    const waits = [ask(0, 'b', 50), ask(0, 'a', 100), ask(0, 'a', 0)];
    expect(leaseCoverage(waits, 10_000, everything)).toEqual({ asks: 3, covered: 1 });
  });

  it('lets asks before the window take leases without counting them', () => {
    const waits = [ask(0, 'a', 0), ask(0, 'a', 5_000), ask(0, 'b', 5_000)];
    expect(leaseCoverage(waits, 10_000, { fromMs: 1_000, toMs: 20_000 })).toEqual({ asks: 2, covered: 1 });
  });
});
