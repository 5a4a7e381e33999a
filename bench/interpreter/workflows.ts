// Workflow entry point of the interpreter benchmark: gongflow's workflows plus the hand-written baseline,
// so one worker runs both and the comparison shares the worker, its caches and its task queue.
export * from '../../workflows';
export { handWrittenTwentySteps } from './baseline-workflow';
