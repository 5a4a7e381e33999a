import type { Command } from 'commander';
import { definitionsDirOf, DefinitionCatalog } from '../../api/services/definitions';
import { RunService } from '../../api/services/runs';
import {
  RunStatusSchema,
  type RunListQuery,
  type RunPage,
  type RunResult,
  type RunSummary,
  type StepLog,
} from '../../api/schemas';
import { GongflowError } from '../../core/errors';
import type { CliOutput } from '../output';
import { apiClientFrom, asGongflowError, openTemporal, type ApiOptions, type TemporalOptions } from './run';

/** What `gongflow runs` needs, answered by Temporal directly or by an API server (--api). */
interface RunsBackend {
  list(filters: RunListQuery): Promise<RunPage>;
  get(id: string): Promise<RunSummary>;
  result(id: string): Promise<RunResult>;
  steps(id: string): Promise<StepLog>;
  cancel(id: string): Promise<RunSummary>;
  terminate(id: string, reason: string | undefined): Promise<RunSummary>;
}

interface CommonOptions extends TemporalOptions, ApiOptions {
  json?: boolean;
}

async function withBackend<T>(options: CommonOptions, use: (backend: RunsBackend) => Promise<T>): Promise<T> {
  const api = apiClientFrom(options);
  if (api) {
    try {
      return await use({
        list: (filters) => api.listRunsPage(filters),
        get: (id) => api.getRun(id),
        result: (id) => api.getResult(id),
        steps: (id) => api.stepLog(id),
        cancel: (id) => api.cancel(id),
        terminate: (id, reason) => api.terminate(id, reason),
      });
    } catch (error) {
      throw asGongflowError(error);
    }
  }
  const session = await openTemporal(options);
  try {
    const service = new RunService({
      client: session.client,
      namespace: session.namespace,
      taskQueue: session.loaded.config.worker.taskQueue,
      uiUrl: session.uiUrl,
      definitions: new DefinitionCatalog(definitionsDirOf(session.loaded)),
      connections: undefined,
    });
    return await use({
      list: (filters) => service.list(filters),
      get: (id) => service.get(id),
      result: (id) => service.result(id),
      steps: (id) => service.steps(id),
      cancel: (id) => service.cancel(id),
      terminate: (id, reason) => service.terminate(id, reason),
    });
  } finally {
    await session.close();
  }
}

function addCommonOptions(command: Command): Command {
  return command
    .option('--json', 'print JSON')
    .option('--api <url>', 'go through a gongflow API server (env GONGFLOW_API_URL)')
    .option('--api-key <key>', 'API key for --api (env GONGFLOW_API_KEY)')
    .option('--config <file>', 'configuration file (default: ./temporal.yaml)');
}

interface ListOptions extends CommonOptions {
  definition?: string;
  connection?: string;
  trigger?: string;
  status?: string;
  limit?: string;
  pageToken?: string;
}

export function registerRunsCommand(program: Command, output: CliOutput): void {
  const runs = program.command('runs').description('List, inspect and cancel runs.');

  addCommonOptions(
    runs
      .command('list')
      .description('Runs, newest first, filtered by definition, connection, trigger and status.')
      .option('--definition <name>', 'only runs of this definition')
      .option('--connection <id>', 'only runs on this Gong connection')
      .option(
        '--trigger <kind>',
        'only runs started by this trigger kind (api, schedule, webhook, poller, ...)',
      )
      .option('--status <status>', `only runs in this status (${RunStatusSchema.options.join(', ')})`)
      .option('--limit <n>', 'at most this many runs (one page)', '50')
      .option('--page-token <token>', 'the page after the one that printed this token'),
  ).action(async (options: ListOptions) => {
    const status = options.status === undefined ? undefined : RunStatusSchema.safeParse(options.status);
    if (status && !status.success) {
      throw new GongflowError('CLI_INVALID_OPTION', `--status ${options.status} is not a run status.`, {
        hint: `Use one of: ${RunStatusSchema.options.join(', ')}.`,
      });
    }
    const limit = Number(options.limit ?? '50');
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000) {
      throw new GongflowError(
        'CLI_INVALID_OPTION',
        `--limit ${options.limit} must be a whole number from 1 to 1000.`,
      );
    }
    const filters: RunListQuery = {
      limit,
      ...(options.definition ? { definition: options.definition } : {}),
      ...(options.connection ? { connection: options.connection } : {}),
      ...(options.trigger ? { trigger: options.trigger } : {}),
      ...(status?.data ? { status: status.data } : {}),
      ...(options.pageToken ? { pageToken: options.pageToken } : {}),
    };
    const page = await withBackend(options, (backend) => backend.list(filters));
    if (options.json) return output.json(page);
    if (page.runs.length === 0) output.info('No runs.');
    for (const run of page.runs) {
      output.info(
        [
          run.id,
          run.status.padEnd(10),
          `${run.definition ?? '?'}@${run.version ?? '?'}`,
          run.connection ?? '-',
          run.trigger ?? '-',
          run.startedAt,
        ].join('  '),
      );
    }
    if (page.nextPageToken) output.info(`More: add --page-token ${page.nextPageToken}`);
  });

  addCommonOptions(
    runs
      .command('show')
      .description('One run: status, definition, connection, result or failure, and its step log.')
      .argument('<id>', 'run id'),
  ).action(async (id: string, options: CommonOptions) => {
    const { run, result, steps } = await withBackend(options, async (backend) => {
      const shown = await backend.get(id);
      const outcome = await backend.result(id);
      const log = await backend.steps(id).catch(() => undefined);
      return { run: shown, result: outcome, steps: log };
    });
    if (options.json) return output.json({ run, result, steps });
    output.info(`${run.id}  ${run.status}`);
    output.info(
      `  definition  ${run.definition ?? '?'}@${run.version ?? '?'} (plan ${run.hash?.slice(0, 12) ?? '?'})`,
    );
    output.info(`  connection  ${run.connection ?? '-'}   trigger ${run.trigger ?? '-'}`);
    output.info(`  started     ${run.startedAt}${run.closedAt ? `   closed ${run.closedAt}` : ''}`);
    if (run.uiUrl) output.info(`  Temporal UI ${run.uiUrl}`);
    if (steps) {
      output.info('  steps:');
      for (const step of steps.steps) {
        output.info(
          `    ${step.status.padEnd(9)} ${step.path ?? step.id} [${step.kind}]${step.error ? `: ${step.error}` : ''}`,
        );
      }
    } else {
      output.info('  steps: (unavailable: no worker answered the step log)');
    }
    if (result.status === 'completed') output.info(`  result:\n${JSON.stringify(result.output, null, 2)}`);
    else if (result.failure)
      output.info(`  failure (${result.failure.type ?? result.status}): ${result.failure.message}`);
  });

  addCommonOptions(
    runs
      .command('cancel')
      .description('Cancel a running run (it may clean up), or stop it at once with --terminate.')
      .argument('<id>', 'run id')
      .option('--terminate', 'terminate instead: stop at once, without clean-up')
      .option('--reason <text>', 'reason recorded with a termination'),
  ).action(async (id: string, options: CommonOptions & { terminate?: boolean; reason?: string }) => {
    const run = await withBackend(options, (backend) =>
      options.terminate ? backend.terminate(id, options.reason) : backend.cancel(id),
    );
    if (options.json) return output.json({ run });
    output.info(
      options.terminate ? `Terminated ${run.id} (${run.status}).` : `Cancellation requested for ${run.id}.`,
    );
  });
}
