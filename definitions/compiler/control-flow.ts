import type { Recovered } from './shape';
import type { StepSources } from '../model';
import type { Compilation, CompiledStep, StepSite } from './context';
import { compileCondition, compileValue } from './expressions';

/** `set`, `if`, `switch` and `parallel`: variables, branches and branches at the same time. */

export function compileSetStep(
  c: Compilation,
  step: Recovered<StepSources['set']>,
  site: StepSite,
): CompiledStep {
  const vars = Object.fromEntries(
    Object.entries(step.set ?? {}).map(([name, value]) => [
      name,
      compileValue(c, value, [...site.path, 'set', name], site.scope),
    ]),
  );
  return { plan: { ...site.common, kind: 'set', vars }, exported: site.own };
}

export function compileIfStep(
  c: Compilation,
  step: Recovered<StepSources['if']>,
  site: StepSite,
): CompiledStep {
  const { path, scope } = site;
  const condition = step.if === undefined ? undefined : compileCondition(c, step.if, [...path, 'if'], scope);
  const then = c.sequence(step.then ?? [], [...path, 'then'], scope);
  const otherwise = c.sequence(step.else ?? [], [...path, 'else'], scope);
  return {
    plan: condition && { ...site.common, kind: 'if', condition, then: then.plans, else: otherwise.plans },
    exported: [...site.own, ...then.exported, ...otherwise.exported],
  };
}

export function compileSwitchStep(
  c: Compilation,
  step: Recovered<StepSources['switch']>,
  site: StepSite,
): CompiledStep {
  const { path, scope } = site;
  const exported = [...site.own];
  const cases = (step.switch ?? []).map((branch, index) => {
    const casePath = [...path, 'switch', index];
    const condition =
      branch?.when === undefined ? undefined : compileCondition(c, branch.when, [...casePath, 'when'], scope);
    const steps = c.sequence(branch?.steps ?? [], [...casePath, 'steps'], scope);
    exported.push(...steps.exported);
    return { when: condition ?? { expr: 'false' }, steps: steps.plans };
  });
  const fallback = c.sequence(step.default ?? [], [...path, 'default'], scope);
  exported.push(...fallback.exported);
  return { plan: { ...site.common, kind: 'switch', cases, default: fallback.plans }, exported };
}

export function compileParallelStep(
  c: Compilation,
  step: Recovered<StepSources['parallel']>,
  site: StepSite,
): CompiledStep {
  const mode = step.mode ?? 'all';
  const inner: string[] = [];
  const branches = Object.entries(step.parallel ?? {}).map(([branchId, steps]) => {
    // Sibling branches run at the same time: a branch sees only what was visible before the parallel.
    const compiled = c.sequence(steps ?? [], [...site.path, 'parallel', branchId], site.scope);
    inner.push(...compiled.exported);
    return { id: branchId, steps: compiled.plans };
  });
  // After `all`, every branch has completed; after race/settled some may not have: read the step output.
  return {
    plan: { ...site.common, kind: 'parallel', mode, branches },
    exported: mode === 'all' ? [...site.own, ...inner] : site.own,
  };
}
