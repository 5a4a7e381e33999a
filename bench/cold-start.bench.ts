import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import path from 'node:path';
import { reportBenchmark } from './sections';

/**
 * Cold start of the `gongflow` command (`npx tsx bench/cold-start.bench.ts`): a fresh process per
 * invocation, from the TypeScript sources through tsx and from the compiled build (`npm run build`, built
 * here into a scratch folder). Baseline: a Node process that does nothing. Median of 9 runs, interleaved.
 */
const ROOT = path.resolve(__dirname, '..');
const RUNS = 9;
const EXAMPLE = path.join(ROOT, 'definitions/examples/list-users.yaml');

const LAUNCH_BUILD =
  "require(process.argv[1]).main(['node', 'gongflow', ...process.argv.slice(2)]).then((code) => (process.exitCode = code))";

function timed(args: string[], env: Record<string, string> = {}): number {
  const start = process.hrtime.bigint();
  const result = spawnSync(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: 'ignore',
  });
  if (result.status !== 0) throw new Error(`${args.join(' ')} exited with ${result.status}`);
  return Number(process.hrtime.bigint() - start) / 1e6;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
}

function main(): void {
  mkdirSync(path.join(ROOT, '.gongflow'), { recursive: true });
  const out = mkdtempSync(path.join(ROOT, '.gongflow', 'bench-build-'));
  try {
    const build = spawnSync(process.execPath, ['--require', 'tsx/cjs', 'scripts/build.ts', '--out', out], {
      cwd: ROOT,
      stdio: 'inherit',
    });
    if (build.status !== 0) throw new Error('the build failed');
    const commands: Array<[string, string[]]> = [
      ['`gongflow --help`', ['--help']],
      ['`gongflow validate list-users.yaml`', ['validate', EXAMPLE]],
    ];
    const rows: string[] = [];
    const node: number[] = [];
    const samples = commands.map(() => ({ sources: [] as number[], built: [] as number[] }));
    for (let run = 0; run < RUNS; run += 1) {
      node.push(timed(['-e', '0']));
      commands.forEach(([, args], index) => {
        samples[index]!.sources.push(
          timed([path.join(ROOT, 'bin/gongflow.cjs'), ...args], { GONGFLOW_FROM_SOURCES: '1' }),
        );
        samples[index]!.built.push(timed(['-e', LAUNCH_BUILD, path.join(out, 'cli/main.js'), ...args]));
      });
    }
    commands.forEach(([label], index) => {
      const { sources, built } = samples[index]!;
      rows.push(`| ${label} | ${ms(median(sources))} | ${ms(median(built))} | ${ms(median(node))} |`);
    });
    reportBenchmark(
      'CLI cold start',
      `Wall time of one \`gongflow\` process, median of ${RUNS} runs interleaved
(\`npx tsx bench/cold-start.bench.ts\`). "Sources": the TypeScript through tsx (what \`bin/gongflow.cjs\` runs
without a build); "compiled": \`npm run build\` output (what it runs when \`dist/\` exists, and what the
Docker image runs). Baseline: \`node -e 0\`, a Node process that does nothing, on the same machine.

| command | sources (tsx) | compiled (dist/) | Node alone |
| ------- | ------------- | ---------------- | ---------- |
${rows.join('\n')}

Before the compiled build and on-demand command modules (main at 4aef54e, 2026-12-02, every command module
loaded through tsx on every start; 5 runs interleaved with the build's, load average ~15 on 2 cores):
\`gongflow --help\` 3.2–7.5 s (build: 0.12–0.35 s), \`gongflow validate list-users.yaml\` 3.6–6.1 s (build:
0.95–1.6 s). Goal: under 0.5 s. \`--help\` meets it; \`validate\` meets it only on a quieter machine (0.44 s
at load ~10): it must load the definition compiler (zod schemas of the whole Gong catalog, CEL, YAML), about
five times a bare Node start, which the ratio to "Node alone" shows on any machine.`,
    );
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

function ms(value: number): string {
  return `${Math.round(value).toLocaleString('en-US')} ms`;
}

main();
