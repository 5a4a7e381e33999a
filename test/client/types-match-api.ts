/**
 * The client package's models (client/src/types.ts) are standalone types, written by hand so the package
 * carries no server code. This file pins them to the API's zod schemas: `npm run typecheck` fails when an
 * answer the server sends no longer fits the client's type, or a request the client types allows is one
 * the server refuses. (Not a jest test: the compiler is the check.)
 */
import type { z } from 'zod';
import type * as Api from '../../api/schemas';
import type { ConnectLinkSchema, CreateConnectLinkRequestSchema } from '../../api/routes/connect';
import type { ApiErrorSchema } from '../../api/errors';
import type * as Keys from '../../api/routes/webhook-keys';
import type * as Client from '../../client/src/types';

/** `true` when every From is a To. */
type Fits<From, To> = [From] extends [To] ? true : false;
type Expect<T extends true> = T;

/** What the server answers fits what the client declares. */
export type Answers = [
  Expect<Fits<z.infer<typeof Api.RunSummarySchema>, Client.RunSummary>>,
  Expect<Fits<z.infer<typeof Api.RunResultSchema>, Client.RunResult>>,
  Expect<Fits<z.infer<typeof Api.StartRunResponseSchema>, Client.StartRunResponse>>,
  Expect<Fits<z.infer<typeof Api.StepLogSchema>, Client.StepLog>>,
  Expect<Fits<z.infer<typeof Api.RunListSchema>, Client.RunPage>>,
  Expect<Fits<z.infer<typeof Api.ApprovalAnswerSchema>, Client.ApprovalAnswer>>,
  Expect<Fits<z.infer<typeof Api.SignalAnswerSchema>, Client.SignalAnswer>>,
  Expect<Fits<z.infer<typeof Api.RerunAnswerSchema>, Client.RerunAnswer>>,
  Expect<Fits<z.infer<typeof Api.RunRecordSchema>, Client.RunRecord>>,
  Expect<Fits<z.infer<typeof Api.DefinitionSummarySchema>, Client.DefinitionSummary>>,
  Expect<Fits<z.infer<typeof Api.DefinitionDetailSchema>, Client.DefinitionDetail>>,
  Expect<Fits<z.infer<typeof Api.ValidateResponseSchema>, Client.ValidateResponse>>,
  Expect<Fits<z.infer<typeof Api.TriggerSchema>, Client.Trigger>>,
  Expect<Fits<z.infer<typeof ConnectLinkSchema>, Client.ConnectLinkResponse>>,
  Expect<Fits<z.infer<typeof ApiErrorSchema>['error'], Client.ApiErrorBody>>,
  Expect<Fits<z.infer<typeof Api.RemovedTriggerSchema>, Client.RemovedTrigger>>,
  Expect<Fits<z.infer<typeof Keys.WebhookKeyListSchema>, Client.WebhookKeyList>>,
  Expect<Fits<z.infer<typeof Keys.AddedWebhookKeysSchema>, Client.AddedWebhookKeys>>,
  Expect<Fits<z.infer<typeof Keys.RevokedWebhookKeySchema>, Client.RevokedWebhookKey>>,
];

/** And the other way: the client's answer types promise nothing the server does not send. */
export type Promises = [
  Expect<Fits<Client.RunSummary, z.infer<typeof Api.RunSummarySchema>>>,
  Expect<Fits<Client.RunResult, z.infer<typeof Api.RunResultSchema>>>,
  Expect<Fits<Client.RerunAnswer, z.infer<typeof Api.RerunAnswerSchema>>>,
  Expect<Fits<Client.Trigger, z.infer<typeof Api.TriggerSchema>>>,
  Expect<Fits<Client.ConnectLinkResponse, z.infer<typeof ConnectLinkSchema>>>,
];

/** What the client may send is what the server accepts. */
export type Requests = [
  Expect<Fits<Client.StartRunRequest, z.input<typeof Api.StartRunRequestSchema>>>,
  Expect<Fits<Client.RunListQuery, z.input<typeof Api.RunListQuerySchema>>>,
  Expect<Fits<Client.ApprovalRequest, z.input<typeof Api.ApprovalRequestSchema>>>,
  Expect<Fits<Client.TriggerTarget, z.input<typeof Api.TriggerTargetSchema>>>,
  Expect<Fits<Client.CreateConnectLinkRequest, z.input<typeof CreateConnectLinkRequestSchema>>>,
  Expect<Fits<Client.AddWebhookKeysRequest, z.input<typeof Keys.AddWebhookKeysRequestSchema>>>,
];
