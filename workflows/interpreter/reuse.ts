import type { StepPlan } from '../../definitions/plan';
import type { Frame } from './frame';
import type { RecordedStep, ResumedAt } from './record';

/**
 * What a rerun takes over from the run it reruns (`POST /v1/runs/{id}/rerun`): the record of its steps,
 * and for steps that failed inside a child workflow (a sub-flow, a forEach batch) the child's own record.
 * See docs/semantics.md, "Rerun".
 */
export interface RerunArgs {
  /** The run this one reruns. */
  of: string;
  /** Steps of that run by path; only `completed` and `skipped` ones are reused. */
  steps: Record<string, RecordedStep>;
  /** Failed steps that ran in a child workflow: what to reuse inside it, by the step's path. */
  children?: Record<string, RerunArgs>;
  /** That run continued as new: top-level steps before `nextStep` completed in an earlier history. */
  resumedAt?: ResumedAt;
}

/** Steps of onFailure handle this run's failure: they always run again. */
const ON_FAILURE_PREFIX = 'onFailure/';

export class Reuse {
  constructor(private readonly args: RerunArgs) {}

  get of(): string {
    return this.args.of;
  }

  /** The recorded outcome to reuse for the step at `path`, when it completed (or was skipped). */
  step(path: string): RecordedStep | undefined {
    if (path.startsWith(ON_FAILURE_PREFIX)) return undefined;
    const entry = this.args.steps[path];
    return entry && (entry.status === 'completed' || entry.status === 'skipped') ? entry : undefined;
  }

  /** What to reuse inside the child workflow of the step at `path`, when that step did not complete. */
  child(path: string): RerunArgs | undefined {
    if (path.startsWith(ON_FAILURE_PREFIX)) return undefined;
    return this.args.children?.[path];
  }

  /**
   * The recorded steps nested in a reused container whose outputs stay visible after it (branches of
   * if/switch/try/parallel share the frame; forEach iterations and sub-flows do not), in the order they
   * ended: restoring them leaves `steps` and `vars` as the original left them.
   */
  nested(step: StepPlan, framePath: string): Array<{ id: string; path: string; entry: RecordedStep }> {
    const found: Array<{ id: string; path: string; entry: RecordedStep }> = [];
    for (const [nested, path] of visibleNested(step, framePath)) {
      const entry = this.step(path);
      if (entry) found.push({ id: nested.id, path, entry });
    }
    return found.sort((a, b) => a.entry.seq - b.entry.seq);
  }
}

/** Steps nested in `step` that share its frame, with their paths (as runStep builds them). */
function* visibleNested(step: StepPlan, prefix: string): Generator<[StepPlan, string]> {
  const list = function* (steps: StepPlan[], at: string): Generator<[StepPlan, string]> {
    for (const nested of steps) {
      yield [nested, `${at}${nested.id}`];
      yield* visibleNested(nested, at);
    }
  };
  switch (step.kind) {
    case 'if':
      yield* list(step.then.concat(step.else), prefix);
      break;
    case 'switch':
      yield* list(step.cases.flatMap((branch) => branch.steps).concat(step.default), prefix);
      break;
    case 'try':
      yield* list(step.steps.concat(step.catch?.steps ?? [], step.finally ?? []), prefix);
      break;
    case 'parallel':
      for (const branch of step.branches) yield* list(branch.steps, `${prefix}${step.id}.${branch.id}/`);
      break;
    default:
      break;
  }
}

/** Applies a reused step's output to the frame as running it would have: its output, and a set's variables. */
export function restoreOutput(frame: Frame, id: string, entry: RecordedStep): void {
  const output = entry.status === 'skipped' ? null : entry.output;
  frame.steps[id] = { output };
  if (entry.kind === 'set' && entry.status === 'completed' && output && typeof output === 'object') {
    Object.assign(frame.vars, output);
  }
}
