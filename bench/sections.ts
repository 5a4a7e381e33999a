import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const FILE = path.resolve(__dirname, '../BENCHMARKS.md');
const HEADER = `# Benchmarks

Measured with \`npm run bench\` (each benchmark writes its own section). Results are ratios where a
baseline exists, so they compare across machines; absolute numbers are for the machine named in each
section. Tests never assert wall-clock times: these numbers live here only.
`;

/** Replaces (or appends) the section `## <title>` of BENCHMARKS.md, leaving other sections alone. */
export function writeBenchmarkSection(title: string, body: string): void {
  const current = existsSync(FILE) ? readFileSync(FILE, 'utf8') : HEADER;
  const machine = `_Measured ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC on ${os.cpus().length} × ${os.cpus()[0]?.model.trim() ?? 'cpu'}, Node ${process.version}, load average ${loadAverage()} at the end (\`uptime\`: 1, 5, 15 min)._`;
  const section = `## ${title}\n\n${machine}\n\n${body.trim()}\n`;
  const pattern = new RegExp(`## ${escape(title)}\\n[\\s\\S]*?(?=\\n## |$)`);
  const next = pattern.test(current)
    ? current.replace(pattern, `${section.trimEnd()}\n`)
    : `${current.trimEnd()}\n\n${section}`;
  writeFileSync(FILE, next.endsWith('\n') ? next : `${next}\n`);
  // Benchmarks build tables from numbers: format them the way `npm test` checks the file.
  execFileSync(process.execPath, [require.resolve('prettier/bin/prettier.cjs'), '--write', FILE], {
    stdio: 'ignore',
  });
}

/** With `--write` (as `npm run bench` runs each benchmark) replaces the section; otherwise prints it. */
export function reportBenchmark(title: string, body: string): void {
  if (process.argv.includes('--write')) writeBenchmarkSection(title, body);
  else process.stdout.write(`\n## ${title}\n\n${body.trim()}\n`);
}

/** The machine's load as `uptime` shows it (1, 5 and 15 minutes). */
export function loadAverage(): string {
  return os
    .loadavg()
    .map((value) => value.toFixed(2))
    .join(', ');
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
