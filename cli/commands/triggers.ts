import path from 'node:path';
import type { Command } from 'commander';
import { loadConfig, type LoadedConfig } from '../../config/load';
import { GongflowError } from '../../core/errors';
import { loadPlan } from '../../definitions/load';
import { createGongflowClient } from '../../runs/client';
import { resolveTemporal } from '../../temporal/connection';
import { deployTriggers } from '../../triggers/deploy';
import { controlTriggers, listTriggers, type TriggerAction, type TriggerRow } from '../../triggers/manage';
import type { CliOutput } from '../output';
import { renderTable } from '../table';

interface CommonOptions {
  config?: string;
  json?: boolean;
}

interface DeployOptions extends CommonOptions {
  connection: string;
  publicKey?: string;
  urlKey?: string | boolean;
  publicUrl?: string;
}

interface TargetOptions extends CommonOptions {
  connection: string;
  trigger?: string;
  from?: string;
}

/** `gongflow triggers`: deploy a definition's triggers on a connection, list them, pause, resume, backfill. */
export function registerTriggersCommand(program: Command, output: CliOutput): void {
  const triggers = program
    .command('triggers')
    .description('Deployed triggers (pollers, webhooks, schedules): list with status, last event and cursor.')
    .option('--json', 'print JSON')
    .option('--config <file>', 'configuration file (default: ./temporal.yaml)')
    .action((options: CommonOptions) =>
      withClient(options, async ({ client, loaded }) => {
        const rows = await listTriggers(client, { taskQueue: loaded.config.worker.taskQueue });
        if (options.json) output.json(rows);
        else printRows(output, rows);
      }),
    );

  triggers
    .command('deploy <definition>')
    .description("Deploy the definition's triggers for one Gong connection (again: reconfigures in place).")
    .requiredOption('--connection <id>', 'Gong connection the triggers watch and runs use')
    .option('--public-key <base64>', "Gong rule's public key (Show public key) for signed webhook deliveries")
    .option('--url-key [key]', 'accept webhook deliveries with this key in the URL (no value: generate one)')
    .option('--public-url <url>', 'base URL Gong reaches gongflow at (default: http.publicUrl)')
    .option('--json', 'print JSON')
    .option('--config <file>', 'configuration file (default: ./temporal.yaml)')
    .action((file: string, options: DeployOptions) =>
      withClient(options, async ({ client, loaded }) => {
        const plan = loadPlan(path.resolve(file));
        if (plan.triggers.length === 0)
          throw new GongflowError('TRIGGER_NONE', `${file} declares no triggers.`, {
            hint: 'Add a triggers: list (kinds: gong.call.new, gong.call.processed, gong.user.new, schedule, ...).',
          });
        const publicUrl = options.publicUrl ?? loaded.config.http.publicUrl;
        const deployed = await deployTriggers(client, {
          plan,
          connectionId: options.connection,
          taskQueue: loaded.config.worker.taskQueue,
          ...(options.publicKey ? { publicKey: options.publicKey } : {}),
          ...(options.urlKey ? { urlKey: options.urlKey === true ? true : options.urlKey } : {}),
          ...(publicUrl ? { publicUrl } : {}),
        });
        if (options.json) return output.json(deployed);
        for (const trigger of deployed)
          output.info(`✓ ${trigger.key} -> ${trigger.id}${trigger.note ? `\n    ${trigger.note}` : ''}`);
        output.info(
          'Pollers and webhooks run on the workers of task queue ' + loaded.config.worker.taskQueue + '.',
        );
      }),
    );

  const control = (name: string, description: string, action: (options: TargetOptions) => TriggerAction) => {
    const command = triggers
      .command(`${name} <definition>`)
      .description(description)
      .requiredOption('--connection <id>', 'Gong connection')
      .option('--trigger <key>', 'only this trigger of the definition (its kind, e.g. gong.call.new)')
      .option('--json', 'print JSON')
      .option('--config <file>', 'configuration file (default: ./temporal.yaml)');
    if (name === 'backfill') command.requiredOption('--from <date>', 'start of the backfill (ISO-8601)');
    command.action((definition: string, options: TargetOptions) =>
      withClient(options, async ({ client, loaded }) => {
        const rows = await controlTriggers(
          client,
          {
            taskQueue: loaded.config.worker.taskQueue,
            definition,
            connection: options.connection,
            ...(options.trigger ? { key: options.trigger } : {}),
          },
          action(options),
        );
        if (options.json) return output.json(rows);
        for (const row of rows) output.info(`✓ ${name} ${row.definition} ${row.key} on ${row.connection}`);
      }),
    );
  };
  control(
    'pause',
    'Pause the triggers of a definition (pollers stop polling, schedules stop firing).',
    () => ({
      type: 'pause',
    }),
  );
  control('resume', 'Resume paused triggers; pollers catch up through their look-back window.', () => ({
    type: 'resume',
  }));
  control(
    'backfill',
    'Start runs for past events from --from on (pollers re-scan, schedules backfill).',
    (options) => ({
      type: 'backfill',
      from: options.from ?? '',
    }),
  );
}

function printRows(output: CliOutput, rows: TriggerRow[]): void {
  if (rows.length === 0) {
    output.info('No triggers deployed. Deploy some: gongflow triggers deploy <definition> --connection <id>');
    return;
  }
  const table = renderTable<TriggerRow>(
    [
      { header: 'DEFINITION', value: (row) => row.definition },
      { header: 'TRIGGER', value: (row) => row.key },
      { header: 'CONNECTION', value: (row) => row.connection },
      { header: 'TYPE', value: (row) => row.type },
      { header: 'STATUS', value: (row) => row.status },
      { header: 'LAST EVENT', value: (row) => row.lastEvent },
      { header: 'CURSOR / NEXT', value: (row) => row.cursor },
      { header: 'DETAIL', value: (row) => row.detail },
    ],
    rows,
  );
  for (const line of table) output.info(line);
}

/** A client for the configured Temporal (or the embedded dev server if it is already up: never starts one). */
async function withClient(
  options: CommonOptions,
  use: (session: {
    client: Awaited<ReturnType<typeof createGongflowClient>>['client'];
    loaded: LoadedConfig;
  }) => Promise<void>,
): Promise<void> {
  const loaded = loadConfig(options.config ? { file: options.config } : {});
  const settings = loaded.config.temporal;
  const endpoint = settings.address
    ? await resolveTemporal(loaded)
    : {
        connectionOptions: { address: `${settings.devServer.ip}:${settings.devServer.port}` },
        namespace: settings.namespace,
      };
  const temporal = await createGongflowClient({ endpoint, config: loaded.config, dataDir: loaded.dataDir });
  try {
    await use({ client: temporal.client, loaded });
  } finally {
    await temporal.close();
  }
}
