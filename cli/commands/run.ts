import { existsSync } from 'node:fs';
import { isDefinitionFile } from '../definition-argument';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import { type Command } from 'commander';
import { definitionsDirOf, DefinitionCatalog } from '../../api/services/definitions';
import { RunService } from '../../api/services/runs';
import { GongflowApiError, GongflowClient } from '../../client/index';
import { loadConfig, type LoadedConfig } from '../../config/load';
import { createConnectionsRuntime } from '../../connections/runtime';
import { GongflowError } from '../../core/errors';
import { loadPlan } from '../../definitions/load';
import { planRef, type Plan } from '../../definitions/plan';
import { createGongflowClient } from '../../runs/client';
import { followRun, StepReporter, type RunOutcome, type StepEvent } from '../../runs/follow';
import { resolveTemporal } from '../../temporal/connection';
import type { CliOutput } from '../output';
import { readJsonInput } from '../json-input';
import { renderStepEvent } from './run-output';

export interface TemporalOptions {
  config?: string;
}

export interface ApiOptions {
  api?: string;
  apiKey?: string;
}

/** A Temporal client for commands that talk to a running gongflow (run, runs, api-keys): it never starts a server. */
export interface TemporalSession {
  loaded: LoadedConfig;
  client: Client;
  namespace: string;
  uiUrl: string | undefined;
  close(): Promise<void>;
}

/** How long a CLI command tries to reach Temporal before saying it is unreachable (the SDK waits 10 s). */
const REACH_TEMPORAL_MS = 5_000;

/**
 * Opens the session, or fails with TEMPORAL_UNAVAILABLE and its fix. `viaApi`: the command also takes
 * --api, so the fix offers it (commands without it must not send users to an option they lack).
 */
export async function openTemporal(
  options: TemporalOptions,
  { viaApi = false }: { viaApi?: boolean } = {},
): Promise<TemporalSession> {
  const loaded = loadConfig(options.config ? { file: options.config } : {});
  const settings = loaded.config.temporal;
  // A configured server, or the embedded dev server if it is already up: client commands never start one.
  const endpoint = settings.address
    ? await resolveTemporal(loaded)
    : {
        connectionOptions: { address: `${settings.devServer.ip}:${settings.devServer.port}` },
        namespace: settings.namespace,
        uiUrl: `http://${settings.devServer.ip}:${settings.devServer.uiPort}`,
      };
  try {
    const temporal = await createGongflowClient({
      endpoint,
      config: loaded.config,
      dataDir: loaded.dataDir,
      connectTimeoutMs: REACH_TEMPORAL_MS,
    });
    const { client } = temporal;
    await client.connection.withDeadline(Date.now() + REACH_TEMPORAL_MS, () =>
      client.workflowService.getSystemInfo({}),
    );
    return {
      loaded,
      client,
      namespace: endpoint.namespace,
      uiUrl: endpoint.uiUrl,
      close: () => temporal.close(),
    };
  } catch (error) {
    // Explained already (refused credentials or certificates, an unusable encryption key): pass it on.
    if (error instanceof GongflowError && error.code !== 'TEMPORAL_UNAVAILABLE') throw error;
    const reason = error instanceof GongflowError && error.cause instanceof Error ? error.cause : error;
    throw new GongflowError(
      'TEMPORAL_UNAVAILABLE',
      `Temporal is not reachable at ${endpoint.connectionOptions.address}: ${(reason as Error).message}`,
      {
        hint:
          'Start gongflow with `gongflow server` (or `gongflow dev --keep`), or set TEMPORAL_ADDRESS / temporal.address' +
          (viaApi ? '; add --api <url> to go through an API server instead.' : '.'),
      },
    );
  }
}

/** The API client when --api (or GONGFLOW_API_URL) is given; its key comes from --api-key or GONGFLOW_API_KEY. */
export function apiClientFrom(options: ApiOptions): GongflowClient | undefined {
  const baseUrl = options.api ?? process.env['GONGFLOW_API_URL'];
  if (!baseUrl) return undefined;
  const apiKey = options.apiKey ?? process.env['GONGFLOW_API_KEY'];
  if (!apiKey) {
    throw new GongflowError('CLI_NO_API_KEY', 'Talking to the API needs an API key.', {
      hint: 'Pass --api-key <key> or set GONGFLOW_API_KEY (create one with `gongflow api-keys create --name <who>`).',
    });
  }
  return new GongflowClient({ baseUrl, apiKey });
}

