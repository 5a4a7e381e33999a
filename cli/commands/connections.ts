import type { Command } from 'commander';
import { addKeyConnection, testGongCredentials } from '../../connections/access-keys';
import type { ConnectionSummary } from '../../connections/model';
import { parseDuration } from '../../definitions/durations';
import { connectionServices, type ConnectionServices } from '../../connections/services';
import { GongflowError } from '../../core/errors';
import type { CliOutput } from '../output';
import { registerConnectionSecretsCommands } from './connection-secrets';
import { renderTable } from '../table';
import { openTemporal, type TemporalOptions } from './run';

interface CommonOptions extends TemporalOptions {
  json?: boolean;
}

const ACCESS_KEY_SECRET_VARIABLE = 'GONGFLOW_ACCESS_KEY_SECRET';

async function withServices<T>(
  options: CommonOptions,
  use: (services: ConnectionServices, publicUrl: string) => Promise<T>,
): Promise<T> {
  const session = await openTemporal(options);
  const { config } = session.loaded;
  const publicUrl = config.http.publicUrl ?? `http://${config.http.host}:${config.http.port}`;
  try {
    const services = connectionServices({
      config,
      client: session.client,
      taskQueue: config.worker.taskQueue,
      dataDir: session.loaded.dataDir,
      publicUrl: () => publicUrl,
    });
    return await use(services, publicUrl);
  } finally {
    await session.close();
  }
}

function durationOption(text: string): number {
  try {
    return parseDuration(text);
  } catch {
    throw new GongflowError('CLI_INVALID_DURATION', `"${text}" is not a duration.`, {
      hint: 'Use a number and a unit, e.g. 90m, 12h or 7d.',
    });
  }
}

function describe(connection: ConnectionSummary & { source?: string }): string {
  const scopes = connection.scopes === null ? 'unscoped key' : connection.scopes.join(' ');
  const reason = connection.statusReason ? ` (${connection.statusReason})` : '';
  return `${connection.id.padEnd(24)} ${connection.authType.padEnd(5)} ${connection.status.padEnd(12)} ${connection.apiBaseUrl}  customer=${connection.customer}  ${scopes}${reason}`;
}

