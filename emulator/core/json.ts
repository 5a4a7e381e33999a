import { isSafeNumber, LosslessNumber, parse, stringify } from 'lossless-json';

/**
 * Gong sends some IDs as JSON numbers beyond 2^53 (`integrationId`, scorecard IDs, task IDs). The
 * emulator keeps them as digit strings internally and marks them with `jsonNumber` to emit the exact
 * digits, never a rounded double.
 */
export function jsonNumber(digits: string): LosslessNumber {
  return new LosslessNumber(digits);
}

export function toJson(value: unknown): string {
  return stringify(value) ?? 'null';
}

/** Parses request bodies without losing digits: unsafe integers become digit strings. */
export function parseJson(text: string): unknown {
  return parse(text, null, (digits) => (isSafeNumber(digits) ? Number(digits) : digits));
}
