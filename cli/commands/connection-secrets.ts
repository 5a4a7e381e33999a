import type { Command } from 'commander';
import type { ConnectionSecretInfo } from '../../connections/model';
import type { ConnectionServices } from '../../connections/services';
import { GongflowError } from '../../core/errors';
import type { CliOutput } from '../output';

interface SecretOptions {
  json?: boolean;
  config?: string;
  fromEnv?: string;
}

type WithServices = <T>(
  options: SecretOptions,
  use: (services: ConnectionServices) => Promise<T>,
) => Promise<T>;

/**
 * `gongflow connections secrets set|list|remove`: a connection's named secrets. Values are read from
 * standard input or an environment variable, never from the command line (which shells keep in history
 * and other users see in the process list), and are never printed back.
 */
export function registerConnectionSecretsCommands(
  connections: Command,
  output: CliOutput,
  withServices: WithServices,
): void {
  const secrets = connections
    .command('secrets')
    .description(
      "A connection's own secrets: its runs' http steps read secrets.<name> there first, then GONGFLOW_SECRET_<NAME>.",
    );
  const common = (command: Command): Command =>
    command
      .option('--json', 'print JSON')
      .option('--config <file>', 'configuration file (default: ./temporal.yaml)');

  common(
    secrets
      .command('set')
      .description(
        'Set or rotate a secret. The value comes from standard input (one trailing newline dropped) or, with --from-env, from an environment variable.',
      )
      .argument('<connection>', 'connection id')
      .argument('<name>', 'secret name, as definitions read it: secrets.<name>')
      .option('--from-env <variable>', 'read the value from this environment variable instead of stdin'),
  ).action(async (connection: string, name: string, options: SecretOptions) => {
    const value = await secretValue(name, options);
    const list = await withServices(options, (services) =>
      services.namedSecrets.set(connection, name, value),
    );
    if (options.json) return output.json({ secrets: list });
    output.info(`Set secret "${name}" of connection "${connection}".`);
  });

  common(
    secrets
      .command('list')
      .description("The connection's secrets: names and when each was last set (values are never shown).")
      .argument('<connection>', 'connection id'),
  ).action(async (connection: string, options: SecretOptions) => {
    const list = await withServices(options, (services) => services.namedSecrets.list(connection));
    if (options.json) return output.json({ secrets: list });
    if (list.length === 0) {
      return output.info(
        `Connection "${connection}" has no secrets. Add one with \`gongflow connections secrets set ${connection} <name>\`.`,
      );
    }
    for (const secret of list) output.info(describeSecret(secret));
  });

  common(
    secrets
      .command('remove')
      .description('Remove a secret: runs fall back to the operator-wide one of that name, if any.')
      .argument('<connection>', 'connection id')
      .argument('<name>', 'secret name'),
  ).action(async (connection: string, name: string, options: SecretOptions) => {
    const list = await withServices(options, (services) => services.namedSecrets.remove(connection, name));
    if (options.json) return output.json({ secrets: list });
    output.info(`Removed secret "${name}" of connection "${connection}".`);
  });
}

function describeSecret(secret: ConnectionSecretInfo): string {
  return `${secret.name.padEnd(32)} updated ${secret.updatedAt}`;
}

async function secretValue(name: string, options: SecretOptions): Promise<string> {
  if (options.fromEnv) {
    const value = process.env[options.fromEnv];
    if (value === undefined || value === '') {
      throw new GongflowError(
        'CLI_SECRET_MISSING',
        `The environment variable ${options.fromEnv} is not set.`,
        {
          hint: `Export it first, or pipe the value: printf %s "$VALUE" | gongflow connections secrets set <connection> ${name}`,
        },
      );
    }
    return value;
  }
  if (process.stdin.isTTY) {
    throw new GongflowError('CLI_SECRET_MISSING', `Give the value of secret "${name}" on standard input.`, {
      hint: `Pipe it (printf %s "$VALUE" | gongflow connections secrets set <connection> ${name}) or use --from-env <variable>; values are never taken from the command line.`,
    });
  }
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  const value = Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
  if (value === '') {
    throw new GongflowError('CLI_SECRET_MISSING', `Standard input held no value for secret "${name}".`, {
      hint: `Pipe the value: printf %s "$VALUE" | gongflow connections secrets set <connection> ${name}`,
    });
  }
  return value;
}
