import { PLAN_FORMAT_VERSION, type Plan, type StepPlan } from '../../definitions/plan';

const KINDS = new Set([
  'action',
  'http',
  'set',
  'if',
  'switch',
  'parallel',
  'forEach',
  'sleep',
  'waitUntil',
  'waitForSignal',
  'run',
  'try',
  'fail',
  'succeed',
]);

/**
 * A structural check of a plan before anything runs, so a hand-crafted or incompatible plan fails the run
 * with InvalidPlanError at once instead of halfway, or worse, as a workflow task that retries forever.
 */
export function planProblem(plan: unknown): string | undefined {
  if (typeof plan !== 'object' || plan === null) return 'the plan is not an object';
  const candidate = plan as Partial<Plan>;
  if (candidate.formatVersion !== PLAN_FORMAT_VERSION)
    return `plan format ${String(candidate.formatVersion)} is not ${PLAN_FORMAT_VERSION}; recompile the definition`;
  if (typeof candidate.input !== 'object' || candidate.input === null) return 'input declaration missing';
  return stepsProblem(candidate.steps, 'steps') ?? stepsProblem(candidate.onFailure ?? [], 'onFailure');
}

function stepsProblem(steps: unknown, where: string): string | undefined {
  if (!Array.isArray(steps)) return `${where} is not a list`;
  for (const [index, step] of (steps as unknown[]).entries()) {
    const problem = stepProblem(step, `${where}[${index}]`);
    if (problem) return problem;
  }
  return undefined;
}

function stepProblem(value: unknown, where: string): string | undefined {
  if (typeof value !== 'object' || value === null) return `${where} is not a step`;
  const step = value as StepPlan;
  if (typeof step.id !== 'string' || step.id === '') return `${where} has no id`;
  if (!KINDS.has(step.kind)) return `${where} (${step.id}) has unknown kind "${String(step.kind)}"`;
  const at = `${where} (${step.id})`;
  switch (step.kind) {
    case 'if':
      return stepsProblem(step.then, `${at}.then`) ?? stepsProblem(step.else, `${at}.else`);
    case 'switch':
      if (!Array.isArray(step.cases)) return `${at}.cases is not a list`;
      for (const [index, branch] of step.cases.entries()) {
        const problem = stepsProblem(branch?.steps, `${at}.cases[${index}]`);
        if (problem) return problem;
      }
      return stepsProblem(step.default, `${at}.default`);
    case 'parallel':
      if (!['all', 'race', 'settled'].includes(step.mode))
        return `${at} has unknown mode "${String(step.mode)}"`;
      if (!Array.isArray(step.branches)) return `${at}.branches is not a list`;
      for (const branch of step.branches) {
        const problem = stepsProblem(branch?.steps, `${at}.${String(branch?.id)}`);
        if (problem) return problem;
      }
      return undefined;
    case 'forEach':
      if (!(step.concurrency >= 1) || !(step.maxItems >= 0))
        return `${at} needs concurrency ≥ 1 and maxItems ≥ 0`;
      if (typeof step.as !== 'string') return `${at} has no item name (as)`;
      return stepsProblem(step.steps, `${at}.steps`);
    case 'try':
      return (
        stepsProblem(step.steps, `${at}.steps`) ??
        (step.catch ? stepsProblem(step.catch.steps, `${at}.catch`) : undefined) ??
        stepsProblem(step.finally ?? [], `${at}.finally`)
      );
    case 'run':
      return planProblem(step.plan);
    case 'sleep':
      return typeof step.durationMs === 'number' && step.durationMs >= 0
        ? undefined
        : `${at} needs durationMs ≥ 0`;
    case 'waitForSignal':
      return typeof step.signal === 'string' && typeof step.timeoutMs === 'number'
        ? undefined
        : `${at} needs a signal name and timeoutMs`;
    default:
      return undefined;
  }
}
