/**
 * The emulator's notion of "now". Everything time-dependent (token and cursor expiry, processing delay,
 * rate-limit windows, webhook exp claims) reads this clock, so tests advance it instead of sleeping.
 * A running clock follows the wall clock plus every advance; a frozen clock moves only when advanced.
 */
export interface EmulatedClock {
  now(): number;
  advance(ms: number): number;
  set(epochMs: number): number;
  readonly mode: ClockMode;
}

export type ClockMode = 'running' | 'frozen';

export function createClock(mode: ClockMode, startMs: number | undefined): EmulatedClock {
  let offset = startMs === undefined ? 0 : startMs - Date.now();
  let frozenAt = startMs ?? Date.now();
  const now = (): number => (mode === 'frozen' ? frozenAt : Date.now() + offset);
  return {
    mode,
    now,
    advance(ms) {
      if (mode === 'frozen') frozenAt += ms;
      else offset += ms;
      return now();
    },
    set(epochMs) {
      if (mode === 'frozen') frozenAt = epochMs;
      else offset = epochMs - Date.now();
      return now();
    },
  };
}

export const SECOND = 1_000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/** Gong's timestamps: ISO-8601 with an explicit UTC offset, e.g. `2024-05-01T13:00:00Z`. */
export function isoTime(epochMs: number): string {
  return new Date(epochMs).toISOString().replace('.000Z', 'Z');
}
