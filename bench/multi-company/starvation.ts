import { percentile } from '../percentile';
import type { SlotWait } from './measured-budget';

/** What the slot waits of a side's rounds say about starvation. */
export interface WaitSummary {
  /** Answered waits, fleet-wide (ms). */
  p50Ms: number;
  p99Ms: number;
  /** The reservations' round trips alone (the part of the wait spent asking), p50 (ms). */
  roundTripP50Ms: number;
  /** The worst company's mean wait (ms): the company whose calls waited longest on average. */
  worstCompanyMeanMs: number;
  /**
   * The same with the waits dealt to the companies at random (their counts kept; mean of the shuffles): what
   * the worst company's mean would be if no company were treated differently. Many companies with few calls
   * each make some worst mean long by chance alone; measured / by chance near 1 says none is singled out.
   */
  worstByChanceMs: number;
  /** Asks abandoned unanswered (by the worker's shutdown at the round's end) after waiting this long or more. */
  unansweredOver10s: number;
}

const SHUFFLES = 50;

function worstMean(groups: ReadonlyArray<readonly number[]>): number {
  let worst = 0;
  for (const waits of groups)
    if (waits.length > 0) worst = Math.max(worst, waits.reduce((sum, wait) => sum + wait, 0) / waits.length);
  return worst;
}

/** A seeded generator (mulberry32): the same waits give the same summary. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function summarizeWaits(waits: readonly SlotWait[]): WaitSummary {
  const answered = waits.filter((wait) => wait.answered);
  const byCompany = new Map<string, number[]>();
  for (const wait of answered) {
    const companyWaits = byCompany.get(wait.company);
    if (companyWaits) companyWaits.push(wait.waitMs);
    else byCompany.set(wait.company, [wait.waitMs]);
  }
  const groups = [...byCompany.values()];
  const all = answered.map((wait) => wait.waitMs);
  const random = seededRandom(17);
  let byChance = 0;
  for (let shuffle = 0; shuffle < SHUFFLES; shuffle++) {
    const deck = [...all];
    for (let index = deck.length - 1; index > 0; index--) {
      const other = Math.floor(random() * (index + 1));
      [deck[index], deck[other]] = [deck[other]!, deck[index]!];
    }
    let dealt = 0;
    byChance += worstMean(groups.map((group) => deck.slice(dealt, (dealt += group.length))));
  }
  return {
    p50Ms: percentile(all, 50),
    p99Ms: percentile(all, 99),
    roundTripP50Ms: percentile(
      answered.map((wait) => wait.roundTripMs),
      50,
    ),
    worstCompanyMeanMs: worstMean(groups),
    worstByChanceMs: byChance / SHUFFLES,
    unansweredOver10s: waits.filter((wait) => !wait.answered && wait.waitMs >= 10_000).length,
  };
}
