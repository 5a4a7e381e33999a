import { DefaultLogger, Runtime, type LogLevel } from '@temporalio/worker';

let installed = false;

/** Installs the Temporal runtime once per process with gongflow's log level (the SDK allows one install). */
export function installWorkerRuntime(logLevel: LogLevel): void {
  if (installed) return;
  Runtime.install({ logger: new DefaultLogger(logLevel) });
  installed = true;
}
