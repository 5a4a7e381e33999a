import type { SlotWait } from './measured-budget';

/** A slot wait with the worker process that asked it (the benchmark's index of the worker). */
export interface WorkerWait extends SlotWait {
  worker: number;
}

/**
 * How many of a round's asks a lease per worker and company would have served with no update: the share of
 * asks made while the same worker held a lease on the same company, where a lease is taken by an ask that
 * none covers and lasts `leaseMs`. An upper bound on what such leases save: it ignores that another worker
 * holding the company's rate would make an ask wait, and that a lease's rate may be too small for a burst.
 * Asks before `fromMs` may take leases; only asks in [fromMs, toMs) are counted.
 */
export function leaseCoverage(
  waits: readonly WorkerWait[],
  leaseMs: number,
  window: { fromMs: number; toMs: number },
): { asks: number; covered: number } {
  const leaseEnds = new Map<string, number>();
  let asks = 0;
  let covered = 0;
  for (const wait of [...waits].sort((a, b) => a.askedAtMs - b.askedAtMs)) {
    const holder = `${wait.worker}\u0000${wait.company}`;
    const held = (leaseEnds.get(holder) ?? -Infinity) > wait.askedAtMs;
    if (!held) leaseEnds.set(holder, wait.askedAtMs + leaseMs);
    if (wait.askedAtMs < window.fromMs || wait.askedAtMs >= window.toMs) continue;
    asks += 1;
    if (held) covered += 1;
  }
  return { asks, covered };
}
