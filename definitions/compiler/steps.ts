import { STEP_MARKERS, STEP_SCHEMAS, type StepMarker, type StepSources } from '../model';
import type { StepPlan } from '../plan';
import { DEFINITION_CODES as CODES } from '../problems';
import { compileActionStep } from './actions';
import type { Compilation, CompiledStep, Scope, StepSite } from './context';
import { compileIfStep, compileParallelStep, compileSetStep, compileSwitchStep } from './control-flow';
import { compileCondition } from './expressions';
import { compileFailStep, compileSucceedStep, compileTryStep } from './failures';
import { compileHttpStep } from './http';
import { compileForEachStep } from './loops';
import { childLists, isRecord, type Path } from './raw';
import { compileRunStep } from './sub-flows';
import {
  compileApprovalStep,
  compileSleepStep,
  compileWaitForSignalStep,
  compileWaitUntilStep,
} from './waits';

/**
 * Step lists and the dispatch on a step's kind: each kind (the key that marks it) has its compiler in the
 * module of its construct family, the way the interpreter dispatches in workflows/interpreter/steps.ts.
 */
type ConstructCompiler<M extends StepMarker> = (
  c: Compilation,
  step: StepSources[M],
  site: StepSite,
) => CompiledStep;

const CONSTRUCTS: { [M in StepMarker]: ConstructCompiler<M> } = {
  action: compileActionStep,
  http: compileHttpStep,
  set: compileSetStep,
  if: compileIfStep,
  switch: compileSwitchStep,
  parallel: compileParallelStep,
  forEach: compileForEachStep,
  sleep: compileSleepStep,
  waitUntil: compileWaitUntilStep,
  waitForSignal: compileWaitForSignalStep,
  approval: compileApprovalStep,
  run: compileRunStep,
  try: compileTryStep,
  fail: compileFailStep,
  succeed: compileSucceedStep,
};

/** Compiles a list of steps in order: each step sees the steps before it; a step after fail/succeed is reported. */
export function compileSequence(
  c: Compilation,
  rawSteps: unknown[],
  path: Path,
  scope: Scope,
): { plans: StepPlan[]; exported: string[] } {
  const plans: StepPlan[] = [];
  const visible = new Set(scope.visible);
  const exported: string[] = [];
  let stoppedBy: string | undefined;
  let reported = false;
  rawSteps.forEach((raw, index) => {
    const stepPath = [...path, index];
    if (stoppedBy !== undefined && !reported) {
      c.reporter.report(
        CODES.unreachableStep,
        `this step never runs: step "${stoppedBy}" before it always ends the run`,
        stepPath,
        `Remove it, or put "${stoppedBy}" under an if: so the run can go on.`,
      );
      reported = true;
    }
    const compiled = compileStep(c, raw, stepPath, { ...scope, visible });
    if (compiled.plan) plans.push(compiled.plan);
    for (const id of compiled.exported) {
      visible.add(id);
      exported.push(id);
    }
    if (
      stoppedBy === undefined &&
      isRecord(raw) &&
      ('fail' in raw || 'succeed' in raw) &&
      raw['when'] === undefined
    )
      stoppedBy = typeof raw['id'] === 'string' ? raw['id'] : `#${index}`;
  });
  return { plans, exported };
}

function compileStep(c: Compilation, raw: unknown, path: Path, outer: Scope): CompiledStep {
  const reporter = c.reporter;
  if (!isRecord(raw)) {
    reporter.report(
      CODES.invalidValue,
      'a step is a mapping',
      path,
      `Write the step as \`- id: ...\` with one of: ${STEP_MARKERS.join(', ')}.`,
    );
    return { exported: [] };
  }
  const markers = STEP_MARKERS.filter((marker) => marker in raw);
  const rawId = typeof raw['id'] === 'string' ? raw['id'] : undefined;
  if (markers.length !== 1) {
    reporter.report(
      CODES.unknownStepKind,
      markers.length === 0
        ? `step ${rawId ?? `#${String(path.at(-1))}`} has no kind`
        : `step has several kinds: ${markers.join(', ')}`,
      path,
      `Give the step exactly one of: ${STEP_MARKERS.join(', ')}.`,
    );
    return { exported: rawId ? [rawId] : [] };
  }
  const marker = markers[0] as StepMarker;
  if (marker === 'forEach' && !('maxItems' in raw)) {
    reporter.report(
      CODES.unboundedLoop,
      `forEach step ${rawId ?? ''} has no maxItems: the loop is unbounded`,
      path,
      'Add maxItems: the most items the list may hold (a longer list fails the step instead of running forever).',
    );
  }
  const parsed = STEP_SCHEMAS[marker].safeParse(raw);
  const declared = rawId ? c.declared.get(rawId) : undefined;
  const scope: Scope = {
    ...outer,
    order: declared && declared.path.join('.') === path.join('.') ? declared.order : outer.order,
  };
  if (!parsed.success) {
    reporter.reportZodIssues(
      parsed.error.issues.filter(
        (issue) => !(marker === 'forEach' && issue.path[0] === 'maxItems' && !('maxItems' in raw)),
      ),
      path,
    );
    // Keep going inside, so one run shows every problem.
    const exported: string[] = rawId ? [rawId] : [];
    for (const child of childLists(raw, marker)) {
      if (Array.isArray(child.list)) compileSequence(c, child.list, [...path, ...child.path], scope);
    }
    return { exported };
  }
  const step = parsed.data;
  const at = reporter.at(path);
  const when = step.when === undefined ? undefined : compileCondition(c, step.when, [...path, 'when'], scope);
  const common = {
    id: step.id,
    ...(step.title ? { title: step.title } : {}),
    ...(at ? { at } : {}),
    ...(when ? { when } : {}),
    ...(step.timeout !== undefined ? { timeoutMs: step.timeout } : {}),
  };
  const construct = CONSTRUCTS[marker] as ConstructCompiler<StepMarker>;
  return construct(c, step, { path, common, scope, own: [step.id] });
}
