import type { Command } from 'commander';
import { TemporalApiKeyStore } from '../../api/auth/api-keys';
import { createApiServer } from '../../api/server';
import { definitionsDirOf } from '../../api/services/definitions';
import { loadConfig } from '../../config/load';
import { createConnectionsRuntime } from '../../connections/runtime';
import { GongflowError } from '../../core/errors';
import { startEmulator, type GongEmulator } from '../../emulator';
import { createGongflowClient } from '../../runs/client';
import { resolveTemporal } from '../../temporal/connection';
import { temporalUiCodecEndpoint } from '../../temporal/ui-codec';
import { createGongflowWorker, type GongflowWorker } from '../../workers/worker';
import type { CliOutput } from '../output';
import { untilInterrupted } from './worker';

interface ServerOptions {
  config?: string;
  host?: string;
  port?: string;
  worker?: boolean;
  emulator?: boolean;
  logLevel?: string;
}

export function registerServerCommand(program: Command, output: CliOutput): void {
  program
    .command('server')
    .description(
      'Run the HTTP API (OpenAPI at /openapi.json) and, unless --no-worker, a worker in the same process. ' +
        'Starts the embedded Temporal dev server when no temporal.address is configured.',
    )
    .option('--host <host>', 'address to listen on (default: http.host)')
    .option('--port <port>', 'port to listen on (default: http.port, env GONGFLOW_HTTP_PORT)')
    .option('--no-worker', 'serve the API only (workers run elsewhere: `gongflow worker`)')
    .option('--emulator', 'also start the Gong emulator and register it as the connection "emulator"')
    .option('--log-level <level>', 'HTTP request log level (fatal, error, warn, info, debug)', 'warn')
    .option('--config <file>', 'configuration file (default: ./temporal.yaml)')
    .action(async (options: ServerOptions) => {
      await runServer(options, output);
    });
}

async function runServer(options: ServerOptions, output: CliOutput): Promise<void> {
  const loaded = loadConfig(options.config ? { file: options.config } : {});
  const { config } = loaded;
  const port = options.port === undefined ? config.http.port : Number(options.port);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new GongflowError('CLI_INVALID_OPTION', `--port ${options.port} is not a port number.`);
  }
  const log = (message: string): void => output.info(`· ${message}`);
  const host = options.host ?? config.http.host;
  const uiCodecEndpoint = temporalUiCodecEndpoint(loaded, { host, port });
  const endpoint = await resolveTemporal(loaded, { log, ...(uiCodecEndpoint ? { uiCodecEndpoint } : {}) });
  let emulator: GongEmulator | undefined;
  let worker: GongflowWorker | undefined;
  let workerRun: Promise<void> | undefined;
  const temporal = await createGongflowClient({ endpoint, config, dataDir: loaded.dataDir });
  // Connections from temporal.yaml first, then the durable ones in Temporal (OAuth installs, added keys).
  const runtime = createConnectionsRuntime({ config, dataDir: loaded.dataDir, client: temporal.client });
  const connections = runtime.resolver;
  try {
    if (options.emulator) {
      emulator = await startEmulator({ port: 0 });
      runtime.configured.register({
        id: 'emulator',
        type: 'key',
        baseUrl: emulator.defaultCompany.apiBaseUrl,
        accessKey: emulator.defaultCompany.accessKey,
        accessKeySecret: emulator.defaultCompany.accessKeySecret,
      });
      log(`Gong emulator at ${emulator.defaultCompany.apiBaseUrl} (connection "emulator")`);
    }
    if (options.worker !== false) {
      worker = await createGongflowWorker({ endpoint, config, connections, dataDir: loaded.dataDir });
      workerRun = worker.run();
      log(`Worker polling task queue "${worker.taskQueue}"`);
    }
    const apiKeys = new TemporalApiKeyStore(temporal.client, { taskQueue: config.worker.taskQueue });
    const app = await createApiServer({
      config,
      client: temporal.client,
      namespace: endpoint.namespace,
      taskQueue: config.worker.taskQueue,
      uiUrl: endpoint.uiUrl,
      connections,
      definitionsDir: definitionsDirOf(loaded),
      dataDir: loaded.dataDir,
      apiKeys,
      logger: { level: options.logLevel ?? 'warn' },
    });
    const url = await app.listen({ host, port });
    output.info(
      `gongflow API at ${url} (OpenAPI: ${url}/openapi.json; definitions from ${definitionsDirOf(loaded)})`,
    );
    if (uiCodecEndpoint) {
      // Payloads are encrypted: the Temporal UI shows them through this endpoint (keep the URL private).
      output.info(
        `Temporal UI codec endpoint: ${uiCodecEndpoint}` +
          (endpoint.devServer
            ? ' (the dev server gongflow starts has it)'
            : " (enter it in the Temporal UI's codec server settings)"),
      );
    }
    if (!config.http.publicUrl) {
      // The JWT of a Gong delivery names the URL it was sent to; only a configured URL can be trusted for it.
      output.info(
        '⚠ http.publicUrl is not set: signed Gong webhook deliveries are refused (WEBHOOK_PUBLIC_URL_UNSET). Set it in temporal.yaml to the URL Gong reaches this server at.',
      );
    }
    if ((await apiKeys.list()).length === 0) {
      output.info('No API keys yet: create one with `gongflow api-keys create --name <who>`.');
    }
    output.info('Ctrl-C stops it.');
    await Promise.race([untilInterrupted(), ...(workerRun ? [workerRun] : [])]);
    output.info('Stopping ...');
    await app.close();
  } finally {
    await worker?.shutdown();
    await workerRun?.catch(() => undefined);
    await temporal.close();
    await emulator?.close();
    await endpoint.close();
  }
}
