import { DefaultLogger, Runtime, type LogEntry, type LogLevel } from '@temporalio/worker';

let installed = false;

/** How worker and activity logs are written to stderr (`worker.logFormat` in temporal.yaml). */
export type LogFormat = 'text' | 'json';

/**
 * Installs the Temporal runtime once per process with gongflow's log level and format (the SDK allows one
 * install). The SDK's own lines and gongflow's activity logs go through the same logger, with the context
 * Temporal adds (workflowId, runId, activityType, taskQueue) and what gongflow adds (step, action, connection).
 */
export function installWorkerRuntime(logLevel: LogLevel, format: LogFormat = 'text'): void {
  if (installed) return;
  Runtime.install({
    logger: format === 'json' ? new DefaultLogger(logLevel, writeJsonLine) : new DefaultLogger(logLevel),
  });
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