/** Errors of the API, shown like the engine's own: code, message, fix. */
export function asGongflowError(error: unknown): unknown {
  if (!(error instanceof GongflowApiError)) return error;
  return new GongflowError(error.code, error.message, {
    ...(error.hint ? { hint: error.hint } : {}),
    problems: error.details.map((detail) => ({
      code: typeof detail['code'] === 'string' ? detail['code'] : error.code,
      message: typeof detail['message'] === 'string' ? detail['message'] : '',
      ...(typeof detail['path'] === 'string' ? { path: detail['path'] } : {}),
      ...(typeof detail['line'] === 'number' ? { line: detail['line'] } : {}),
      ...(typeof detail['column'] === 'number' ? { column: detail['column'] } : {}),
      ...(typeof detail['file'] === 'string' ? { file: detail['file'] } : {}),
    })),
  });
}

interface RunOptions extends TemporalOptions, ApiOptions {
  input?: string;
  inputFile?: string;
  connection?: string;
  follow?: boolean;
  idempotencyKey?: string;
  taskQueue?: string;
  json?: boolean;
}

/** `--input` / `--input-file`: a JSON object, or undefined when neither was given. */
export function runInput(options: { input?: string; inputFile?: string }): object | undefined {
  const input = readJsonInput(options.input, options.inputFile, {
    option: '--input',
    fileOption: '--input-file',
  });
  if (input !== undefined && (input === null || typeof input !== 'object' || Array.isArray(input))) {
    throw new GongflowError('CLI_INVALID_OPTION', 'The run input must be a JSON object.', {
      hint: 'Pass an object, e.g. --input \'{"callId": "123"}\' (or a file holding one: --input @input.json).',
    });
  }
  return input;
}

export function registerRunCommand(program: Command, output: CliOutput): void {
  program
    .command('run')
    .description(
      'Start a run of a definition (a file, or a name from http.definitionsDir). With --follow, print each step ' +
        'as it runs, then the result; exits 1 when the run fails. Talks to Temporal directly, or to an API server with --api.',
    )
    .argument('<definition>', 'definition file, or definition name (name@version) known to the server')
    .option('--input <json>', 'run input as JSON, or @file.json to read it from a file (@- : standard input)')
    .option('--input-file <path>', 'run input from a JSON file (- : standard input)')
    .option('--connection <id>', "Gong connection to run on (default: the definition's)")
    .option('--follow', 'follow the run: live step progress, then the result')
    .option('--idempotency-key <key>', 'same key, same run: repeating the command never starts a second run')
    .option('--api <url>', 'go through a gongflow API server (env GONGFLOW_API_URL)')
    .option('--api-key <key>', 'API key for --api (env GONGFLOW_API_KEY)')
    .option('--task-queue <name>', 'task queue of the workers (default: worker.taskQueue)')
    .option('--json', 'print the run (and with --follow its result) as JSON, without progress lines')
    .option('--config <file>', 'configuration file (default: ./temporal.yaml)')
    .action(async (definition: string, options: RunOptions) => {
      const api = apiClientFrom(options);
      process.exitCode = api
        ? await runThroughApi(api, definition, options, output)
        : await runDirect(definition, options, output);
    });
}

