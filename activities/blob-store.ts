import { createHash, randomUUID } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ApplicationFailure, Context } from '@temporalio/activity';
import { DEFAULT_BLOB_THRESHOLD_BYTES, isBlobRef, type BlobRef } from '../workflows/interpreter/blob-ref';

/** One stored object, as a listing shows it. */
export interface StoredBlob {
  key: string;
  lastModified: Date;
}

/**
 * Where results too large for workflow history are kept (claim check). Keys are `/`-separated paths of
 * letters, digits, `_` and `-`: a blob's data is at `<sha256>`, and each run that wrote it leaves an empty
 * marker at `runs/<run>/<sha256>` (what retention works from, see blob-retention.ts). Two stores: files on
 * one machine (LocalFileBlobStore), S3's API for a fleet (S3BlobStore); `createBlobStore` chooses.
 * Blobs go through the same encryption as payloads when a codec is configured.
 */
export interface BlobStore {
  /** Where the blobs are, for logs and errors (a folder or s3://bucket/prefix). */
  readonly location: string;
  put(key: string, data: Uint8Array): Promise<void>;
  get(key: string): Promise<Uint8Array>;
  /** Every key under a prefix (`runs/`), with its last write time. */
  list(prefix: string): AsyncIterable<StoredBlob>;
  /** Deletes a key; deleting a missing one is not an error. */
  delete(key: string): Promise<void>;
  /** Releases connections (the worker calls it when it stops). */
  close?(): void;
}

/** A store answers this for a key it does not have (a blob deleted by retention, or another store's). */
export class BlobNotFoundError extends Error {
  constructor(
    readonly key: string,
    location: string,
  ) {
    super(`Blob ${key} is not in ${location}.`);
  }
}

const KEY = /^[A-Za-z0-9_-]+(\/[A-Za-z0-9_-]+)*$/;

export function assertBlobKey(key: string): void {
  if (!KEY.test(key)) throw new Error(`Invalid blob key ${JSON.stringify(key)}.`);
}

/** Blobs as files under `<dataDir>/blobs/` (`<key>.json`), written atomically (temp file + rename). */
export class LocalFileBlobStore implements BlobStore {
  constructor(private readonly directory: string) {}

  get location(): string {
    return this.directory;
  }

  async put(key: string, data: Uint8Array): Promise<void> {
    const target = this.file(key);
    await mkdir(path.dirname(target), { recursive: true });
    const temporary = `${target}.${randomUUID()}.tmp`;
    await writeFile(temporary, data);
    await rename(temporary, target);
  }

  async get(key: string): Promise<Uint8Array> {
    try {
      return await readFile(this.file(key));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new BlobNotFoundError(key, this.location);
      throw error;
    }
  }

  async *list(prefix: string): AsyncIterable<StoredBlob> {
    yield* this.walk('', prefix);
  }

  async delete(key: string): Promise<void> {
    await rm(this.file(key), { force: true });
  }

  private async *walk(relative: string, prefix: string): AsyncIterable<StoredBlob> {
    let entries;
    try {
      entries = await readdir(path.join(this.directory, relative), { withFileTypes: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw error;
    }
    for (const entry of entries) {
      const child = relative ? `${relative}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        if (child.startsWith(prefix) || prefix.startsWith(`${child}/`)) yield* this.walk(child, prefix);
      } else if (entry.name.endsWith('.json')) {
        const key = child.slice(0, -'.json'.length);
        if (key.startsWith(prefix) && KEY.test(key)) {
          const { mtime } = await stat(path.join(this.directory, child));
          yield { key, lastModified: mtime };
        }
      }
    }
  }

  private file(key: string): string {
    assertBlobKey(key);
    return path.join(this.directory, `${key}.json`);
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

/** The marker a run leaves for each blob it wrote: `runs/<base64url(workflow id)>/<sha256>`. */
export function runMarkerKey(workflowId: string, blobId: string): string {
  return `${RUN_MARKERS}${Buffer.from(workflowId).toString('base64url')}/${blobId}`;
}

export const RUN_MARKERS = 'runs/';

/** `runs/<run>/<sha256>` -> the run's workflow id and the blob id. */
export function parseRunMarker(key: string): { workflowId: string; blobId: string } | undefined {
  const [root, run, blobId, ...rest] = key.split('/');
  if (`${root}/` !== RUN_MARKERS || !run || !blobId || rest.length > 0) return undefined;
  return { workflowId: Buffer.from(run, 'base64url').toString('utf8'), blobId };
}

/** The workflow the current activity works for, if called from an activity. */
function writingRun(): string | undefined {
  try {
    return Context.current().info.workflowExecution?.workflowId;
  } catch {
    return undefined;
  }
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
  // The marker first: retention never sees the data without the run that needs it.
  const run = writingRun();
  if (run) await settings.store.put(runMarkerKey(run, id), new Uint8Array());
  await settings.store.put(id, settings.seal ? await settings.seal(data) : data);
  const ref: BlobRef = { $gongflowBlob: { id, bytes, sha256 } };
  return ref;
}

/** A missing blob fails the step for good: retrying cannot bring it back. */
async function readBlob(store: BlobStore, id: string): Promise<Uint8Array> {
  try {
    return await store.get(id);
  } catch (error) {
    if (!(error instanceof BlobNotFoundError)) throw error;
    throw ApplicationFailure.create({
      type: 'BlobMissingError',
      nonRetryable: true,
      message: `${error.message} Every worker must use the same blob store (blobs.s3 in temporal.yaml for a fleet); retention deletes the blobs of runs closed longer than blobs.retention.closedRunDays.`,
    });
  }
}

/** Replaces every blob reference inside a value with the stored value. */
export async function resolveBlobs(settings: BlobSettings, value: unknown): Promise<unknown> {
  if (isBlobRef(value)) {
    const raw = await readBlob(settings.store, value.$gongflowBlob.id);
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
