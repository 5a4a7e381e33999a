import { parseDocument } from 'yaml';
import { stringify } from 'yaml';
import { parseSource } from '../core/yaml-source';
import { compileDefinition } from '../definitions/compile';

/**
 * Validation time of a generated 1,000-step definition (`npx tsx bench/validate.bench.ts`): a realistic mix
 * of Gong actions, variables, conditions, loops and HTTP calls, each step reading earlier ones, so every
 * check runs (references, CEL types against catalog output schemas, action inputs). Compared with parsing
 * the YAML alone with the `yaml` package's document model (the baseline every table of BENCHMARKS.md uses). Also
 * timed, not part of the ratio: gongflow's own parse (values and line positions, from js-yaml's events for
 * common YAML), where validation starts from, and what validation spends after it.
 */
export const STEPS = 1_000;

export function generateDefinition(steps = STEPS): string {
  const list: unknown[] = [];
  for (let index = 0; list.length < steps; index += 1) {
    const previous = list.length > 0 ? `s${list.length - 1}` : undefined;
    switch (index % 5) {
      case 0:
        list.push({
          id: `s${list.length}`,
          action: 'gong.users.list',
          with: { includeAvatars: '${{ input.avatars }}' },
        });
        break;
      case 1:
        list.push({
          id: `s${list.length}`,
          set: {
            [`count${index}`]: `\${{ size(steps.s${list.length - 1}.output.users.filter(u, u.active == true)) }}`,
            [`first${index}`]: `\${{ steps.s${list.length - 1}.output.users[0].emailAddress }}`,
          },
        });
        break;
      case 2:
        list.push({
          id: `s${list.length}`,
          if: `\${{ vars.count${index - 1} > 0 }}`,
          then: [{ id: `t${index}`, sleep: '1s' }],
          else: [{ id: `e${index}`, fail: '${{ "no active users: " + input.team }}' }],
        });
        break;
      case 3:
        list.push({
          id: `s${list.length}`,
          forEach: `\${{ steps.s${list.length - 3}.output.users }}`,
          as: 'user',
          maxItems: 500,
          concurrency: 4,
          steps: [
            { id: `u${index}`, set: { [`name${index}`]: '${{ user.firstName + " " + user.lastName }}' } },
          ],
        });
        break;
      default:
        list.push({
          id: `s${list.length}`,
          http: {
            url: '${{ secrets.webhookUrl }}',
            body: { text: `\${{ "step ${index} after " + string(size(steps.${previous}.output)) }}` },
          },
        });
    }
  }
  return stringify({
    name: 'bench',
    version: 1,
    input: { avatars: { type: 'boolean', default: false }, team: { type: 'string', default: 'sales' } },
    steps: list,
    output: { last: `\${{ steps.s${steps - 1}.output.status }}` },
  });
}

function median(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

function elapsedMs(fn: () => void): number {
  const start = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

/**
 * Median time of each function over `runs` rounds, the functions taking turns within each round: on a shared
 * machine the load changes from second to second, and a ratio is only fair when both sides saw the same load.
 */
function timeInterleaved<K extends string>(runs: number, fns: Record<K, () => void>): Record<K, number> {
  const samples = Object.fromEntries(Object.keys(fns).map((key) => [key, [] as number[]])) as Record<
    K,
    number[]
  >;
  for (let run = 0; run < runs; run += 1)
    for (const key of Object.keys(fns) as K[]) samples[key].push(elapsedMs(fns[key]));
  return Object.fromEntries(
    Object.entries(samples).map(([key, list]) => [key, median(list as number[])]),
  ) as Record<K, number>;
}

export interface ValidationBenchmark {
  steps: number;
  bytes: number;
  lines: number;
  validateMs: number;
  perStepUs: number;
  parseMs: number;
  /** parseSource: the YAML parse with line positions and the values (what compileDefinition starts with). */
  sourceMs: number;
  ratio: number;
}

export function runValidationBenchmark(runs = 7): ValidationBenchmark {
  const text = generateDefinition();
  const result = compileDefinition(text, 'bench.yaml');
  if (!result.ok)
    throw new Error(`the generated definition is invalid: ${JSON.stringify(result.problems.slice(0, 3))}`);
  // Warm up the JIT and the shared catalog types, as a long-running CLI or API server would be.
  for (let run = 0; run < 2; run += 1) compileDefinition(text, 'bench.yaml');
  const {
    validate: validateMs,
    parse: parseMs,
    source: sourceMs,
  } = timeInterleaved(runs, {
    validate: () => compileDefinition(text, 'bench.yaml'),
    parse: () => parseDocument(text),
    source: () => parseSource(text, 'bench.yaml'),
  });
  return {
    steps: STEPS,
    bytes: Buffer.byteLength(text),
    lines: text.split('\n').length,
    validateMs,
    perStepUs: (validateMs * 1000) / STEPS,
    parseMs,
    sourceMs,
    ratio: validateMs / parseMs,
  };
}

if (require.main === module) {
  const result = runValidationBenchmark();
  process.stdout.write(
    [
      `definition: ${result.steps} top-level steps (${result.lines} lines, ${(result.bytes / 1024).toFixed(0)} KiB of YAML)`,
      `validate + compile: ${result.validateMs.toFixed(1)} ms (median of 7), ${result.perStepUs.toFixed(0)} µs per step`,
      `YAML parse alone:   ${result.parseMs.toFixed(1)} ms, validation = ${result.ratio.toFixed(1)}x parsing`,
      `gongflow's parse:   ${result.sourceMs.toFixed(1)} ms with positions and values (not in the ratio), ` +
        `${(result.sourceMs / result.parseMs).toFixed(2)}x the YAML parse`,
      // What comes after gongflow's own parse: the checking and compiling, measured against the same baseline.
      `checks + compile:   ~${(result.validateMs - result.sourceMs).toFixed(1)} ms after gongflow's parse, ` +
        `${((result.validateMs - result.sourceMs) / result.parseMs).toFixed(2)}x the YAML parse`,
      `node ${process.version}, ${process.platform}/${process.arch}`,
      '',
    ].join('\n'),
  );
}
