import {
  CancellationScope,
  ContinueAsNew,
  isCancellation,
  proxySinks,
  TemporalFailure,
  type Sinks,
} from '@temporalio/workflow';

/** How a run ended, as Temporal records it when the workflow itself decides (terminations and timeouts it never sees). */
export type RunEndStatus = 'completed' | 'failed' | 'cancelled';

/**
 * What runs tell the worker's metrics (observability/run-metrics-sink.ts). A sink, not an activity: it adds
 * nothing to the run's history, and the SDK does not call it while a run replays (a worker that takes over a
 * run, a query on a closed run), so each run is counted once, by the worker that ran the task that ended it.
 */
export interface RunMetricsSinks extends Sinks {
  runMetrics: {
    begun(definition: string): void;
    ended(definition: string, status: RunEndStatus): void;
  };
}

const { runMetrics } = proxySinks<RunMetricsSinks>();

/**
 * Runs a run's body and counts how it ended, the way the SDK will close the workflow: cancelled when the
 * run was asked to cancel and ends by that cancellation, failed on a Temporal failure, completed when it
 * returns. Another error fails the workflow task, not the run (it is retried): not counted. A run that
 * continues as new is counted once, when its last execution ends (`continued`: this execution is not its first).
 */
export async function countedRun<T>(
  definition: string,
  continued: boolean,
  body: () => Promise<T>,
): Promise<T> {
  if (!continued) runMetrics.begun(definition);
  let result: T;
  try {
    result = await body();
  } catch (error) {
    if (error instanceof ContinueAsNew) throw error;
    if (CancellationScope.current().consideredCancelled && isCancellation(error))
      runMetrics.ended(definition, 'cancelled');
    else if (error instanceof TemporalFailure) runMetrics.ended(definition, 'failed');
    throw error;
  }
  runMetrics.ended(definition, 'completed');
  return result;
}