async function runDirect(definition: string, options: RunOptions, output: CliOutput): Promise<number> {
  const session = await openTemporal(options, { viaApi: true });
  try {
    const { loaded, client } = session;
    const plan = resolvePlan(definition, loaded);
    const input = runInput(options) ?? {};
    // The connection is checked (it exists, is usable and grants the plan's scopes) before anything
    // starts, as the API does: from temporal.yaml, the emulator this project runs, or Temporal.
    const runtime = createConnectionsRuntime({ config: loaded.config, dataDir: loaded.dataDir, client });
    const runs = new RunService({
      client,
      namespace: session.namespace,
      taskQueue: options.taskQueue ?? loaded.config.worker.taskQueue,
      uiUrl: session.uiUrl,
      definitions: new DefinitionCatalog(definitionsDirOf(loaded)),
      connections: runtime.resolver,
    });
    const { run } = await runs.startPlan(
      plan,
      {
        input: input as Record<string, unknown>,
        ...(options.connection ? { connection: options.connection } : {}),
      },
      { idempotencyKey: options.idempotencyKey },
    );
    const handle = client.workflow.getHandle(run.id);
    const uiUrl = run.uiUrl;
    if (!options.follow) {
      if (options.json) output.json({ run });
      else
        output.info(
          `Started ${planRef(plan)} as run ${handle.workflowId}${uiUrl ? `\nTemporal UI: ${uiUrl}` : ''}`,
        );
      return 0;
    }
    if (!options.json) output.info(`Running ${planRef(plan)} as ${run.id} ...`);
    const outcome = await followRun(handle, {
      client,
      ...(options.json ? {} : { onStep: (event: StepEvent) => output.info(renderStepEvent(event)) }),
    });
    return printOutcome(outcome, run, options, output);
  } finally {
    await session.close();
  }
}

async function runThroughApi(
  api: GongflowClient,
  definition: string,
  options: RunOptions,
  output: CliOutput,
): Promise<number> {
  try {
    // A file names the definition; the server runs its own copy of it (same name), so say if they differ.
    const local = existsSync(definition) ? loadPlan(path.resolve(definition)) : undefined;
    const input = runInput(options);
    const started = await api.startRun(
      {
        definition: local ? `${local.name}@${local.version}` : definition,
        ...(input ? { input: input as Record<string, unknown> } : {}),
        ...(options.connection ? { connection: options.connection } : {}),
      },
      options.idempotencyKey ? { idempotencyKey: options.idempotencyKey } : {},
    );
    const { run } = started;
    if (local && run.hash && run.hash !== local.hash) {
      output.error(
        `warning: the server's ${local.name}@${local.version} differs from ${definition} (plan hashes differ).`,
      );
    }
    if (!options.follow) {
      if (options.json) output.json(started);
      else
        output.info(
          `Started ${run.definition}@${run.version} as run ${run.id}${run.uiUrl ? `\nTemporal UI: ${run.uiUrl}` : ''}`,
        );
      return 0;
    }
    if (!options.json) output.info(`Running ${run.definition}@${run.version} as ${run.id} ...`);
    const reporter = new StepReporter((event) => output.info(renderStepEvent(event)));
    for (;;) {
      const result = await api.getResult(run.id, { waitMs: 500 });
      if (!options.json) {
        const log = await api.stepLog(run.id).catch(() => undefined);
        if (log) {
          reporter.report(log.steps);
          reporter.reportRetries(log.steps, log.retrying ?? []);
        }
      }
      if (result.status === 'running') continue;
      const outcome: RunOutcome =
        result.status === 'completed'
          ? { status: 'completed', output: result.output }
          : {
              status: 'failed',
              failureType: ('failure' in result ? result.failure.type : undefined) ?? result.status,
              message: 'failure' in result ? result.failure.message : result.status,
            };
      return printOutcome(outcome, await api.getRun(run.id), options, output);
    }
  } catch (error) {
    throw asGongflowError(error);
  }
}

function printOutcome(
  outcome: RunOutcome,
  run: object & { uiUrl?: string | undefined },
  options: RunOptions,
  output: CliOutput,
): number {
  if (options.json) {
    output.json({ run, result: outcome });
  } else if (outcome.status === 'completed') {
    output.info('\nResult:');
    output.info(JSON.stringify(outcome.output, null, 2));
  } else {
    output.error(`\nRun failed (${outcome.failureType ?? 'error'}): ${outcome.message}`);
  }
  if (!options.json && run.uiUrl) output.info(`\nTemporal UI: ${run.uiUrl}`);
  return outcome.status === 'completed' ? 0 : 1;
}

/** A definition argument: an existing file, else a name (name@version) in the configured definitions folder. */
function resolvePlan(definition: string, loaded: LoadedConfig): Plan {
  if (isDefinitionFile(definition)) return loadPlan(path.resolve(definition));
  return new DefinitionCatalog(definitionsDirOf(loaded)).get(definition).plan;
}