/** `gongflow connections ...`: list, add an access key, start an OAuth connect, test, revoke, remove. */
export function registerConnectionsCommand(program: Command, output: CliOutput): void {
  const connections = program
    .command('connections')
    .description(
      'Gong connections (one per customer Gong): OAuth or access key, kept encrypted in Temporal.',
    );
  const common = (command: Command): Command =>
    command
      .option('--json', 'print JSON')
      .option('--config <file>', 'configuration file (default: ./temporal.yaml)');

  common(connections.command('list').description('Every connection and its status (no secrets).')).action(
    async (options: CommonOptions) => {
      const all = await withServices(options, (services) => services.list());
      if (options.json) return output.json({ connections: all });
      if (all.length === 0) {
        return output.info(
          'No connections. Add one with `gongflow connections add-key` or `gongflow connections connect <customer>`.',
        );
      }
      const table = renderTable(
        [
          { header: 'ID', value: (connection: (typeof all)[number]) => connection.id },
          { header: 'AUTH', value: (connection) => connection.authType },
          { header: 'STATUS', value: (connection) => connection.status },
          { header: 'CUSTOMER', value: (connection) => connection.customer },
          { header: 'GONG API', value: (connection) => connection.apiBaseUrl },
          {
            header: 'SCOPES',
            value: (connection) =>
              `${connection.scopes === null ? 'unscoped key' : connection.scopes.join(' ')}${connection.statusReason ? ` (${connection.statusReason})` : ''}`,
          },
        ],
        all,
      );
      for (const line of table) output.info(line);
    },
  );

  common(
    connections
      .command('add-key')
      .description(
        `Add a key-based connection; Gong must accept it (GET /v2/users) first. The secret comes from --access-key-secret or ${ACCESS_KEY_SECRET_VARIABLE}.`,
      )
      .argument('<id>', 'connection id (lowercase letters, digits, dashes)')
      .requiredOption(
        '--base-url <url>',
        'the API base URL Gong shows next to the key, e.g. https://us-12345.api.gong.io',
      )
      .requiredOption('--access-key <key>', 'the access key')
      .option('--access-key-secret <secret>', `the access key secret (prefer ${ACCESS_KEY_SECRET_VARIABLE})`)
      .option('--customer <customer>', 'customer the connection belongs to (default: the id)')
      .option('--scopes <scopes...>', 'scopes the key was limited to in Gong, if any'),
  ).action(
    async (
      id: string,
      options: CommonOptions & {
        baseUrl: string;
        accessKey: string;
        accessKeySecret?: string;
        customer?: string;
        scopes?: string[];
      },
    ) => {
      const secret = options.accessKeySecret ?? process.env[ACCESS_KEY_SECRET_VARIABLE];
      if (!secret) {
        throw new GongflowError('CONNECTION_KEY_MISSING', 'The access key secret is missing.', {
          hint: `Set ${ACCESS_KEY_SECRET_VARIABLE} (or pass --access-key-secret).`,
        });
      }
      const result = await withServices(options, (services) =>
        addKeyConnection(services.durable, services.secrets, {
          id,
          baseUrl: options.baseUrl,
          accessKey: options.accessKey,
          accessKeySecret: secret,
          ...(options.customer ? { customer: options.customer } : {}),
          ...(options.scopes ? { scopes: options.scopes } : {}),
        }),
      );
      if (options.json) return output.json(result);
      output.info(
        `Connected "${id}" with an access key: Gong answered GET /v2/users (${result.totalUsers} users).`,
      );
    },
  );

  common(
    connections
      .command('connect')
      .description(
        "Create a signed, expiring connect link for a customer (also to reconnect): send it to the customer's Gong admin.",
      )
      .argument('<customer>', 'customer id (the connection id unless --connection)')
      .option('--connection <id>', 'connection id (default: the customer id)')
      .option('--expires-in <duration>', 'how long the link works, e.g. 2h, 3d (at most 30d)', '7d'),
  ).action(async (customer: string, options: CommonOptions & { connection?: string; expiresIn: string }) => {
    const expiresInSeconds = Math.round(durationOption(options.expiresIn) / 1000);
    const result = await withServices(options, async (services) => {
      const settings = await services.settings.view(customer);
      const link = await services.createConnectLink({
        connectionId: options.connection ?? customer,
        customer,
        expiresInSeconds,
      });
      return {
        connectUrl: link.url,
        connectionId: link.connectionId,
        customer: link.customer,
        expiresAt: link.expiresAt,
        callbackUrl: settings.callbackUrl,
        scopes: settings.scopes,
        warnings: settings.warnings,
      };
    });
    if (options.json) return output.json(result);
    output.info(
      `Send this link to a Gong technical administrator of ${customer} (it works until ${result.expiresAt}):\n\n  ${result.connectUrl}\n`,
    );
    output.info(`Scopes asked for: ${result.scopes.join(' ')}`);
    for (const warning of result.warnings) output.info(`warning: ${warning}`);
    output.info(`The Gong app's Redirect URI must be: ${result.callbackUrl}`);
    output.info('Then check with `gongflow connections list`.');
  });

  common(
    connections.command('callback-url').description("The URL to paste into the Gong app's Redirect URI."),
  ).action(async (options: CommonOptions) => {
    const url = await withServices(options, (services) => Promise.resolve(services.settings.callbackUrl));
    if (options.json) return output.json({ callbackUrl: url });
    output.info(url);
  });

  common(
    connections
      .command('test')
      .description('Call GET /v2/users with the connection.')
      .argument('<id>', 'connection id'),
  ).action(async (id: string, options: CommonOptions) => {
    const result = await withServices(options, async (services) => {
      const resolver = services.configured?.ids().includes(id) ? services.configured : services.durable;
      const credentials = await resolver.credentials(id);
      return testGongCredentials({
        baseUrl: credentials.baseUrl,
        authorization: await credentials.authorization(),
      });
    });
    if (options.json) return output.json(result);
    if (result.ok)
      return output.info(`"${id}" works: Gong answered GET /v2/users (${result.totalUsers} users).`);
    process.exitCode = 1;
    output.error(`"${id}" failed: Gong answered ${result.status}: ${result.message}`);
  });

  common(
    connections
      .command('revoke')
      .description('Drop the credentials: runs on it fail until it is reconnected.')
      .argument('<id>', 'connection id')
      .option('--reason <text>', 'why (shown with the status)'),
  ).action(async (id: string, options: CommonOptions & { reason?: string }) => {
    const summary = await withServices(options, (services) => services.durable.revoke(id, options.reason));
    if (options.json) return output.json(summary);
    output.info(describe(summary));
  });

  registerConnectionSecretsCommands(connections, output, withServices);

  common(
    connections.command('remove').description('Delete a connection.').argument('<id>', 'connection id'),
  ).action(async (id: string, options: CommonOptions) => {
    const summary = await withServices(options, (services) => services.durable.remove(id));
    if (options.json) return output.json(summary);
    output.info(`Removed "${id}".`);
  });
}
