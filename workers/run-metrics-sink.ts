import type { InjectedSinks } from '@temporalio/worker';
import { runMetrics } from '../observability/metrics';
import type { RunMetricsSinks } from '../workflows/run-metrics';

/**
 * Where runs' counts leave the workflow sandbox (workflows/run-metrics.ts). `callDuringReplay: false`
 * (the SDK's default, spelled out because the counts depend on it): a replayed run is not counted again.
 */
export function runMetricsSink(): InjectedSinks<RunMetricsSinks>['runMetrics'] {
  return {
    begun: { fn: (_info, definition) => runMetrics.started.inc({ definition }), callDuringReplay: false },
    ended: {
      fn: (_info, definition, status) => runMetrics.ended.inc({ definition, status }),
      callDuringReplay: false,
    },
  };
}
