import { Context } from '@temporalio/activity';
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { parseRunMarker, RUN_MARKERS, runMarkerKey, type BlobStore } from './blob-store';

export interface SweepBlobsArgs {
  /** Blobs of runs whose root run closed more than this long ago are deleted. */
  closedRunDays: number;
}

export interface SweepOutcome {
  runsSeen: number;
  runsExpired: number;
  blobsDeleted: number;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Retention of the blob store. Each run that wrote a blob left a marker (`runs/<run>/<sha256>`); a run's
 * markers expire once its root run (a sub-orchestration or batch reads its parent's blobs and the parent
 * theirs, so the whole tree counts) closed more than `closedRunDays` ago, or is gone from Temporal. A
 * blob is deleted when no marker is left for it. Blobs written before markers existed have none and are
 * kept: delete them by hand once no run from before the upgrade is open.
 */
export async function sweepBlobs(
  store: BlobStore,
  client: Client,
  args: SweepBlobsArgs,
  onProgress: () => void = () => undefined,
): Promise<SweepOutcome> {
  const cutoff = Date.now() - args.closedRunDays * DAY_MS;
  const listedFrom = await storeClock(store);
  const blobsOfRun = new Map<string, Set<string>>();
  const runsOfBlob = new Map<string, Set<string>>();
  for await (const { key } of store.list(RUN_MARKERS)) {
    const marker = parseRunMarker(key);
    if (!marker) continue;
    add(blobsOfRun, marker.workflowId, marker.blobId);
    add(runsOfBlob, marker.blobId, marker.workflowId);
  }
  const outcome: SweepOutcome = { runsSeen: blobsOfRun.size, runsExpired: 0, blobsDeleted: 0 };
  const orphaned = new Set<string>();
  for (const [workflowId, blobs] of blobsOfRun) {
    onProgress();
    if (!(await closedBefore(client, workflowId, cutoff))) continue;
    outcome.runsExpired += 1;
    for (const blobId of blobs) {
      await store.delete(runMarkerKey(workflowId, blobId));
      const runs = runsOfBlob.get(blobId);
      runs?.delete(workflowId);
      if (runs?.size === 0) orphaned.add(blobId);
    }
  }
  // A blob written again since the listing began (same content, a new run: its marker is newer than our
  // listing) keeps its data; same-second writes count as newer, so the doubt goes to keeping.
  const rewritten = new Set<string>();
  for await (const { key, lastModified } of store.list('')) {
    if (orphaned.has(key) && lastModified.getTime() >= listedFrom) rewritten.add(key);
  }
  for (const blobId of orphaned) {
    if (rewritten.has(blobId)) continue;
    await store.delete(blobId);
    outcome.blobsDeleted += 1;
  }
  return outcome;
}

const CLOCK_KEY = 'sweep-clock';

/**
 * The store's own time, read back from an object written now: write times of blobs come from the store's
 * clock (S3 keeps them to the second), not this machine's, so they are only comparable with it.
 */
async function storeClock(store: BlobStore): Promise<number> {
  await store.put(CLOCK_KEY, new Uint8Array());
  for await (const { key, lastModified } of store.list(CLOCK_KEY)) {
    if (key === CLOCK_KEY) return lastModified.getTime();
  }
  throw new Error(`The blob store ${store.location} did not list ${CLOCK_KEY} right after it was written.`);
}

/** Whether the run's root run closed before `cutoff` (epoch ms), or no longer exists. */
async function closedBefore(client: Client, workflowId: string, cutoff: number): Promise<boolean> {
  try {
    let description = await client.workflow.getHandle(workflowId).describe();
    // Walk up to the root: children live as long as the run that reads their results.
    for (let depth = 0; description.parentExecution && depth < 32; depth++) {
      const parentId = description.parentExecution.workflowId;
      if (!parentId) break;
      description = await client.workflow.getHandle(parentId).describe();
    }
    if (description.status.name === 'RUNNING') return false;
    return (description.closeTime?.getTime() ?? 0) < cutoff;
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) return true;
    throw error;
  }
}

function add(map: Map<string, Set<string>>, key: string, value: string): void {
  let set = map.get(key);
  if (!set) map.set(key, (set = new Set()));
  set.add(value);
}

/** The sweep as an activity (started by the retention schedule), heartbeating as it goes. */
export function createBlobRetentionActivities(store: BlobStore) {
  return {
    async sweepBlobs(args: SweepBlobsArgs): Promise<SweepOutcome> {
      const context = Context.current();
      const outcome = await sweepBlobs(store, context.client, args, () => context.heartbeat());
      context.log.info('Blob retention sweep', { location: store.location, ...outcome });
      return outcome;
    },
  };
}
