/**
 * A claim check: a value too large for workflow history, stored in the blob store by an activity and
 * carried through history as this small reference. Pure: shared by workflows and activities.
 */
export interface BlobRef {
  $gongflowBlob: {
    id: string;
    /** Size of the stored JSON. */
    bytes: number;
    sha256: string;
  };
}

/** Results above this size are stored outside history (Temporal warns at 256 KB and refuses 2 MB). */
export const DEFAULT_BLOB_THRESHOLD_BYTES = 128 * 1024;

export function isBlobRef(value: unknown): value is BlobRef {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const inner = (value as Partial<BlobRef>).$gongflowBlob;
  return typeof inner === 'object' && inner !== null && typeof inner.id === 'string';
}

/** True when a value holds a blob reference anywhere inside. */
export function containsBlobRef(value: unknown): boolean {
  if (isBlobRef(value)) return true;
  if (Array.isArray(value)) return value.some(containsBlobRef);
  if (typeof value === 'object' && value !== null) return Object.values(value).some(containsBlobRef);
  return false;
}

/** Approximate JSON size (UTF-16 length is close enough to decide about a threshold). */
export function jsonSize(value: unknown): number {
  return value === undefined ? 0 : (JSON.stringify(value)?.length ?? 0);
}
