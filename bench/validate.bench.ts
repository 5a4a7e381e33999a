import { parseDocument } from 'yaml';
import { stringify } from 'yaml';
import { compileDefinition } from '../definitions/compile';

/**
 * Validation time of a generated 1,000-step definition (`npx tsx bench/validate.bench.ts`): a realistic mix
 * of Gong actions, variables, conditions, loops and HTTP calls, each step reading earlier ones, so every
 * check runs (references, CEL types against catalog output schemas, action inputs). Compared with parsing
 * the YAML alone, which every validator has to do anyway.
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

function time(runs: number, fn: () => void): number {
  const samples: number[] = [];
  for (let run = 0; run < runs; run += 1) {
    const start = process.hrtime.bigint();
    fn();
    samples.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return median(samples);
}

export interface ValidationBenchmark {
  steps: number;
  bytes: number;
  lines: number;
  validateMs: number;
  perStepUs: number;
  parseMs: number;
  ratio: number;
}

export function runValidationBenchmark(runs = 7): ValidationBenchmark {
  const text = generateDefinition();
  const result = compileDefinition(text, 'bench.yaml');
  if (!result.ok)
    throw new Error(`the generated definition is invalid: ${JSON.stringify(result.problems.slice(0, 3))}`);
  // Warm up the JIT and the shared catalog types, as a long-running CLI or API server would be.
  time(2, () => compileDefinition(text, 'bench.yaml'));
  const validateMs = time(runs, () => compileDefinition(text, 'bench.yaml'));
  const parseMs = time(runs, () => parseDocument(text));
  return {
    steps: STEPS,
    bytes: Buffer.byteLength(text),
    lines: text.split('\n').length,
    validateMs,
    perStepUs: (validateMs * 1000) / STEPS,
    parseMs,
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
      `node ${process.version}, ${process.platform}/${process.arch}`,
      '',
    ].join('\n'),
  );
}
