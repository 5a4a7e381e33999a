// Entry point Temporal bundles for the sandbox: every workflow type gongflow registers.
export { orchestration } from './orchestration';
export { forEachBatch } from './for-each-batch';
export { progressQuery } from './progress';
export { gongflowApiKey } from './api-keys';
export { connection, connectionSettings } from './connection';
export { gongflowSignal } from './interpreter/signals';
export { gongBudget } from './gong-budget';
export { gongBudgetShard } from './gong-budget-shard';
export { triggerPoller } from './triggers/poller';
export { webhookEndpoint } from './triggers/webhook-endpoint';
export { blobRetention } from './blob-retention';
