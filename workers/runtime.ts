import { DefaultLogger, Runtime, type LogEntry, type LogLevel, type LogMetadata } from '@temporalio/worker';
import { GongflowError } from '../core/errors';

let installed = false;

/** How worker and activity logs are written to stderr (`worker.logFormat` in temporal.yaml). */
export type LogFormat = 'text' | 'json';

export interface WorkerRuntimeOptions {
  logLevel: LogLevel;
  logFormat?: LogFormat;
  /** `worker.sdkMetricsAddress`: host:port of the SDK's Prometheus endpoint; absent, no SDK metrics. */
  sdkMetricsAddress?: string | undefined;
  /**
   * Leave out the SDK's "Activity failed" and "Workflow failed" lines. `gongflow dev` prints each step, its
   * retries and the run's failure itself, on one line each; the SDK's lines say the same with a sandbox stack
   * trace. Workers that serve a fleet keep them: there they are the operator's only record.
   */
  omitRunFailures?: boolean;
}

/** The SDK's messages for a failed activity attempt and a failed workflow (their `error` carries a stack). */
const RUN_FAILURE_MESSAGES = new Set(['Activity failed', 'Workflow failed']);

/** Whether the worker's logger writes this entry. */
export function shouldLog(
  entry: Pick<LogEntry, 'message'>,
  options: Pick<WorkerRuntimeOptions, 'omitRunFailures'>,
): boolean {
  return !(options.omitRunFailures && RUN_FAILURE_MESSAGES.has(entry.message));
}

/** The SDK's logger, in its own format, without the per-run failure lines (see `omitRunFailures`). */
class WithoutRunFailures extends DefaultLogger {
  override log(level: LogLevel, message: string, meta?: LogMetadata): void {
    if (shouldLog({ message }, { omitRunFailures: true })) super.log(level, message, meta);
  }
}

/**
 * Installs the Temporal runtime once per process with gongflow's log level and format (the SDK allows one
 * install). The SDK's own lines and gongflow's activity logs go through the same logger, with the context
 * Temporal adds (workflowId, runId, activityType, taskQueue) and what gongflow adds (step, action, connection).
 * With an SDK metrics address, the SDK's core serves its worker metrics there (one endpoint per process,
 * whatever number of workers it runs). Durations in seconds, as Prometheus names expect.
 */
export function installWorkerRuntime(options: WorkerRuntimeOptions): void {
  if (installed) return;
  const { logLevel, logFormat = 'text', sdkMetricsAddress } = options;
  const logger = options.omitRunFailures
    ? new WithoutRunFailures(logLevel, logFormat === 'json' ? writeJsonLine : undefined)
    : new DefaultLogger(logLevel, logFormat === 'json' ? writeJsonLine : undefined);
  try {
    Runtime.install({
      logger,
      ...(sdkMetricsAddress
        ? {
            telemetryOptions: {
              metrics: { prometheus: { bindAddress: sdkMetricsAddress, useSecondsForDurations: true } },
            },
          }
        : {}),
    });
  } catch (error) {
    if (!sdkMetricsAddress) throw error;
    // The usual cause is a port another process (or another worker of this machine) already holds.
    throw new GongflowError(
      'SDK_METRICS_UNAVAILABLE',
      `Temporal's SDK metrics could not be served on ${sdkMetricsAddress}: ${error instanceof Error ? error.message : String(error)}`,
      {
        hint: 'Choose a free host:port for worker.sdkMetricsAddress in temporal.yaml (one per process), or remove it.',
        cause: error,
      },
    );
  }
  installed = true;
}

/** One JSON object per line, context flattened beside time, level and message (what log pipelines index). */
export function jsonLogLine(entry: LogEntry): string {
  const time = new Date(Number(entry.timestampNanos / 1_000_000n)).toISOString();
  const context: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(entry.meta ?? {})) context[key] = loggable(value);
  return `${JSON.stringify({ ...context, time, level: entry.level, message: entry.message })}\n`;
}

function writeJsonLine(entry: LogEntry): void {
  process.stderr.write(jsonLogLine(entry));
}

/** Errors as their name and message (their stack on a line of its own would break the format). */
function loggable(value: unknown): unknown {
  if (value instanceof Error) return { name: value.name, message: value.message };
  if (typeof value === 'bigint') return value.toString();
  return value;
}
