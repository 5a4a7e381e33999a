import v8 from 'node:v8';

/**
 * What a worker may spend on each run it keeps cached between workflow tasks, in MiB. Measured
 * (BENCHMARKS.md, "Cached run memory", `bench/cached-run-memory.bench.ts`): 1.9-2.8 MB of resident memory per
 * cached poller, 0.9-1.9 MB per bare timer loop; ~0.9 MB per run waiting on an approval ("Waiting runs").
 * Temporal's own default assumes ~1.7 MB (600 runs a GiB of heap): a worker holding ~2,000 pollers and loops
 * ran its workflow thread out of heap with it ("Trigger scale"). 4 MiB keeps ~1.5× over the largest measured.
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
