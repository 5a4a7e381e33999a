import type { Command } from 'commander';
import { TemporalApiKeyStore } from '../../api/auth/api-keys';
import { renderTable } from '../table';
import type { CliOutput } from '../output';
import { openTemporal, type TemporalOptions } from './run';

interface KeyOptions extends TemporalOptions {
  json?: boolean;
}

async function withStore<T>(
  options: KeyOptions,
  use: (store: TemporalApiKeyStore) => Promise<T>,
): Promise<T> {
  const session = await openTemporal(options);
  try {
    return await use(
      new TemporalApiKeyStore(session.client, { taskQueue: session.loaded.config.worker.taskQueue }),
    );
  } finally {
    await session.close();
  }
}

export function registerApiKeysCommand(program: Command, output: CliOutput): void {
  const keys = program
    .command('api-keys')
    .description('API keys of the HTTP API: stored hashed in Temporal, shown once at creation.');
  const common = (command: Command): Command =>
    command
      .option('--json', 'print JSON')
      .option('--config <file>', 'configuration file (default: ./temporal.yaml)');

  common(
    keys
      .command('create')
      .description('Create a key; prints it once (it cannot be shown again).')
      .requiredOption('--name <name>', 'who or what uses the key, e.g. billing-service'),
  ).action(async (options: KeyOptions & { name: string }) => {
    const { key, record } = await withStore(options, (store) => store.create(options.name));
    if (options.json) return output.json({ key, ...record });
    output.info(
      `Created API key ${record.id} ("${record.name}"). Store it now; it is not shown again:\n\n  ${key}\n`,
    );
    output.info('Use it as: Authorization: Bearer <key>   (or GONGFLOW_API_KEY for the CLI and client)');
  });

  common(
    keys
      .command('list')
      .description('Active keys (with --all, recently revoked ones too).')
      .option('--all', 'include revoked keys'),
  ).action(async (options: KeyOptions & { all?: boolean }) => {
    const records = await withStore(options, (store) => store.list({ includeRevoked: options.all === true }));
    if (options.json) return output.json({ keys: records });
    if (records.length === 0)
      return output.info('No API keys. Create one with `gongflow api-keys create --name <who>`.');
    const table = renderTable(
      [
        { header: 'ID', value: (record: (typeof records)[number]) => record.id },
        { header: 'STATUS', value: (record) => record.status },
        { header: 'CREATED', value: (record) => record.createdAt },
        { header: 'NAME', value: (record) => record.name },
      ],
      records,
    );
    for (const line of table) output.info(line);
  });

  common(
    keys
      .command('revoke')
      .description('Revoke a key (effective within seconds on every server).')
      .argument('<id>', 'key id (the part after gfk_)'),
  ).action(async (id: string, options: KeyOptions) => {
    const record = await withStore(options, (store) => store.revoke(id.replace(/^gfk_/, '').slice(0, 12)));
    if (options.json) return output.json(record);
    output.info(`Revoked API key ${record.id} ("${record.name}").`);
  });
}
