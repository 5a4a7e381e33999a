import v8 from 'node:v8';

/**
 * What a worker may spend on each run it keeps cached between workflow tasks, in MiB. Measured
 * (BENCHMARKS.md, "Waiting runs" and "Cached run memory"): 2.7-2.9 MB of resident memory per run waiting on an
 * approval or a sleep since runs are traced, before CEL and the OpenTelemetry conventions were shared by a
 * thread's runs (workflows/shared-modules.ts); since, 1.4-1.9 MB of heap per waiting run and 1.5-2.6 MB per
 * cached poller, growing with the number cached (200 and 300 runs). At 4 MiB a worker with a 4 GiB heap cached
 * 986 runs, and its workflow thread ran out of heap between 2,000 and 2,500 waiting runs (the cache full, runs
 * still starting: live runs plus the garbage of those starting). 8 MiB keeps ~3× over the largest measured.
 */
export const CACHED_RUN_MIB = 8;

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
