import type { StepPlan } from '../../definitions/plan';
import type { Frame } from './frame';

/** How constructs run nested steps (injected, so construct modules don't import the dispatcher). */
export interface Executor {
  /** Runs steps in order; resolves to the last executed step's output (null for none). */
  steps(steps: StepPlan[], frame: Frame): Promise<unknown>;
}

export type StepHandler<S extends StepPlan> = (step: S, frame: Frame, exec: Executor) => Promise<unknown>;
