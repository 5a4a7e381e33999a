import path from 'node:path';
import type { Command } from 'commander';
import type { LoadedConfig } from '../../config/load';
import { GongflowError } from '../../core/errors';
import { loadPlan } from '../../definitions/load';
import { deployTriggers } from '../../triggers/deploy';
import {
  controlTriggers,
  listTriggers,
  triggerNotDeployed,
  type TriggerAction,
  type TriggerRow,
} from '../../triggers/manage';
import { undeployTriggers, type RemovedTrigger } from '../../triggers/undeploy';
import {
  addWebhookKeys,
  listWebhookKeys,
  revokeWebhookKey,
  webhookUrl,
  type WebhookKeyInfo,
} from '../../triggers/webhook-keys';
import { isDefinitionFile } from '../definition-argument';
import type { CliOutput } from '../output';
import { renderTable } from '../table';
import { openTemporal, type TemporalSession } from './run';

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
    // `triggers deploy x --config f`: options after a subcommand are the subcommand's, not this list's.
    .enablePositionalOptions()
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
        const { deployed, removed } = await deployTriggers(client, {
          plan,
          connectionId: options.connection,
          taskQueue: loaded.config.worker.taskQueue,
          ...(options.publicKey ? { publicKey: options.publicKey } : {}),
          ...(options.urlKey ? { urlKey: options.urlKey === true ? true : options.urlKey } : {}),
          ...(publicUrl ? { publicUrl } : {}),
        });
        if (options.json) return output.json({ deployed, removed });
        for (const trigger of deployed)
          output.info(`✓ ${trigger.key} -> ${trigger.id}${trigger.note ? `\n    ${trigger.note}` : ''}`);
        if (removed.length > 0)
          output.info(`Removed ${removed.length} trigger(s) this version no longer declares:`);
        printRemoved(output, removed);
        output.info(
          'Pollers and webhooks run on the workers of task queue ' + loaded.config.worker.taskQueue + '.',
        );
      }),
    );

  triggers
    .command('undeploy <definition>')
    .description(
      'Remove every trigger of a definition on a connection (poller, webhook subscription, schedule): none starts a run again.',
    )
    .requiredOption('--connection <id>', 'Gong connection')
    .option('--trigger <key>', 'only this trigger of the definition (its kind, e.g. gong.call.new)')
    .option('--json', 'print JSON')
    .option('--config <file>', 'configuration file (default: ./temporal.yaml)')
    .action((argument: string, options: TargetOptions) =>
      withClient(options, async ({ client, loaded }) => {
        const definition = definitionNameOf(argument);
        const removed = await undeployTriggers(client, {
          taskQueue: loaded.config.worker.taskQueue,
          definition,
          connection: options.connection,
          ...(options.trigger ? { key: options.trigger } : {}),
        });
        if (removed.length === 0) throw triggerNotDeployed(definition, options.connection, options.trigger);
        if (options.json) return output.json(removed);
        printRemoved(output, removed);
      }),
    );

  registerKeysCommands(triggers, output);

  const control = (name: string, description: string, action: (options: TargetOptions) => TriggerAction) => {
    const command = triggers
      .command(`${name} <definition>`)
      .description(description)
      .requiredOption('--connection <id>', 'Gong connection')
      .option('--trigger <key>', 'only this trigger of the definition (its kind, e.g. gong.call.new)')
      .option('--json', 'print JSON')
      .option('--config <file>', 'configuration file (default: ./temporal.yaml)');
    if (name === 'backfill') command.requiredOption('--from <date>', 'start of the backfill (ISO-8601)');
    command.action((argument: string, options: TargetOptions) =>
      withClient(options, async ({ client, loaded }) => {
        const definition = definitionNameOf(argument);
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

/**
 * The definition a trigger command acts on, by name. `deploy` takes the definition's file, so the other commands
 * take it too (its `name:`); any other argument is the name itself.
 */
function definitionNameOf(argument: string): string {
  return isDefinitionFile(argument) ? loadPlan(path.resolve(argument)).name : argument;
}

interface KeysOptions extends CommonOptions {
  connection: string;
  publicKey?: string;
  urlKey?: string | boolean;
}

/** `gongflow triggers keys list|add|revoke`: the credentials Gong webhook deliveries are checked with. */
function registerKeysCommands(triggers: Command, output: CliOutput): void {
  const keys = triggers
    .command('keys')
    .description(
      "Keys of a connection's Gong webhook endpoint: list, add, revoke (rotation: add, switch the rule, revoke).",
    );
  const common = (command: Command): Command =>
    command
      .requiredOption('--connection <id>', 'Gong connection whose webhook endpoint holds the keys')
      .option('--json', 'print JSON')
      .option('--config <file>', 'configuration file (default: ./temporal.yaml)');
  const printKeys = (list: WebhookKeyInfo[]): void => {
    if (list.length === 0) output.info('No keys: deliveries cannot verify until one is added.');
    for (const key of list) output.info(`${key.id}  ${key.type}  ${key.detail}`);
  };

  common(
    keys.command('list').description('List the public keys and URL keys (by id, never by value).'),
  ).action((options: KeysOptions) =>
    withClient(options, async ({ client, loaded }) => {
      const listed = await listWebhookKeys(client, {
        connection: options.connection,
        taskQueue: loaded.config.worker.taskQueue,
      });
      if (options.json) return output.json(listed);
      printKeys(listed.keys);
    }),
  );

  common(
    keys
      .command('add')
      .description('Add a Gong rule public key and/or a URL key (no value: generate one, printed once).')
      .option('--public-key <base64>', "the rule's public key (Show public key)")
      .option('--url-key [key]', 'a URL key (no value: generate one)')
      .option(
        '--public-url <url>',
        'base URL Gong reaches gongflow at, for the printed rule URL (default: http.publicUrl)',
      ),
  ).action((options: KeysOptions & { publicUrl?: string }) =>
    withClient(options, async ({ client, loaded }) => {
      const result = await addWebhookKeys(
        client,
        { connection: options.connection, taskQueue: loaded.config.worker.taskQueue },
        {
          publicKey: options.publicKey,
          urlKey:
            options.urlKey === true ? true : typeof options.urlKey === 'string' ? options.urlKey : undefined,
        },
      );
      const publicUrl = options.publicUrl ?? loaded.config.http.publicUrl;
      const url =
        result.urlKey && publicUrl
          ? `${webhookUrl(publicUrl, options.connection)}?key=${result.urlKey}`
          : undefined;
      if (options.json) return output.json({ ...result, ...(url ? { url } : {}) });
      for (const key of result.added) output.info(`✓ added ${key.id}  ${key.type}  ${key.detail}`);
      if (result.urlKey)
        output.info(
          `    ${url ? `Gong rule URL: ${url}` : `URL key: ${result.urlKey} (append ?key=<it> to the rule URL)`} (shown once: gongflow keeps only its hash)`,
        );
    }),
  );

  common(
    keys
      .command('revoke <key>')
      .description(
        'Revoke a key by id (from `keys list`) or by value: deliveries with it are refused within 2 s of this returning.',
      ),
  ).action((key: string, options: KeysOptions) =>
    withClient(options, async ({ client, loaded }) => {
      const result = await revokeWebhookKey(
        client,
        { connection: options.connection, taskQueue: loaded.config.worker.taskQueue },
        key,
      );
      if (options.json) return output.json(result);
      output.info(
        `✓ revoked ${result.revoked.id}  ${result.revoked.type}; ${result.remaining.length} key(s) remain`,
      );
      if (result.remaining.length === 0)
        output.info(
          '    No key remains: every delivery is refused until one is added (gongflow triggers keys add).',
        );
    }),
  );
}

function printRemoved(output: CliOutput, removed: RemovedTrigger[]): void {
  for (const trigger of removed)
    output.info(
      `✓ removed ${trigger.definition} ${trigger.key} on ${trigger.connection} [${trigger.type}]\n    ${trigger.detail}`,
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

/**
 * A client for the configured Temporal (or the embedded dev server if it is already up: never starts one);
 * an unreachable server is the coded TEMPORAL_UNAVAILABLE with its fix, as for `run` and `runs`.
 */
async function withClient(
  options: CommonOptions,
  use: (session: { client: TemporalSession['client']; loaded: LoadedConfig }) => Promise<void>,
): Promise<void> {
  const session = await openTemporal(options.config ? { config: options.config } : {});
  try {
    await use({ client: session.client, loaded: session.loaded });
  } finally {
    await session.close();
  }
}
