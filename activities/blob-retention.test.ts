import { mkdtempSync } from 'node:fs';
import { utimes } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { BlobNotFoundError, LocalFileBlobStore, runMarkerKey } from './blob-store';
import { sweepBlobs } from './blob-retention';

/** Runs as Temporal would describe them: open, closed (when), or a child of another run. */
type Run = { open: true } | { closedDaysAgo: number } | { parent: string };

function fakeClient(runs: Record<string, Run>): Client {
  const describe = (workflowId: string) => {
    const run = runs[workflowId];
    if (!run) return Promise.reject(new WorkflowNotFoundError('gone', workflowId, undefined));
    if ('parent' in run)
      return Promise.resolve({ status: { name: 'RUNNING' }, parentExecution: { workflowId: run.parent } });
    if ('open' in run) return Promise.resolve({ status: { name: 'RUNNING' } });
    const closeTime = new Date(Date.now() - run.closedDaysAgo * 24 * 60 * 60 * 1000);
    return Promise.resolve({ status: { name: 'COMPLETED' }, closeTime });
  };
  return { workflow: { getHandle: (id: string) => ({ describe: () => describe(id) }) } } as unknown as Client;
}

async function storeWith(blobsOfRuns: Record<string, string[]>): Promise<LocalFileBlobStore> {
  const directory = mkdtempSync(path.join(os.tmpdir(), 'gongflow-retention-unit-'));
  const store = new LocalFileBlobStore(directory);
  // Written an hour ago: a blob written in the sweep's own clock tick counts as rewritten and is kept.
  const anHourAgo = new Date(Date.now() - 60 * 60 * 1000);
  for (const [run, blobs] of Object.entries(blobsOfRuns)) {
    for (const blob of blobs) {
      await store.put(runMarkerKey(run, blob), new Uint8Array());
      await store.put(blob, new TextEncoder().encode(`"${blob}"`));
      await utimes(path.join(directory, `${blob}.json`), anHourAgo, anHourAgo);
    }
  }
  return store;
}

async function keys(store: LocalFileBlobStore): Promise<string[]> {
  const found: string[] = [];
  for await (const { key } of store.list('')) found.push(key);
  return found.sort();
}

describe('sweepBlobs', () => {
  it('deletes the blobs of runs closed longer ago than the retention, and only those', async () => {
    const store = await storeWith({
      'old/run': ['aaa', 'shared'],
      recent: ['bbb'],
      open: ['ccc', 'shared'],
      vanished: ['ddd'],
      child: ['eee'],
    });
    const client = fakeClient({
      'old/run': { closedDaysAgo: 40 },
      recent: { closedDaysAgo: 2 },
      open: { open: true },
      child: { parent: 'open' },
    });

    const outcome = await sweepBlobs(store, client, { closedRunDays: 30 });

    expect(outcome).toEqual({ runsSeen: 5, runsExpired: 2, blobsDeleted: 2 });
    const left = await keys(store);
    // 'shared' stays: the open run wrote the same content; the child lives as long as its open parent.
    expect(left.filter((key) => !key.startsWith('runs/') && key !== 'sweep-clock')).toEqual([
      'bbb',
      'ccc',
      'eee',
      'shared',
    ]);
    await expect(store.get('aaa')).rejects.toBeInstanceOf(BlobNotFoundError);
    expect(left).not.toContain(runMarkerKey('old/run', 'shared'));
    expect(left).toContain(runMarkerKey('open', 'shared'));
  });
});
