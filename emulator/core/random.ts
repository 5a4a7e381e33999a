/**
 * Deterministic pseudo-randomness: the same seed always yields the same companies, users and calls.
 * mulberry32 is tiny, fast and good enough for fake data (never for secrets: those use node:crypto).
 */
export interface Random {
  next(): number;
  int(minInclusive: number, maxInclusive: number): number;
  pick<T>(items: readonly T[]): T;
  chance(probability: number): boolean;
  /** A Gong-style numeric ID: `digits` decimal digits, no leading zero; 19 digits exceed 2^53. */
  numericId(digits?: number): string;
  /** Deterministic child stream, so adding data in one area does not shift another. */
  fork(label: string): Random;
}

export function createRandom(seed: number): Random {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number): number => min + Math.floor(next() * (max - min + 1));
  return {
    next,
    int,
    pick<T>(items: readonly T[]): T {
      const item = items[int(0, items.length - 1)];
      if (item === undefined) throw new Error('pick from an empty list');
      return item;
    },
    chance: (probability) => next() < probability,
    numericId(digits = 19) {
      let id = String(int(1, 9));
      while (id.length < digits) id += String(int(0, 9));
      return id;
    },
    fork(label) {
      let hash = seed >>> 0;
      for (const char of label) hash = Math.imul(hash ^ char.charCodeAt(0), 16777619) >>> 0;
      return createRandom(hash ^ int(0, 0xffff));
    },
  };
}
