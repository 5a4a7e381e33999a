// The `gongflow/client` package export: a typed client of the gongflow HTTP API.
export { GongflowClient, type GongflowClientOptions, type StartRunOptions } from './client';
export { GongflowApiError } from './errors';
export type {
  ApprovalRequest,
  DefinitionDetail,
  DefinitionSummary,
  RunListQuery,
  RunPage,
  RunResult,
  RunStatus,
  RunSummary,
  RemovedTrigger,
  StartRunRequest,
  StartRunResponse,
  StepLog,
  Trigger,
  TriggerTarget,
  ValidateResponse,
} from '../api/schemas';
export type { ConnectLinkResponse, CreateConnectLinkRequest } from '../api/routes/connect';
export type {
  AddedWebhookKeys,
  AddWebhookKeysRequest,
  RevokedWebhookKey,
  WebhookKey,
} from '../api/routes/webhook-keys';
