import { workflowSpanSink } from '../observability/tracing';
import { runMetricsSink } from './run-metrics-sink';

/**
 * The sinks workflow code calls, for a live worker and for replay workers (`Worker.runReplayHistories`: replay
 * tests, benchmarks) alike, so a replay finds every sink the code calls (a missing one logged an "unregistered
 * external sink" error per call). Neither sink acts on replay (`callDuringReplay` is off): spans and run counts
 * are the live run's.
 */
export function workerSinks() {
  return { exporter: workflowSpanSink(), runMetrics: runMetricsSink() };
}
