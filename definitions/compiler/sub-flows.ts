import { readFileSync } from 'node:fs';
import nodePath from 'node:path';
import { readFailureReason } from '../../core/errors';
import type { Recovered } from './shape';
import type { StepSources } from '../model';
import type { Plan } from '../plan';
import { closest, DEFINITION_CODES as CODES } from '../problems';
import type { Compilation, CompiledStep, StepSite } from './context';
import { compileValue } from './expressions';
import type { Path } from './raw';
import { renamedKeys } from './renames';

/**
 * The file a `run:` step names: relative to the definition that names it (never to the working directory
 * or a definitions folder), so a definition means the same wherever it is validated, listed or run.
 */
export function resolveRunPath(referencingFile: string, runPath: string): string {
  return nodePath.resolve(nodePath.dirname(nodePath.resolve(referencingFile)), runPath);
}

/** `run:` steps: the child definition is compiled (cycles refused) and embedded in this plan. */
export function compileRunStep(
  c: Compilation,
  step: Recovered<StepSources['run']>,
  site: StepSite,
): CompiledStep {
  const { path } = site;
  const reporter = c.reporter;
  const input = compileValue(c, step.with ?? {}, [...path, 'with'], site.scope);
  if (step.run === undefined) return { exported: site.own };
  const self = nodePath.resolve(c.options.location ?? c.file);
  const childFile = resolveRunPath(self, step.run);
  const ancestors = [...(c.options.ancestors ?? []), self];
  if (ancestors.includes(childFile)) {
    reporter.report(
      CODES.runCycle,
      `running ${step.run} here makes a cycle: ${[...ancestors, childFile].map((file) => nodePath.basename(file)).join(' -> ')}`,
      [...path, 'run'],
      'A definition cannot run itself, directly or through others: break the cycle.',
    );
    return { exported: site.own };
  }
  let text: string;
  try {
    text = (c.options.readFile ?? ((file: string) => readFileSync(file, 'utf8')))(childFile);
  } catch (error) {
    reporter.report(
      CODES.runNotFound,
      `cannot read ${step.run}: ${readFailureReason(error)}`,
      [...path, 'run'],
      'The path is relative to this definition file.',
    );
    return { exported: site.own };
  }
  // Shown as the parent is: relative to the same base (the working directory, or the API's folder).
  const childName = nodePath.normalize(nodePath.join(nodePath.dirname(c.file), step.run));
  const child = c.compileFile(text, childName, { ...c.options, ancestors, location: childFile });
  if (!child.ok) {
    reporter.report(
      CODES.runInvalid,
      `${step.run} has ${child.problems.length} problem(s); the first: ${child.problems[0]?.code ?? ''} ${child.problems[0]?.message ?? ''}`,
      [...path, 'run'],
      `Fix ${childName} (validate it on its own for the full list).`,
    );
    reporter.problems.push(...child.problems.filter((problem) => problem.code !== CODES.missingScope));
    return { exported: site.own };
  }
  reporter.warnings.push(...child.warnings);
  const { source: _source, ...childPlan } = child.plan;
  checkRunInput(c, child.plan, step.with ?? {}, [...path, 'with']);
  return { plan: { ...site.common, kind: 'run', plan: childPlan, input }, exported: site.own };
}

function checkRunInput(c: Compilation, child: Plan, given: Record<string, unknown>, path: Path): void {
  const names = Object.keys(child.input);
  const unknown = Object.keys(given).filter((key) => !(key in child.input));
  const absent = names.filter((name) => !(name in given));
  const renamed = renamedKeys(
    unknown,
    absent,
    absent.filter((name) => child.input[name]?.required),
  );
  for (const key of unknown) {
    const suggestion = renamed.get(key) ?? closest(key, names);
    c.reporter.report(
      CODES.runInvalid,
      `${child.name} has no input "${key}"`,
      [...path, key],
      suggestion ? `Did you mean "${suggestion}"?` : `Its inputs are: ${names.join(', ') || '(none)'}.`,
      true,
    );
  }
  const standsFor = new Set(renamed.values());
  for (const [name, field] of Object.entries(child.input)) {
    if (field.required && !(name in given) && !standsFor.has(name)) {
      c.reporter.report(
        CODES.runInvalid,
        `${child.name} needs input "${name}"`,
        path,
        `Add "${name}" under with:.`,
      );
    }
  }
}
