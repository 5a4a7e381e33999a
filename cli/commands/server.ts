import type { Command } from 'commander';
import { TemporalApiKeyStore } from '../../api/auth/api-keys';
import { createApiServer } from '../../api/server';
import { definitionsDirOf } from '../../api/services/definitions';
import { loadConfig } from '../../config/load';
import { announceEmulator, EMULATOR_CONNECTION_ID } from '../../connections/local-emulator';
import { createConnectionsRuntime } from '../../connections/runtime';
import { GongflowError } from '../../core/errors';
import { startEmulator, type GongEmulator } from '../../emulator';
import { createGongflowClient } from '../../runs/client';
import { resolveTemporal } from '../../temporal/connection';
import { temporalUiCodecEndpoint } from '../../temporal/ui-codec';
import { createGongflowWorker, type GongflowWorker } from '../../workers/worker';
import type { CliOutput } from '../output';
import { describeEmulator } from './emulator';
import { untilInterrupted } from './worker';

function portOption(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new GongflowError('CLI_INVALID_OPTION', `${name} ${value} is not a port number.`, {
      hint: 'Give a port from 1 to 65535, or 0 for a free one.',
    });
  }
  return port;
}

interface ServerOptions {
  config?: string;
  host?: string;
  port?: string;
  worker?: boolean;
  emulator?: boolean;
  emulatorPort?: string;
  emulatorCompanyPort?: string;
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
    .option(
      '--emulator-port <port>',
      "the emulator's app host port (OAuth, /_emulator admin API); default free",
    )
    .option('--emulator-company-port <port>', "the emulator company's API host port; default free")
    .option('--log-level <level>', 'HTTP request log level (fatal, error, warn, info, debug)', 'warn')
    .option('--config <file>', 'configuration file (default: ./temporal.yaml)')
    .action(async (options: ServerOptions) => {
      await runServer(options, output);
    });
}

async function runServer(options: ServerOptions, output: CliOutput): Promise<void> {
  const loaded = loadConfig(options.config ? { file: options.config } : {});
  const { config } = loaded;
  const port = portOption('--port', options.port, config.http.port);
  const emulatorPort = portOption('--emulator-port', options.emulatorPort, 0);
  const emulatorCompanyPort = portOption('--emulator-company-port', options.emulatorCompanyPort, 0);
  const log = (message: string): void => output.info(`· ${message}`);
  const host = options.host ?? config.http.host;
  const uiCodecEndpoint = temporalUiCodecEndpoint(loaded, { host, port });
  const endpoint = await resolveTemporal(loaded, { log, ...(uiCodecEndpoint ? { uiCodecEndpoint } : {}) });
  let emulator: GongEmulator | undefined;
  let withdrawEmulator: (() => void) | undefined;
  let worker: GongflowWorker | undefined;
  let workerRun: Promise<void> | undefined;
  // Requests answer 503 TEMPORAL_UNAVAILABLE within seconds when Temporal is down, not after ~20 s.
  const temporal = await createGongflowClient({
    endpoint,
    config,
    dataDir: loaded.dataDir,
    retries: 'fail-fast',
  });
  // Connections from temporal.yaml first, then the durable ones in Temporal (OAuth installs, added keys).
  const runtime = createConnectionsRuntime({ config, dataDir: loaded.dataDir, client: temporal.client });
  const connections = runtime.resolver;
  try {
    if (options.emulator) {
      emulator = await startEmulator({ port: emulatorPort, companyPort: emulatorCompanyPort }).catch(
        (error: unknown) => {
          throw new GongflowError(
            'EMULATOR_START_FAILED',
            `The Gong emulator could not start: ${error instanceof Error ? error.message : String(error)}`,
            { hint: 'Is the port already in use? Pick other --emulator-port / --emulator-company-port.' },
          );
        },
      );
      const emulatorConnection = {
        baseUrl: emulator.defaultCompany.apiBaseUrl,
        accessKey: emulator.defaultCompany.accessKey,
        accessKeySecret: emulator.defaultCompany.accessKeySecret,
      };
      runtime.configured.register({ id: EMULATOR_CONNECTION_ID, type: 'key', ...emulatorConnection });
      // Other gongflow commands of the project (run, connections list, a worker) know it while it runs.
      withdrawEmulator = announceEmulator(loaded.dataDir, emulatorConnection);
      log('Gong emulator (connection "emulator"):');
      describeEmulator(emulator, output, '    ');
    }
    if (options.worker !== false) {
      worker = await createGongflowWorker({ endpoint, config, connections, dataDir: loaded.dataDir });
      workerRun = worker.run();
      log(`Worker polling task queue "${worker.taskQueue}"`);
      // The API's /metrics has this worker's gongflow families; the SDK's own are on their endpoint.
      if (config.worker.sdkMetricsAddress)
        log(`Temporal SDK metrics on http://${config.worker.sdkMetricsAddress}/metrics`);
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
    withdrawEmulator?.();
    await emulator?.close();
    await endpoint.close();
  }
}
