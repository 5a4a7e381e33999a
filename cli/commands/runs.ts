import type { Command } from 'commander';
import { definitionsDirOf, DefinitionCatalog } from '../../api/services/definitions';
import { RunService } from '../../api/services/runs';
import {
  RunStatusSchema,
  type RunListQuery,
  type RunPage,
  type RunResult,
  type RunSummary,
} from '../../api/schemas';
import type { StepLog } from '../../client/index';
import { userInfo } from 'node:os';
import { GongflowError } from '../../core/errors';
import type { ApprovalAccepted, SignalAccepted } from '../../workflows/interpreter/waiting';
import type { CliOutput } from '../output';
import { renderTable } from '../table';
import { apiClientFrom, asGongflowError, openTemporal, type ApiOptions, type TemporalOptions } from './run';
import { readJsonInput } from '../json-input';

/** What `gongflow runs` needs, answered by Temporal directly or by an API server (--api). */
interface RunsBackend {
  list(filters: RunListQuery): Promise<RunPage>;
  get(id: string): Promise<RunSummary>;
  result(id: string): Promise<RunResult>;
  steps(id: string): Promise<StepLog>;
  cancel(id: string): Promise<RunSummary>;
  terminate(id: string, reason: string | undefined): Promise<RunSummary>;
  /** `as`: who decides, for a backend that cannot tell (Temporal directly); an API server uses its key's name. */
  approve(
    id: string,
    step: string,
    decision: { approved: boolean; comment?: string | undefined; as: string | undefined },
  ): Promise<{ run: RunSummary; approval: ApprovalAccepted }>;
  signal(id: string, name: string, payload: unknown): Promise<{ run: RunSummary; signal: SignalAccepted }>;
  rerun(id: string): Promise<{ run: RunSummary; rerunOf: string }>;
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
        approve: (id, step, { approved, comment, as }) =>
          api.approve(id, step, {
            approved,
            ...(comment !== undefined ? { comment } : {}),
            ...(as !== undefined ? { by: as } : {}),
          }),
        signal: (id, name, payload) => api.signal(id, name, payload),
        rerun: (id) => api.rerun(id),
      });
    } catch (error) {
      throw asGongflowError(error);
    }
  }
  const session = await openTemporal(options, { viaApi: true });
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
      // Straight to Temporal, the operator is trusted to say who decides (whoever holds Temporal
      // credentials can steer any run anyway); the default names the local user.
      approve: (id, step, { approved, comment, as }) =>
        service.approve(id, step, { approved, comment, by: as ?? `cli:${userInfo().username}` }),
      signal: (id, name, payload) => service.signal(id, name, payload),
      rerun: (id) => service.rerun(id),
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
  const runs = program.command('runs').description('List, inspect, approve, signal, cancel and rerun runs.');

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
    else
      for (const line of renderTable<RunSummary>(
        [
          { header: 'RUN', value: (run) => run.id },
          { header: 'STATUS', value: (run) => run.status },
          { header: 'DEFINITION', value: (run) => `${run.definition ?? '?'}@${run.version ?? '?'}` },
          { header: 'CONNECTION', value: (run) => run.connection },
          { header: 'TRIGGER', value: (run) => run.trigger },
          { header: 'STARTED', value: (run) => run.startedAt },
          { header: 'CLOSED', value: (run) => run.closedAt },
        ],
        page.runs,
      ))
        output.info(line);
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
    if (run.rerunOf) output.info(`  reruns      ${run.rerunOf}`);
    if (steps) {
      output.info('  steps:');
      const rows = renderTable<StepLog['steps'][number]>(
        [
          { header: 'STATUS', value: (step) => (step.reused ? `${step.status} (reused)` : step.status) },
          { header: 'STEP', value: (step) => `${'  '.repeat(step.depth ?? 0)}${step.path ?? step.id}` },
          { header: 'KIND', value: (step) => step.kind },
          { header: 'TOOK', value: (step) => (step.durationMs === undefined ? '' : `${step.durationMs}ms`) },
          {
            header: 'DETAIL',
            value: (step) =>
              step.error ??
              (step.waiting
                ? `waiting for ${step.waiting.for} ${step.waiting.name} until ${step.waiting.until}`
                : ''),
          },
        ],
        steps.steps,
      );
      for (const line of rows) output.info(`    ${line}`);
    } else {
      output.info('  steps: (unavailable: no worker answered the step log)');
    }
    if (result.status === 'completed') output.info(`  result:\n${JSON.stringify(result.output, null, 2)}`);
    else if ('failure' in result)
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

  for (const approved of [true, false]) {
    addCommonOptions(
      runs
        .command(approved ? 'approve' : 'reject')
        .description(
          approved
            ? 'Approve an approval step that is waiting now (the run goes on with approved: true).'
            : 'Reject an approval step that is waiting now (the run goes on with approved: false).',
        )
        .argument('<id>', 'run id')
        .argument('<step>', 'the approval step id (or its path, e.g. each[2]/approve, from `runs show`)')
        .option('--comment <text>', 'a comment recorded with the decision')
        .option(
          '--as <who>',
          "who decides (one of the step's approvers). With --api the API key's name is used instead; " +
            'straight to Temporal the default is cli:<your user name>',
        ),
    ).action(async (id: string, step: string, options: CommonOptions & { comment?: string; as?: string }) => {
      const answer = await withBackend(options, (backend) =>
        backend.approve(id, step, { approved, comment: options.comment, as: options.as }),
      );
      if (options.json) return output.json(answer);
      output.info(
        `${approved ? 'Approved' : 'Rejected'} ${answer.approval.step} of ${answer.run.id} as ${answer.approval.by}.`,
      );
    });
  }

  addCommonOptions(
    runs
      .command('rerun')
      .description(
        'Rerun a failed run from its failed step: a new run of the same plan and input that reuses the ' +
          'outputs of the steps that completed (no Gong call repeats).',
      )
      .argument('<id>', 'run id (failed, cancelled, terminated or timed out)'),
  ).action(async (id: string, options: CommonOptions) => {
    const answer = await withBackend(options, (backend) => backend.rerun(id));
    if (options.json) return output.json(answer);
    output.info(`Rerunning ${id} as ${answer.run.id}.`);
    output.info(`Follow it: gongflow runs show ${answer.run.id}`);
  });

  addCommonOptions(
    runs
      .command('signal')
      .description('Send a signal to the waitForSignal steps of a run that wait for its name.')
      .argument('<id>', 'run id')
      .argument('<name>', 'the signal name (the waitForSignal value in the definition)')
      .option(
        '--payload <json>',
        "the payload as JSON, or @file.json (checked against the step's payload declaration)",
      )
      .option('--payload-file <path>', 'the payload from a JSON file (- : standard input)'),
  ).action(
    async (id: string, name: string, options: CommonOptions & { payload?: string; payloadFile?: string }) => {
      const payload =
        readJsonInput(options.payload, options.payloadFile, {
          option: '--payload',
          fileOption: '--payload-file',
        }) ?? null;
      const answer = await withBackend(options, (backend) => backend.signal(id, name, payload));
      if (options.json) return output.json(answer);
      output.info(
        answer.signal.delivered === 'waiting'
          ? `Signal ${name} delivered to ${answer.run.id}: a step was waiting for it.`
          : `Signal ${name} queued for ${answer.run.id}: the next step that waits for it takes it.`,
      );
    },
  );
}
