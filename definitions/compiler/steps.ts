import { STEP_MARKERS, STEP_SCHEMAS, type StepMarker, type StepSources } from '../model';
import type { StepPlan } from '../plan';
import { closest, DEFINITION_CODES as CODES } from '../problems';
import { compileActionStep } from './actions';
import type { Compilation, CompiledStep, Scope, StepSite } from './context';
import { compileIfStep, compileParallelStep, compileSetStep, compileSwitchStep } from './control-flow';
import { compileCondition } from './expressions';
import { compileFailStep, compileSucceedStep, compileTryStep } from './failures';
import { compileHttpStep } from './http';
import { compileForEachStep } from './loops';
import { isRecord, type Path } from './raw';
import { recover, type Recovered } from './shape';
import { compileRunStep } from './sub-flows';
import { StepLayer } from './visibility';
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
  step: Recovered<StepSources[M]>,
  site: StepSite,
) => CompiledStep;

/** forEach without maxItems is reported as an unbounded loop, not as a missing key. */
const UNBOUNDED_REPORTED: ReadonlySet<string> = new Set(['maxItems']);

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
  const visible = new StepLayer(scope.visible);
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
  const writtenId = reporter.rawAt([...path, 'id']);
  const rawId = typeof writtenId === 'string' ? writtenId : undefined;
  if (markers.length !== 1) {
    reporter.report(
      CODES.unknownStepKind,
      markers.length === 0
        ? `step ${rawId ?? `#${String(path.at(-1))}`} has no kind`
        : `step has several kinds: ${markers.join(', ')}`,
      path,
      markers.length === 0 ? kindHint(raw) : `Split it into one step per kind: ${markers.join(', ')}.`,
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
  const declared = rawId ? c.declared.get(rawId) : undefined;
  const scope: Scope = {
    ...outer,
    order: declared && declared.path.join('.') === path.join('.') ? declared.order : outer.order,
  };
  // A step whose shape is wrong is still checked in every part that is right (one pass, every problem).
  const step = (recover(reporter, STEP_SCHEMAS[marker], raw, path, {
    ...(marker === 'forEach' ? { ignoreMissing: UNBOUNDED_REPORTED } : {}),
  }).value ?? {}) as Recovered<StepSources[StepMarker]>;
  const at = reporter.at(path);
  const when =
    typeof step.when === 'string' ? compileCondition(c, step.when, [...path, 'when'], scope) : undefined;
  const common = {
    id: step.id ?? rawId ?? '',
    ...(step.title ? { title: step.title } : {}),
    ...(at ? { at } : {}),
    ...(when ? { when } : {}),
    ...(step.timeout !== undefined ? { timeoutMs: step.timeout } : {}),
  };
  const construct = CONSTRUCTS[marker] as ConstructCompiler<StepMarker>;
  return construct(c, step, { path, common, scope, own: rawId ? [rawId] : [] });
}

/** Keys every kind of step may have: the others name the kind. */
const COMMON_KEYS = new Set(['id', 'title', 'when', 'timeout', 'retry', 'attemptTimeout']);

/** What authors coming from other tools write instead of a kind. */
const KINDS_ELSEWHERE: Record<string, StepMarker> = {
  uses: 'action',
  call: 'action',
  with: 'action',
  request: 'http',
  wait: 'sleep',
  delay: 'sleep',
  for: 'forEach',
  loop: 'forEach',
  map: 'forEach',
  steps: 'forEach',
  branches: 'parallel',
  cases: 'switch',
  signal: 'waitForSignal',
  approve: 'approval',
  raise: 'fail',
  throw: 'fail',
  return: 'succeed',
  assign: 'set',
  vars: 'set',
};

/** A did-you-mean for a step without a kind: a misspelt kind, or a key from another tool. */
function kindHint(raw: Record<string, unknown>): string {
  for (const key of Object.keys(raw)) {
    if (COMMON_KEYS.has(key)) continue;
    const suggestion = KINDS_ELSEWHERE[key] ?? closest(key, STEP_MARKERS);
    if (suggestion)
      return `Did you mean "${suggestion}:" instead of "${key}:"? A step has exactly one of: ${STEP_MARKERS.join(', ')}.`;
  }
  return `Give the step exactly one of: ${STEP_MARKERS.join(', ')}.`;
}
