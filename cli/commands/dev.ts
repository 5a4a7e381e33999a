import path from 'node:path';
import type { Command } from 'commander';
import { loadConfig } from '../../config/load';
import { announceEmulator, EMULATOR_CONNECTION_ID } from '../../connections/local-emulator';
import { StaticConnectionRegistry } from '../../connections/registry';
import { loadPlan } from '../../definitions/load';
import { planRef } from '../../definitions/plan';
import { startEmulator } from '../../emulator';
import { createGongflowClient } from '../../runs/client';
import { followRun } from '../../runs/follow';
import { startRun } from '../../runs/start';
import { PROJECT_ROOT } from '../../temporal/project-root';
import { resolveTemporal, runUiUrl } from '../../temporal/connection';
import { createGongflowWorker } from '../../workers/worker';
import type { CliOutput } from '../output';
import { runInput } from './run';
import { renderStepEvent } from './run-output';

export const DEFAULT_EXAMPLE = path.join(PROJECT_ROOT, 'definitions', 'examples', 'list-users.yaml');
export { EMULATOR_CONNECTION_ID };

interface DevOptions {
  input?: string;
  inputFile?: string;
  keep?: boolean;
  config?: string;
}

export function registerDevCommand(program: Command, output: CliOutput): void {
  program
    .command('dev')
    .description(
      'Run everything locally: start what is missing (Temporal dev server, Gong emulator, worker), run a definition ' +
        '(default: the list-users example) on the emulator, print each step and the result, then stop.',
    )
    .argument('[definition]', 'definition file to run', DEFAULT_EXAMPLE)
    .option('--input <json>', 'run input as JSON, or @file.json to read it from a file (@- : standard input)')
    .option('--input-file <path>', 'run input from a JSON file (- : standard input)')
    .option('--keep', 'leave the dev server, emulator and worker running after the run (Ctrl-C to stop)')
    .option('--config <file>', 'configuration file (default: ./temporal.yaml)')
    .action(async (definition: string, options: DevOptions) => {
      process.exitCode = await runDev(definition, options, output);
    });
}

async function runDev(definitionFile: string, options: DevOptions, output: CliOutput): Promise<number> {
  const loaded = loadConfig(options.config ? { file: options.config } : {});
  const plan = loadPlan(path.resolve(definitionFile));
  const input = runInput(options) ?? {};
  const log = (message: string): void => output.info(`· ${message}`);

  const endpoint = await resolveTemporal(loaded, { log, keepDevServer: options.keep === true });
  const emulator = await startEmulator({ port: 0 });
  log(
    `Gong emulator: app host ${emulator.appUrl}, company "${emulator.defaultCompany.name}" at ${emulator.defaultCompany.apiBaseUrl}`,
  );
  const emulatorConnection = {
    baseUrl: emulator.defaultCompany.apiBaseUrl,
    accessKey: emulator.defaultCompany.accessKey,
    accessKeySecret: emulator.defaultCompany.accessKeySecret,
  };
  const connections = StaticConnectionRegistry.fromConfig(loaded.config);
  connections.register({ id: EMULATOR_CONNECTION_ID, type: 'key', ...emulatorConnection });
  // Other gongflow commands of the project (run, connections list, a worker) know it while it runs.
  const withdrawEmulator = announceEmulator(loaded.dataDir, emulatorConnection);

  log('Starting a worker (bundling workflows) ...');
  const worker = await createGongflowWorker({
    endpoint,
    config: loaded.config,
    connections,
    logLevel: 'WARN',
    // Each step, retry and the run's failure are printed below, on one line each.
    omitRunFailures: true,
    dataDir: loaded.dataDir,
  }).catch(async (error: unknown) => {
    // Temporal refused the connection (say, a wrong certificate): stop the emulator, or the process never exits.
    withdrawEmulator();
    await emulator.close();
    await endpoint.close();
    throw error;
  });
  const workerRun = worker.run();
  // Encrypting like the worker: the run's input and results never reach history in plaintext.
  const temporal = await createGongflowClient({ endpoint, config: loaded.config, dataDir: loaded.dataDir });
  const { client } = temporal;
  let exitCode = 1;
  try {
    const connectionId =
      plan.connection && connections.ids().includes(plan.connection)
        ? plan.connection
        : EMULATOR_CONNECTION_ID;
    const handle = await startRun(client, {
      plan,
      input,
      connectionId,
      taskQueue: worker.taskQueue,
      connections,
    });
    output.info(
      `\nRunning ${planRef(plan)} (plan ${plan.hash.slice(0, 12)}) on connection "${connectionId}" as ${handle.workflowId}`,
    );
    const outcome = await followRun(handle, {
      client,
      onStep: (event) => output.info(renderStepEvent(event)),
    });
    const url = runUiUrl(endpoint, handle.workflowId, handle.firstExecutionRunId);
    if (outcome.status === 'completed') {
      output.info('\nResult:');
      output.info(JSON.stringify(outcome.output, null, 2));
      exitCode = 0;
    } else {
      output.error(`\nRun failed (${outcome.failureType ?? 'error'}): ${outcome.message}`);
    }
    output.info(
      `\nTemporal UI: ${url ?? `(no UI known for ${endpoint.address}) workflow ${handle.workflowId}`}`,
    );
    if (loaded.config.encryption.enabled) {
      output.info(
        'Payloads are encrypted in history; the UI shows them decrypted while `gongflow server` runs (its codec endpoint).',
      );
    }
    if (options.keep) {
      output.info(
        '\nEverything stays up (--keep). Press Ctrl-C to stop the worker and emulator; the dev server keeps running.',
      );
      await waitForInterrupt();
    }
  } finally {
    await worker.shutdown();
    await workerRun.catch(() => undefined);
    await temporal.close();
    withdrawEmulator();
    await emulator.close();
    await endpoint.close();
  }
  return exitCode;
}

function waitForInterrupt(): Promise<void> {
  return new Promise((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
}
