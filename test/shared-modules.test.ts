import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { workflowBundle } from '../workers/bundle';

const ROOT = path.resolve(__dirname, '..');
const WORKFLOWS = path.join(ROOT, 'workflows');
const SHARED = path.join(WORKFLOWS, 'shared-modules.ts');
/** Patches of the sandbox the shared modules apply: thread-wide by design, and importing nothing. */
const SANDBOX_PATCHES = [path.join(WORKFLOWS, 'async-local-storage.ts')];

/** Packages that hold a run's state at module level: shared by every run, they would leak between runs. */
const PER_RUN_PACKAGES = ['@temporalio/workflow', '@opentelemetry/api'];

const SPECIFIER = /(?:from\s+|import\s*\(\s*|require\s*\(\s*)['"]([^'"]+)['"]/g;

function specifiers(file: string): string[] {
  return [...readFileSync(file, 'utf8').matchAll(SPECIFIER)].map((match) => match[1]!);
}

function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

function packageDependencies(name: string): string[] {
  const manifest = path.join(ROOT, 'node_modules', name, 'package.json');
  if (!existsSync(manifest)) return [];
  const { dependencies = {}, peerDependencies = {} } = JSON.parse(readFileSync(manifest, 'utf8')) as {
    dependencies?: Record<string, string>;
    peerDependencies?: Record<string, string>;
  };
  return [...Object.keys(dependencies), ...Object.keys(peerDependencies)];
}

/** Every source file and package the shared modules load, with the chain that reaches each. */
function importGraph(): Map<string, string[]> {
  const reached = new Map<string, string[]>([[SHARED, [path.relative(ROOT, SHARED)]]]);
  const queue = [SHARED];
  const visit = (key: string, chain: string[]) => {
    if (reached.has(key)) return;
    reached.set(key, chain);
    queue.push(key);
  };
  while (queue.length > 0) {
    const current = queue.shift()!;
    const chain = reached.get(current)!;
    if (!current.startsWith('/')) {
      for (const dependency of packageDependencies(current)) visit(dependency, [...chain, dependency]);
      continue;
    }
    for (const specifier of specifiers(current)) {
      if (specifier.startsWith('.')) {
        const file = `${path.resolve(path.dirname(current), specifier)}.ts`;
        visit(file, [...chain, path.relative(ROOT, file)]);
      } else {
        visit(packageName(specifier), [...chain, packageName(specifier)]);
      }
    }
  }
  return reached;
}

describe('modules shared by every run of a workflow thread', () => {
  it('import nothing that holds per-run state', () => {
    const graph = importGraph();
    expect(graph.has(path.join(ROOT, 'definitions', 'expressions.ts'))).toBe(true);
    const offending = [...graph]
      .filter(
        ([key]) =>
          PER_RUN_PACKAGES.includes(key) ||
          (key.startsWith(WORKFLOWS) &&
            key !== SHARED &&
            !SANDBOX_PATCHES.includes(key) &&
            !key.endsWith('.test.ts')),
      )
      .map(([, chain]) => chain.join(' -> '));
    expect(offending).toEqual([]);
    for (const patch of SANDBOX_PATCHES) {
      expect(graph.has(patch)).toBe(true);
      expect(specifiers(patch)).toEqual([]);
    }
  });

  it('are loaded by the bundle once per thread, not dropped by the bundler', async () => {
    const { code } = await workflowBundle();
    const preload = /exports\.preloadModules = function preloadModules\(\) \{([\s\S]*?)\n\}/.exec(code)?.[1];
    expect(preload).toContain('"./workflows/shared-modules.ts"');
    // The module keeps its imports: packages marked free of side effects are dropped when unused.
    const shared = code.slice(code.indexOf('/***/ "./workflows/shared-modules.ts"'));
    const body = shared.slice(0, shared.indexOf('\n/***/ "', 10));
    expect(body).toContain('@opentelemetry/semantic-conventions');
    expect(body).toContain('./definitions/expressions.ts');
    expect(body).toContain('./workflows/async-local-storage.ts');
  }, 120_000);
});
