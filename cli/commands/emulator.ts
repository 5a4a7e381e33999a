import type { Command } from 'commander';
import { GongflowError } from '../../core/errors';
import { startEmulator, type GongEmulator } from '../../emulator';
import type { CliOutput } from '../output';

function parseInteger(name: string, min: number, max: number) {
  return (value: string): number => {
    const parsed = Number(value);
    if (!Number.isInteger(parsed) || parsed < min || parsed > max)
      throw new GongflowError(
        'CLI_BAD_OPTION',
        `--${name} must be an integer between ${min} and ${max}, got "${value}"`,
      );
    return parsed;
  };
}

/** `gongflow emulator`: a local Gong (OAuth app host + API hosts) that runs until Ctrl-C. */
export function registerEmulatorCommand(program: Command, output: CliOutput): void {
  program
    .command('emulator')
    .description('Run the Gong emulator: a local Gong for development and demos (stops on Ctrl-C).')
    .option(
      '-p, --port <port>',
      'app host port (OAuth + /_emulator admin API); 0 picks a free port',
      parseInteger('port', 0, 65535),
      0,
    )
    .option(
      '--seed <n>',
      'seed of the generated data (same seed, same data)',
      parseInteger('seed', 0, 2 ** 31 - 1),
      1,
    )
    .option(
      '--company-port <port>',
      "the default company's API host port; 0 picks a free port",
      parseInteger('company-port', 0, 65535),
      0,
    )
    .option('--host <address>', 'interface to listen on', '127.0.0.1')
    .option('--json', 'print the hosts and credentials as JSON')
    .action(
      async (options: { port: number; companyPort: number; seed: number; host: string; json?: boolean }) => {
        let emulator;
        try {
          emulator = await startEmulator({
            port: options.port,
            companyPort: options.companyPort,
            seed: options.seed,
            host: options.host,
          });
        } catch (error) {
          throw new GongflowError(
            'EMULATOR_START_FAILED',
            `The Gong emulator could not start: ${error instanceof Error ? error.message : String(error)}`,
            {
              hint: 'Is the port already in use? Try another --port, or 0 for a free one.',
              cause: error,
            },
          );
        }
        const companies = emulator.admin.companies();
        const company = emulator.defaultCompany;
        if (options.json) {
          output.json({ appUrl: emulator.appUrl, companies, defaultCompany: company });
        } else {
          output.info(`Gong emulator running (seed ${options.seed}).`);
          describeEmulator(emulator, output);
          output.info('Press Ctrl-C to stop.');
        }
        await new Promise<void>((resolve) => {
          const stop = () => {
            process.off('SIGINT', stop);
            process.off('SIGTERM', stop);
            resolve();
          };
          process.on('SIGINT', stop);
          process.on('SIGTERM', stop);
        });
        await emulator.close();
        output.info('Gong emulator stopped.');
      },
    );
}

/** Where the emulator answers and the seeded access key (shared by `emulator` and `server --emulator`). */
export function describeEmulator(emulator: GongEmulator, output: CliOutput, indent = '  '): void {
  const company = emulator.defaultCompany;
  output.info(`${indent}app host (OAuth, admin API): ${emulator.appUrl}`);
  output.info(`${indent}  authorize: ${emulator.appUrl}/oauth2/authorize`);
  output.info(`${indent}  token:     ${emulator.appUrl}/oauth2/generate-customer-token`);
  output.info(
    `${indent}  admin:     ${emulator.appUrl}/_emulator/ (health: ${emulator.appUrl}/_emulator/health)`,
  );
  for (const entry of emulator.admin.companies())
    output.info(`${indent}company "${entry.name}" (${entry.id}): API host ${entry.apiBaseUrl}`);
  output.info(`${indent}access key:        ${company.accessKey}`);
  output.info(
    `${indent}access key secret: ${company.accessKeySecret} (an emulator credential, not a real Gong one)`,
  );
  output.info(
    `${indent}try: curl -u ${company.accessKey}:${company.accessKeySecret} ${company.apiBaseUrl}/v2/users`,
  );
}
