import type { Random } from './random';

/** Failures injected on a company's API host, to test retries and timeouts. */
export interface FaultConfig {
  /** Probability (0..1) that a request answers `errorStatus` instead of its real answer. */
  errorRate: number;
  errorStatus: number;
  /** Added before answering every request (real milliseconds). */
  latencyMs: number;
  /** Probability (0..1) that the connection is destroyed without an answer. */
  dropRate: number;
  /** The next N requests fail with `errorStatus` (deterministic alternative to errorRate). */
  failNext: number;
  /** The next N requests have their connection dropped. */
  dropNext: number;
  /**
   * The next N requests are carried out, then their connection is dropped instead of answering: the write
   * happened and its answer was lost (what a client sees when a connection resets after sending).
   */
  loseAnswerNext: number;
}

export const NO_FAULTS: FaultConfig = {
  errorRate: 0,
  errorStatus: 500,
  latencyMs: 0,
  dropRate: 0,
  failNext: 0,
  dropNext: 0,
  loseAnswerNext: 0,
};

export type FaultDecision = { kind: 'none' } | { kind: 'error'; status: number } | { kind: 'drop' };

export function decideFault(faults: FaultConfig, random: Random): FaultDecision {
  if (faults.dropNext > 0) {
    faults.dropNext--;
    return { kind: 'drop' };
  }
  if (faults.failNext > 0) {
    faults.failNext--;
    return { kind: 'error', status: faults.errorStatus };
  }
  if (faults.dropRate > 0 && random.chance(faults.dropRate)) return { kind: 'drop' };
  if (faults.errorRate > 0 && random.chance(faults.errorRate))
    return { kind: 'error', status: faults.errorStatus };
  return { kind: 'none' };
}
