import { createHash, randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { DEFAULT_BLOB_THRESHOLD_BYTES, isBlobRef, type BlobRef } from '../workflows/interpreter/blob-ref';

/**
 * Where results too large for workflow history are kept (claim check). Pluggable: the local-files store
 * serves one machine; a shared store (S3, GCS, a database) is one class implementing this for a fleet.
 * Blobs go through the same encryption as payloads when a codec is configured (see `encryptBlob`).
 */
export interface BlobStore {
  put(id: string, data: Uint8Array): Promise<void>;
  get(id: string): Promise<Uint8Array>;
}

/** Blobs as files under `<dataDir>/blobs/`, written atomically (temp file + rename). */
export class LocalFileBlobStore implements BlobStore {
  constructor(private readonly directory: string) {}

  async put(id: string, data: Uint8Array): Promise<void> {
    await mkdir(this.directory, { recursive: true });
    const target = this.file(id);
    const temporary = `${target}.${randomUUID()}.tmp`;
    await writeFile(temporary, data);
    await rename(temporary, target);
  }

  async get(id: string): Promise<Uint8Array> {
    return readFile(this.file(id));
  }

  private file(id: string): string {
    if (!/^[a-zA-Z0-9_-]+$/.test(id)) throw new Error(`Invalid blob id ${JSON.stringify(id)}.`);
    return path.join(this.directory, `${id}.json`);
  }
}

export interface BlobSettings {
  store: BlobStore;
  thresholdBytes: number;
  /** Optional at-rest protection of blob contents (the payload codec's cipher). */
  seal?: (data: Uint8Array) => Promise<Uint8Array>;
  unseal?: (data: Uint8Array) => Promise<Uint8Array>;
}

export function defaultBlobSettings(dataDir: string): BlobSettings {
  return {
    store: new LocalFileBlobStore(path.join(dataDir, 'blobs')),
    thresholdBytes: DEFAULT_BLOB_THRESHOLD_BYTES,
  };
}

/** Stores a value when its JSON exceeds the threshold and returns a reference; else returns it as is. */
export async function offloadIfLarge(settings: BlobSettings, value: unknown): Promise<unknown> {
  if (value === undefined) return value;
  const json = JSON.stringify(value);
  const bytes = Buffer.byteLength(json);
  if (bytes <= settings.thresholdBytes) return value;
  const sha256 = createHash('sha256').update(json).digest('hex');
  // Content-addressed: a retried activity writes the same blob again instead of leaking a new one.
  const id = sha256;
  const data = new TextEncoder().encode(json);
  await settings.store.put(id, settings.seal ? await settings.seal(data) : data);
  const ref: BlobRef = { $gongflowBlob: { id, bytes, sha256 } };
  return ref;
}

/** Replaces every blob reference inside a value with the stored value. */
export async function resolveBlobs(settings: BlobSettings, value: unknown): Promise<unknown> {
  if (isBlobRef(value)) {
    const raw = await settings.store.get(value.$gongflowBlob.id);
    const data = settings.unseal ? await settings.unseal(raw) : raw;
    return JSON.parse(new TextDecoder().decode(data)) as unknown;
  }
  if (Array.isArray(value)) return Promise.all(value.map((item) => resolveBlobs(settings, item)));
  if (typeof value === 'object' && value !== null) {
    const entries = await Promise.all(
      Object.entries(value).map(async ([key, item]) => [key, await resolveBlobs(settings, item)] as const),
    );
    return Object.fromEntries(entries);
  }
  return value;
}
