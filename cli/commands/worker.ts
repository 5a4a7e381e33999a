import type { Command } from 'commander';
import { loadConfig } from '../../config/load';
import { createConnectionsRuntime } from '../../connections/runtime';
import { createGongflowClient } from '../../runs/client';
import { resolveTemporal } from '../../temporal/connection';
import { createGongflowWorker } from '../../workers/worker';
import { serveMetrics } from '../../observability/metrics-server';
import type { CliOutput } from '../output';

interface WorkerOptions {
  config?: string;
  taskQueue?: string;
}

export function registerWorkerCommand(program: Command, output: CliOutput): void {
  program
    .command('worker')
    .description(
      'Run a worker: it executes runs (orchestrations and their Gong activities) from the task queue until Ctrl-C. ' +
        'Start as many as you need, on as many machines.',
    )
    .option('--task-queue <name>', 'task queue to poll (default: worker.taskQueue)')
    .option('--config <file>', 'configuration file (default: ./temporal.yaml)')
    .action(async (options: WorkerOptions) => {
      const loaded = loadConfig(options.config ? { file: options.config } : {});
      const log = (message: string): void => output.info(`· ${message}`);
      const endpoint = await resolveTemporal(loaded, { log });
      const temporal = await createGongflowClient({
        endpoint,
        config: loaded.config,
        dataDir: loaded.dataDir,
      });
      try {
        // Connections from temporal.yaml first, then the durable ones in Temporal (OAuth installs, added keys).
        const runtime = createConnectionsRuntime({
          config: loaded.config,
          dataDir: loaded.dataDir,
          client: temporal.client,
          ...(options.taskQueue ? { taskQueue: options.taskQueue } : {}),
        });
        const worker = await createGongflowWorker({
          endpoint,
          config: loaded.config,
          connections: runtime.resolver,
          dataDir: loaded.dataDir,
          ...(options.taskQueue ? { taskQueue: options.taskQueue } : {}),
        });
        const { metricsPort, metricsHost } = loaded.config.worker;
        const metrics = metricsPort === undefined ? undefined : await serveMetrics(metricsPort, metricsHost);
        if (metrics) output.info(`Worker metrics on ${metrics.url}`);
        const { sdkMetricsAddress } = loaded.config.worker;
        if (sdkMetricsAddress) output.info(`Temporal SDK metrics on http://${sdkMetricsAddress}/metrics`);
        const running = worker.run();
        output.info(
          `Worker polling task queue "${worker.taskQueue}" on ${endpoint.address}. Ctrl-C stops it.`,
        );
        await Promise.race([untilInterrupted(), running]);
        output.info('Stopping the worker (finishing the tasks in hand) ...');
        await worker.shutdown();
        await metrics?.close();
      } finally {
        await temporal.close();
        await endpoint.close();
      }
    });
}

/** Resolves on the first SIGINT or SIGTERM. */
export function untilInterrupted(): Promise<void> {
  return new Promise((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
}
