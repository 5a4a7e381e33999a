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
  return sha256Hex(canonicalJsonWithoutPositions(plan));
}

/**
 * `canonicalJson(withoutPositions(value))` from one copy of the value instead of two (a 1,000-step definition
 * spent an eighth of its validation copying its plan twice and collecting the copies). The text must stay
 * exactly theirs, or every deployed plan's hash would change: definitions/hash.test.ts compares the two.
 */
export function canonicalJsonWithoutPositions(value: unknown): string {
  return JSON.stringify(sortedWithoutPositions(value, true));
}

function sortedWithoutPositions(value: unknown, strip: boolean): unknown {
  if (Array.isArray(value)) return value.map((item: unknown) => sortedWithoutPositions(item, strip));
  if (value === null || typeof value !== 'object') return value;
  const record = value as Record<string, unknown>;
  // A literal is hashed as written; a plan (the definition's or an embedded sub-flow's) without its source
  // and hash.
  const stripHere = strip && !(record['t'] === 'lit' && 'v' in record);
  const isPlan = stripHere && 'formatVersion' in record && 'steps' in record;
  // A plain object (fast properties, unlike one without a prototype); a `__proto__` key is defined as an own
  // key like any other, as Object.fromEntries makes it, instead of setting the prototype.
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(record).sort()) {
    const item = record[key];
    if (
      stripHere &&
      ((key === 'at' && isSourceRef(item)) || (isPlan && (key === 'source' || key === 'hash')))
    )
      continue;
    const sorted = sortedWithoutPositions(item, stripHere);
    if (key === '__proto__')
      Object.defineProperty(copy, key, {
        value: sorted,
        enumerable: true,
        writable: true,
        configurable: true,
      });
    else copy[key] = sorted;
  }
  return copy;
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
