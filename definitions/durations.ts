import { z } from 'zod';

const UNIT_MS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const DURATION = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)$/;

/** `"30s"`, `"5m"`, `"1.5h"`, `"2d"`, or a number of milliseconds. */
export const DurationSchema = z
  .union([
    z.number().int().nonnegative(),
    z.string().regex(DURATION, 'a duration like "500ms", "30s", "5m", "2h" or "1d"'),
  ])
  .transform((value) => (typeof value === 'number' ? value : parseDuration(value)));

export function parseDuration(text: string): number {
  const match = DURATION.exec(text);
  if (!match) throw new Error(`not a duration: ${text}`);
  return Math.round(Number(match[1]) * (UNIT_MS[match[2] ?? 'ms'] ?? 1));
}
