/* eslint-disable @typescript-eslint/no-require-imports -- command modules load on demand (start-up time) */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Command, CommanderError } from 'commander';
import { formatError, GongflowError } from '../core/errors';
import type * as ApiKeys from './commands/api-keys';
import type * as Connections from './commands/connections';
import type * as Dev from './commands/dev';
import type * as Emulator from './commands/emulator';
import type * as Run from './commands/run';
import type * as Runs from './commands/runs';
import type * as Server from './commands/server';
import type * as Temporal from './commands/temporal';
import type * as Test from './commands/test';
import type * as Triggers from './commands/triggers';
import type * as Validate from './commands/validate';
import type * as Worker from './commands/worker';
import { consoleOutput, type CliOutput } from './output';

export type CommandRegistrar = (program: Command, output: CliOutput) => void;

/**
 * Every command, in help order, with the module that registers it. A module is loaded only when its
 * command runs: loading all of them pulls in the Temporal SDK, Fastify and the definition compiler
 * (about a second), which `gongflow validate` or `gongflow --help` should not pay for.
 */
const COMMANDS: ReadonlyArray<{ name: string; load: () => CommandRegistrar }> = [
  { name: 'dev', load: () => (require('./commands/dev') as typeof Dev).registerDevCommand },
  {
    name: 'temporal',
    load: () => (require('./commands/temporal') as typeof Temporal).registerTemporalCommand,
  },
  {
    name: 'validate',
    load: () => (require('./commands/validate') as typeof Validate).registerValidateCommand,
  },
  { name: 'server', load: () => (require('./commands/server') as typeof Server).registerServerCommand },
  { name: 'worker', load: () => (require('./commands/worker') as typeof Worker).registerWorkerCommand },
  { name: 'run', load: () => (require('./commands/run') as typeof Run).registerRunCommand },
  { name: 'runs', load: () => (require('./commands/runs') as typeof Runs).registerRunsCommand },
  { name: 'test', load: () => (require('./commands/test') as typeof Test).registerTestCommand },
  { name: 'api-keys', load: () => (require('./commands/api-keys') as typeof ApiKeys).registerApiKeysCommand },
  {
    name: 'triggers',
    load: () => (require('./commands/triggers') as typeof Triggers).registerTriggersCommand,
  },
  {
    name: 'emulator',
    load: () => (require('./commands/emulator') as typeof Emulator).registerEmulatorCommand,
  },
  {
    name: 'connections',
    load: () => (require('./commands/connections') as typeof Connections).registerConnectionsCommand,
  },
];

/** What `gongflow --help` lists for one command; the build writes every command's summary next to main.js. */
export interface CommandSummary {
  name: string;
  term: string;
  description: string;
}

export const COMMAND_SUMMARIES_FILE = path.join(__dirname, 'commands.json');

function newProgram(): Command {
  return (
    new Command('gongflow')
      .description('Workflow orchestration engine for Gong, on Temporal.')
      .version(gongflowVersion(), '-V, --version', 'print the gongflow version')
      .showHelpAfterError()
      // Lets a command with subcommands (triggers) keep options after a subcommand for that subcommand.
      .enablePositionalOptions()
      .exitOverride()
  );
}

/** The whole command tree (every command module loaded). `only`: just that command. */
export function buildProgram(output: CliOutput = consoleOutput, only?: string): Command {
  const program = newProgram();
  for (const command of COMMANDS) {
    if (only === undefined || command.name === only) command.load()(program, output);
  }
  return program;
}

/** Summaries of every command as `gongflow --help` shows them (the build writes them to a file). */
export function commandSummaries(program: Command = buildProgram()): CommandSummary[] {
  const help = program.createHelp();
  return program.commands.map((command) => ({
    name: command.name(),
    term: help.subcommandTerm(command),
    description: command.description(),
  }));
}

/**
 * The program for these arguments: only the named command's module when a command is named; otherwise
 * (help, no or an unknown command) every command, from the build's summaries when there are some.
 */
function programFor(argv: string[], output: CliOutput): Command {
  const [first, second] = argv.slice(2);
  const named = first === 'help' ? second : first;
  if (COMMANDS.some((command) => command.name === named)) return buildProgram(output, named);
  if (!existsSync(COMMAND_SUMMARIES_FILE)) return buildProgram(output);
  const summaries = JSON.parse(readFileSync(COMMAND_SUMMARIES_FILE, 'utf8')) as CommandSummary[];
  const program = newProgram();
  for (const summary of summaries) program.command(summary.name).description(summary.description);
  const terms = new Map(summaries.map((summary) => [summary.name, summary.term]));
  const help = program.createHelp();
  program.configureHelp({
    subcommandTerm: (command) => terms.get(command.name()) ?? help.subcommandTerm(command),
  });
  return program;
}

/** The version of this gongflow (its package.json), as `gongflow --version` prints it. */
export function gongflowVersion(): string {
  // The compiled build carries it next to main.js (scripts/build.ts): a package.json in dist/ would make
  // dist/ look like the project root (temporal/project-root.ts). The sources read the project's.
  const built = path.join(__dirname, VERSION_FILE);
  const file = existsSync(built) ? built : path.join(__dirname, '..', 'package.json');
  return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
}

/** The file `npm run build` writes the version to, next to the compiled main.js. */
export const VERSION_FILE = 'version.json';

/** Runs the CLI and returns the process exit code. User errors print a message and a fix, never a stack. */
export async function main(argv: string[], output: CliOutput = consoleOutput): Promise<number> {
  try {
    const program = programFor(argv, output);
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
