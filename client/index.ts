// The `gongflow/client` package export: a typed client of the gongflow HTTP API.
export { GongflowClient, type GongflowClientOptions, type StartRunOptions } from './client';
export { GongflowApiError } from './errors';
export type {
  ApprovalRequest,
  RerunAnswer,
  DefinitionDetail,
  DefinitionSummary,
  RunListQuery,
  RunPage,
  RunResult,
  RunStatus,
  RunSummary,
  StartRunRequest,
  StartRunResponse,
  StepLog,
  Trigger,
  TriggerTarget,
  ValidateResponse,
} from '../api/schemas';
export type { ConnectLinkResponse, CreateConnectLinkRequest } from '../api/routes/connect';
