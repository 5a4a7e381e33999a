// Workflow entry point of the trigger-scale benchmark: gongflow's workflows plus its two baselines, so one
// worker runs both and the comparison shares the server, the worker and the task queue.
export * from '../../workflows';
export { bareTimerLoop, bareScheduled } from './baseline-workflows';
