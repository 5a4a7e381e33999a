// Entry point Temporal bundles for the sandbox: every workflow type gongflow registers.
export { orchestration } from './orchestration';
export { progressQuery } from './progress';
export { gongflowApiKey } from './api-keys';
