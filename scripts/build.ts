import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { commandSummaries, VERSION_FILE } from '../cli/main';
import { writeWorkflowBundle } from '../workers/bundle';

/**
 * `npm run build [-- --out <dir>]`: the compiled build production runs (default dist/). Four parts:
 * the JavaScript of every source folder (tsc), the files beside the sources that code reads at run time
 * (the console's script and styles, ...), the workflow bundle for Temporal's sandbox (so workers start
 * without webpack), and the summaries `gongflow --help` lists (so help loads no command module).
 */
const ROOT = path.resolve(__dirname, '..');

/**
 * Every file of the compiled folders that tsc does not emit is copied as is: a module that reads a file
 * next to itself (`path.join(__dirname, ...)`) finds it in dist/ exactly where it is in the sources.
 */
function copyAssets(outDir: string): void {
  const { include } = JSON.parse(readFileSync(path.join(ROOT, 'tsconfig.build.json'), 'utf8')) as {
    include: string[];
  };
  const isAsset = (file: string): boolean =>
    !/\.(ts|tsx|mts|cts|md)$/.test(file) && !/(^|\/)(node_modules|sandbox-test)(\/|$)/.test(file);
  for (const folder of include) {
    cpSync(path.join(ROOT, folder), path.join(outDir, folder), {
      recursive: true,
      force: false,
      filter: (source) => statSync(source).isDirectory() || isAsset(path.relative(ROOT, source)),
    });
  }
}

async function build(outDir: string): Promise<void> {
  rmSync(outDir, { recursive: true, force: true });
  const tsc = spawnSync(
    process.execPath,
    [require.resolve('typescript/bin/tsc'), '-p', path.join(ROOT, 'tsconfig.build.json'), '--outDir', outDir],
    { stdio: 'inherit' },
  );
  if (tsc.status !== 0) throw new Error(`tsc failed (exit ${tsc.status ?? tsc.signal})`);
  copyAssets(outDir);
  mkdirSync(path.join(outDir, 'workflows'), { recursive: true });
  await writeWorkflowBundle(path.join(outDir, 'workflows', 'bundle.js'));
  // `gongflow --version` of the compiled build (cli/main.ts, gongflowVersion).
  const { version } = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
    version: string;
  };
  writeFileSync(path.join(outDir, 'cli', VERSION_FILE), `${JSON.stringify({ version })}\n`);
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
