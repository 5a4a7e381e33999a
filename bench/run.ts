/**
 * `npm run bench`: runs every `bench/*.bench.ts` one after the other (benchmarks must not share the two
 * cores with each other), each in its own process. Each benchmark writes its own section of BENCHMARKS.md.
 * `npm run bench -- validate` runs only the benchmarks whose file name contains "validate".
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';

const filters = process.argv.slice(2);
const files = readdirSync(__dirname)
  .filter((file) => file.endsWith('.bench.ts'))
  .filter((file) => filters.length === 0 || filters.some((filter) => file.includes(filter)))
  .sort();

let failed = 0;
for (const file of files) {
  process.stdout.write(`\n== ${file}\n`);
  // `--write`: each benchmark replaces its own section of BENCHMARKS.md.
  const result = spawnSync(
    process.execPath,
    ['--require', 'tsx/cjs', path.join(__dirname, file), '--write'],
    {
      stdio: 'inherit',
    },
  );
  if (result.status !== 0) failed += 1;
}
process.stdout.write(
  `\n${files.length - failed} benchmark(s) passed, ${failed} failed; results in BENCHMARKS.md\n`,
);
process.exitCode = failed > 0 ? 1 : 0;
