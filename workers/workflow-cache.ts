import v8 from 'node:v8';

/**
 * What a worker may spend on each run it keeps cached between workflow tasks, in MiB. Measured
 * (BENCHMARKS.md, "Cached run memory" and "Waiting runs"): 0.33-0.44 MB of heap per cached run (bare loop,
 * run waiting on an approval, idle poller), the same with 50 or 400 runs cached, since the runs of a thread
 * share one AsyncLocalStorage (workflows/async-local-storage.ts). Before that, per-run heap grew with the runs
 * cached (1.9-2.6 MB each with 300), and at 4 MiB a run (986 cached on a 4 GiB heap) a workflow thread ran out
 * of heap between 2,000 and 2,500 waiting runs; 8 MiB was the answer then. 4 MiB keeps ~9× over the largest
 * heap a cached run now takes, for the garbage of runs starting and stepping between collections.
 */
export const CACHED_RUN_MIB = 4;

/** Heap kept for everything else, as Temporal's default keeps it. */
const RESERVED_HEAP_MIB = 200;

/**
 * `worker.maxCachedWorkflows` when temporal.yaml does not set it: as many runs as fit in this Node's heap
 * limit at CACHED_RUN_MIB each, never fewer than the workflow tasks the worker runs at once (a task runs on a
 * cached run, and Temporal would otherwise lower that concurrency to the cache size).
 */
export function defaultMaxCachedWorkflows(
  concurrentWorkflowTasks: number,
  heapLimitMiB = v8.getHeapStatistics().heap_size_limit / 1_048_576,
): number {
  const fits = Math.floor(Math.max(heapLimitMiB - RESERVED_HEAP_MIB, 0) / CACHED_RUN_MIB);
  return Math.max(fits, concurrentWorkflowTasks);
}
