import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { commandSummaries } from '../cli/main';
import { writeWorkflowBundle } from '../workers/bundle';

/**
 * `npm run build [-- --out <dir>]`: the compiled build production runs (default dist/). Three parts:
 * the JavaScript of every source folder (tsc), the workflow bundle for Temporal's sandbox (so workers
 * start without webpack), and the summaries `gongflow --help` lists (so help loads no command module).
 */
const ROOT = path.resolve(__dirname, '..');

async function build(outDir: string): Promise<void> {
  rmSync(outDir, { recursive: true, force: true });
  const tsc = spawnSync(
    process.execPath,
    [require.resolve('typescript/bin/tsc'), '-p', path.join(ROOT, 'tsconfig.build.json'), '--outDir', outDir],
    { stdio: 'inherit' },
  );
  if (tsc.status !== 0) throw new Error(`tsc failed (exit ${tsc.status ?? tsc.signal})`);
  mkdirSync(path.join(outDir, 'workflows'), { recursive: true });
  await writeWorkflowBundle(path.join(outDir, 'workflows', 'bundle.js'));
  writeFileSync(
    path.join(outDir, 'cli', 'commands.json'),
    `${JSON.stringify(commandSummaries(), null, 2)}\n`,
  );
}

const outIndex = process.argv.indexOf('--out');
const outDir = path.resolve(outIndex === -1 ? path.join(ROOT, 'dist') : (process.argv[outIndex + 1] ?? ''));
build(outDir).then(
  () => process.stdout.write(`Built ${path.relative(process.cwd(), outDir) || outDir}\n`),
  (error: unknown) => {
    process.stderr.write(`build failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
