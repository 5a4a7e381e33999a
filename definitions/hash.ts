import { createHash } from 'node:crypto';

/** JSON with object keys sorted at every level: the same value always gives the same text. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((key) => [key, sortKeys((value as Record<string, unknown>)[key])]),
    );
  }
  return value;
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/**
 * The content hash of a plan: sha256 of its canonical JSON without what does not change behaviour: source
 * positions (`at`), file names (`source`) and the hash itself. So the same definition in YAML or in JSON,
 * wherever the file lives, has the same hash; literal values (`{t: 'lit', v}`) are hashed untouched.
 */
export function planHash(plan: object): string {
  return sha256Hex(canonicalJson(withoutPositions(plan)));
}

export function withoutPositions(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutPositions);
  if (value === null || typeof value !== 'object') return value;
  const record = value as Record<string, unknown>;
  if (record['t'] === 'lit' && 'v' in record) return record;
  const isPlan = 'formatVersion' in record && 'steps' in record;
  return Object.fromEntries(
    Object.entries(record)
      .filter(
        ([key, item]) =>
          !(key === 'at' && isSourceRef(item)) && !(isPlan && (key === 'source' || key === 'hash')),
      )
      .map(([key, item]) => [key, withoutPositions(item)]),
  );
}

function isSourceRef(value: unknown): boolean {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { line?: unknown }).line === 'number' &&
    typeof (value as { column?: unknown }).column === 'number'
  );
}
