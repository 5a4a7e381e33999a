import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Command, CommanderError } from 'commander';
import { formatError, GongflowError } from '../core/errors';
import { registerDevCommand } from './commands/dev';
import { registerTemporalCommand } from './commands/temporal';
import { registerValidateCommand } from './commands/validate';
import { registerApiKeysCommand } from './commands/api-keys';
import { registerRunCommand } from './commands/run';
import { registerRunsCommand } from './commands/runs';
import { registerServerCommand } from './commands/server';
import { registerWorkerCommand } from './commands/worker';
import { registerTriggersCommand } from './commands/triggers';
import { registerConnectionsCommand } from './commands/connections';
import { registerEmulatorCommand } from './commands/emulator';
import { registerTestCommand } from './commands/test';
import { consoleOutput, type CliOutput } from './output';

export type CommandRegistrar = (program: Command, output: CliOutput) => void;

const registrars: CommandRegistrar[] = [
  registerDevCommand,
  registerTemporalCommand,
  registerValidateCommand,
  registerServerCommand,
  registerWorkerCommand,
  registerRunCommand,
  registerRunsCommand,
  registerTestCommand,
  registerApiKeysCommand,
  registerTriggersCommand,
  registerEmulatorCommand,
  registerConnectionsCommand,
];

export function buildProgram(output: CliOutput = consoleOutput): Command {
  const program = new Command('gongflow')
    .description('Workflow orchestration engine for Gong, on Temporal.')
    .version(gongflowVersion(), '-V, --version', 'print the gongflow version')
    .showHelpAfterError()
    // Lets a command with subcommands (triggers) keep options after a subcommand for that subcommand.
    .enablePositionalOptions()
    .exitOverride();
  for (const register of registrars) register(program, output);
  return program;
}

/** The version of this gongflow (its package.json), as `gongflow --version` prints it. */
export function gongflowVersion(): string {
  const manifest = JSON.parse(readFileSync(path.join(__dirname, '..', 'package.json'), 'utf8')) as {
    version: string;
  };
  return manifest.version;
}

/** Runs the CLI and returns the process exit code. User errors print a message and a fix, never a stack. */
export async function main(argv: string[], output: CliOutput = consoleOutput): Promise<number> {
  const program = buildProgram(output);
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode;
    if (error instanceof GongflowError) {
      output.error(formatError(error));
      return 1;
    }
    output.error(`gongflow failed unexpectedly: ${error instanceof Error ? error.message : String(error)}`);
    if (process.env['GONGFLOW_DEBUG']) output.error(error instanceof Error ? (error.stack ?? '') : '');
    else output.error('Set GONGFLOW_DEBUG=1 for details, and please report it.');
    return 2;
  }
}
