import { createGongActivities, type GongActivityDependencies } from './gong-action';

export type ActivityDependencies = GongActivityDependencies;

/** Every activity the worker registers. Workflows import the type only. */
export function createActivities(dependencies: ActivityDependencies) {
  return { ...createGongActivities(dependencies) };
}

export type Activities = ReturnType<typeof createActivities>;
