import { isSafeNumber, parse } from 'lossless-json';

/**
 * Gong IDs exceed 2^53 and some arrive as JSON numbers (e.g. `integrationId`, scorecard ids). Parsing
 * with JSON.parse would silently round them; here unsafe integers become exact digit strings instead.
 */
export function parseGongJson(text: string): unknown {
  if (text.trim() === '') return undefined;
  return parse(text, undefined, (digits) =>
    isSafeNumber(digits) ? Number(digits) : /^-?\d+$/.test(digits) ? digits : Number(digits),
  );
}
