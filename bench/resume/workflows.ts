// Workflow entry point of the worker-crash benchmark: gongflow's workflows plus the baseline with the
// heartbeat timeout gongflow had before (60 s), so the same worker processes run both.
export * from '../../workflows';
export { resumeBaseline } from './baseline-workflow';
