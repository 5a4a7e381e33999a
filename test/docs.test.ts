/**
 * The README and docs say what users will type and see: their examples are checked here. Full definitions
 * must validate; step and trigger snippets must have the language's shape (their references to inputs and
 * steps outside the snippet are not checked); the README's configuration must load; and the quick start
 * prints what the README shows.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { loadConfig } from '../config/load';
import { GongflowConfigSchema } from '../config/schema';
import { compileDefinition } from '../definitions/compile';
import { runGongflow } from './support/cli';

const ROOT = path.resolve(__dirname, '..');
const DOCS = ['README.md', 'docs/language.md', 'docs/triggers.md', 'docs/semantics.md', 'docs/testing.md'];

/** Problems that mean the snippet itself is wrong, whatever surrounds it in a real definition. */
const SHAPE_CODES = new Set([
  'DEF_SYNTAX',
  'DEF_NOT_A_MAPPING',
  'DEF_UNKNOWN_KEY',
  'DEF_INVALID_VALUE',
  'DEF_MISSING_KEY',
  'DEF_UNKNOWN_STEP_KIND',
  'DEF_UNKNOWN_TRIGGER_KIND',
  'DEF_DUPLICATE_STEP_ID',
  'DEF_UNKNOWN_ACTION',
  'DEF_EXPRESSION_SYNTAX',
  'DEF_EMBEDDED_EXPRESSION',
]);

interface Block {
  file: string;
  line: number;
  lang: string;
  text: string;
}

function codeBlocks(file: string): Block[] {
  const text = readFileSync(path.join(ROOT, file), 'utf8');
  const blocks: Block[] = [];
  const fence = /^```(\w*)\n([\s\S]*?)^```/gm;
  for (let match = fence.exec(text); match; match = fence.exec(text)) {
    blocks.push({
      file,
      line: text.slice(0, match.index).split('\n').length,
      lang: match[1] ?? '',
      text: match[2] ?? '',
    });
  }
  return blocks;
}

const CONFIG_KEYS = new Set(Object.keys(GongflowConfigSchema.shape));

const yamlBlocks = DOCS.flatMap(codeBlocks).filter((block) => block.lang === 'yaml');

function problemsOf(text: string, block: Block): string[] {
  // Full definitions resolve run: paths as if they sat next to the examples they name.
  const location = path.join(ROOT, 'definitions/examples', `doc-${block.line}.yaml`);
  const result = compileDefinition(text, `${block.file}:${block.line}`, { location });
  return result.ok ? [] : result.problems.map((p) => `${p.code} at ${p.line}:${p.column}: ${p.message}`);
}

describe('the examples in the README and docs', () => {
  it.each(yamlBlocks.map((block) => [`${block.file}:${block.line}`, block] as const))(
    '%s is valid',
    (_where, block) => {
      const value: unknown = parse(block.text);
      if (value === null || value === undefined) return; // a fence with comments only
      if (Array.isArray(value)) {
        const definition = `name: doc-snippet\nversion: 1\nsteps:\n${indent(block.text)}`;
        expect(problemsOf(definition, block).filter((p) => SHAPE_CODES.has(p.split(' ')[0]!))).toEqual([]);
        return;
      }
      const record = value as Record<string, unknown>;
      if ('steps' in record && 'name' in record && /\.\.\./.test(block.text)) {
        // An outline (`steps: [...]`): its `...` stand for real lists; its shape must still hold.
        const filled = block.text
          .replace(/^steps: (\[\.\.\.\]|\.\.\.)/m, 'steps:\n  - id: noop\n    set: { ok: true }')
          .replace(/\[\.\.\.\]/g, '[]');
        expect(problemsOf(filled, block).filter((p) => SHAPE_CODES.has(p.split(' ')[0]!))).toEqual([]);
      } else if ('steps' in record && 'name' in record) {
        expect(problemsOf(block.text, block)).toEqual([]);
      } else if ('triggers' in record) {
        const definition = `name: doc-snippet\nversion: 1\n${block.text}\nsteps:\n  - id: noop\n    set: { ok: true }\n`;
        expect(problemsOf(definition, block).filter((p) => SHAPE_CODES.has(p.split(' ')[0]!))).toEqual([]);
      } else if ('cases' in record || 'steps' in record) {
        // Fixtures files: checked by the test-mode tests.
      } else if (!Object.keys(record).some((key) => CONFIG_KEYS.has(key))) {
        // Values of a step (a `set`, an output): their expressions parse.
        const definition = `name: doc-snippet\nversion: 1\nsteps:\n  - id: snippet\n    set:\n${indent(indent(indent(block.text)))}`;
        expect(problemsOf(definition, block).filter((p) => SHAPE_CODES.has(p.split(' ')[0]!))).toEqual([]);
      } else {
        // A temporal.yaml: it loads with gongflow's configuration schema.
        const dir = mkdtempSync(path.join(os.tmpdir(), 'gongflow-doc-config-'));
        writeFileSync(path.join(dir, 'temporal.yaml'), block.text);
        // Secrets come from the environment, as the README says.
        const env = {
          GONGFLOW_GONG_CLIENT_SECRET: 'x',
          GONGFLOW_CONNECTION_ACME_ACCESS_KEY_SECRET: 'x',
        };
        expect(() => loadConfig({ cwd: dir, env })).not.toThrow();
      }
    },
  );

  it('npm start prints what the README quick start shows', async () => {
    const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const shown = /```\n(▸ listUsers[\s\S]*?)```/.exec(readme)?.[1];
    expect(shown).toBeDefined();
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'gongflow-quickstart-'));
    const run = await runGongflow(['dev'], {
      cwd: dataDir,
      env: { GONGFLOW_DATA_DIR: dataDir, GONGFLOW_TASK_QUEUE: `quickstart-${path.basename(dataDir)}` },
    });
    expect(run.stderr).not.toContain('Error');
    expect(run.code).toBe(0);
    for (const line of (shown ?? '').split('\n')) {
      const step = /^([▸✓]) (\S+ \([^)]*\))/.exec(line);
      if (step) expect(run.stdout).toContain(`${step[1]} ${step[2]}`);
    }
    // The README's result line, e.g. { "total": 150, "listed": 150, "active": 149, ... }
    const result = JSON.parse(
      run.stdout.slice(run.stdout.indexOf('Result:') + 7, run.stdout.indexOf('\n}') + 2),
    ) as Record<string, unknown>;
    for (const [, key, value] of (shown ?? '').matchAll(/"(\w+)": (\d+)/g)) {
      expect({ [key!]: result[key!] }).toEqual({ [key!]: Number(value) });
    }
    expect(run.stdout).toMatch(
      /Temporal UI: http:\/\/\S+\/namespaces\/default\/workflows\/gongflow-list-users-/,
    );
  }, 180_000);
});

function indent(text: string): string {
  return text
    .split('\n')
    .map((line) => `  ${line}`)
    .join('\n');
}
