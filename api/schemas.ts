import { z } from 'zod';

/**
 * The API's request and response models: one zod schema per concept. Routes validate with them, the
 * OpenAPI document is generated from them, and the TypeScript client (client/) infers its types from them.
 */

const Identifier = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.:@-]{0,199}$/, 'letters, digits and _ . : @ -');

export const ProblemSchema = z.looseObject({
  code: z.string(),
  message: z.string(),
  file: z.string().optional(),
  line: z.number().optional(),
  column: z.number().optional(),
  path: z.string().optional(),
  hint: z.string().optional(),
});

export const DefinitionSummarySchema = z
  .object({
    name: z.string(),
    version: z.string().optional(),
    file: z.string().describe('Path relative to the definitions folder.'),
    valid: z.boolean(),
    description: z.string().optional(),
    hash: z.string().optional().describe('sha256 of the compiled plan.'),
    requiredScopes: z.array(z.string()).optional(),
    problems: z.array(ProblemSchema),
  })
  .meta({ id: 'DefinitionSummary' });

export const DefinitionListSchema = z.object({ definitions: z.array(DefinitionSummarySchema) });

export const DefinitionDetailSchema = z.object({
  definition: DefinitionSummarySchema,
  plan: z.record(z.string(), z.unknown()).describe('The compiled, content-hashed plan a run of it executes.'),
});

export const ValidateRequestSchema = z.object({
  text: z.string().max(1_000_000).describe('The definition, YAML or JSON.'),
  file: z.string().max(500).optional().describe('Name used in problem positions (default definition.yaml).'),
});

export const ValidateResponseSchema = z.object({
  valid: z.boolean(),
  problems: z.array(ProblemSchema),
  /** What `gongflow validate` prints as warnings (e.g. an action input the catalog does not know): not errors. */
  warnings: z.array(ProblemSchema),
  plan: z.record(z.string(), z.unknown()).optional(),
});

export const RunStatusSchema = z.enum([
  'running',
  'completed',
  'failed',
  'cancelled',
  'terminated',
  'timed_out',
  'continued_as_new',
  'unknown',
]);

export const RunSummarySchema = z
  .object({
    id: z.string().describe('The run id (its Temporal workflow id).'),
    temporalRunId: z.string(),
    status: RunStatusSchema,
    definition: z.string().optional(),
    version: z.string().optional(),
    hash: z.string().optional(),
    connection: z.string().optional(),
    trigger: z.string().optional().describe('What started it: api, schedule, webhook, poller, rerun, ...'),
    rerunOf: z.string().optional().describe('The run this one reruns (POST /v1/runs/{id}/rerun).'),
    startedAt: z.string(),
    closedAt: z.string().optional(),
    uiUrl: z.string().optional().describe('The run in the Temporal Web UI, when known.'),
  })
  .meta({ id: 'RunSummary' });

export const RunFailureSchema = z.object({
  type: z.string().optional().describe('Stable failure type, e.g. ConnectionError, GongRateLimited.'),
  message: z.string(),
});

const FailedRunStatusSchema = z.enum(['failed', 'cancelled', 'terminated', 'timed_out']);

/** A run's outcome, tagged by status: `completed` has `output`, the failed statuses have `failure`. */
export const RunResultSchema = z
  .union([
    z.object({
      id: z.string(),
      status: z.literal('completed'),
      output: z.unknown().describe('The run output.'),
    }),
    z.object({
      id: z.string(),
      status: FailedRunStatusSchema,
      failure: RunFailureSchema.describe('Why the run ended without completing.'),
    }),
    z.object({ id: z.string(), status: z.enum(['running', 'continued_as_new', 'unknown']) }),
  ])
  .meta({ id: 'RunResult' });

export const StartRunRequestSchema = z.object({
  definition: Identifier.describe('Definition name, or name@version.'),
  input: z.record(z.string(), z.unknown()).optional(),
  connection: Identifier.optional().describe("Gong connection id; default: the definition's connection."),
});

export const WaitQuerySchema = z.object({
  waitMs: z.coerce
    .number()
    .int()
    .min(0)
    .max(300_000)
    .optional()
    .describe('Wait up to this long for the run to finish before answering (long poll).'),
});

export const StartRunResponseSchema = z.object({
  run: RunSummarySchema,
  created: z.boolean().describe('false when an Idempotency-Key matched an earlier start.'),
  result: RunResultSchema.optional().describe('Present when waitMs was given.'),
});

export const StepProgressSchema = z.looseObject({
  id: z.string(),
  path: z.string().optional().describe('Unique position in the run, e.g. `each[3]/notify` in a loop.'),
  title: z.string().optional(),
  kind: z.string(),
  status: z.enum(['running', 'completed', 'skipped', 'failed']),
  startedAt: z.string(),
  endedAt: z.string().optional(),
  durationMs: z.number().optional(),
  error: z.string().optional(),
  errorType: z.string().optional(),
  parent: z.string().optional().describe('Path of the enclosing step (if, switch, parallel, forEach, try).'),
  depth: z.number().optional().describe('Nesting depth (0: top level).'),
  reused: z.boolean().optional().describe('Taken over from the run this one reruns: it did not run again.'),
  waiting: z
    .object({
      for: z.enum(['approval', 'signal']),
      name: z.string().describe('The signal name, or the approval step id.'),
      prompt: z.unknown().optional().describe('Approvals: the question asked.'),
      approvers: z.array(z.string()).optional().describe('Approvals: who may decide (empty: anyone).'),
      until: z.string().describe('When the wait times out.'),
    })
    .optional()
    .describe('Present while the step waits for a signal or an approval.'),
});

export const StepLogSchema = z.looseObject({
  id: z.string(),
  definition: z.string(),
  hash: z.string(),
  status: z.enum(['running', 'completed', 'failed']),
  steps: z.array(StepProgressSchema),
  current: z.array(z.string()).optional().describe('Paths of the steps running now.'),
  outputs: z.record(z.string(), z.unknown()).optional().describe('Outputs of the top-level steps so far.'),
  droppedSteps: z.number().optional(),
  continuedAsNew: z.number().optional(),
  rerunOf: z.string().optional().describe('The run this one reruns.'),
  retrying: z
    .array(
      z.object({
        activityId: z.string(),
        activityType: z.string(),
        attempt: z.number().describe('The attempt running or scheduled now (2 = the first retry).'),
        lastError: z.string().optional().describe('Why the previous attempt failed.'),
      }),
    )
    .optional()
    .describe('Activities (Gong calls, http requests) Temporal is retrying now.'),
});

export const RunListQuerySchema = z.object({
  definition: Identifier.optional(),
  connection: Identifier.optional(),
  trigger: Identifier.optional(),
  status: RunStatusSchema.optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(50).describe('Page size: at most this many runs.'),
  pageToken: z
    .string()
    .min(1)
    .max(4000)
    .optional()
    .describe('nextPageToken of the previous page (with the same filters): the page after it.'),
});

export const RunListSchema = z.object({
  runs: z.array(RunSummarySchema),
  nextPageToken: z
    .string()
    .optional()
    .describe('Present while more runs may follow: pass it as pageToken for the next page.'),
});

export const RunIdParamsSchema = z.object({ id: z.string().min(1).max(400) });

export const RunEnvelopeSchema = z.object({ run: RunSummarySchema });

export const TerminateRequestSchema = z.object({ reason: z.string().max(1000).optional() });

export const SignalRequestSchema = z.object({ payload: z.unknown().optional() });

export const ApprovalRequestSchema = z.object({
  approved: z.boolean(),
  by: z
    .string()
    .max(200)
    .optional()
    .describe(
      "Who decides. Approvals are made as the API key's name: leave it out, or send exactly that name.",
    ),
  comment: z.string().max(5000).optional(),
});

export const ApprovalAnswerSchema = z.object({
  run: RunSummarySchema,
  approval: z.object({
    step: z.string().describe('Path of the step that was decided.'),
    approved: z.boolean(),
    by: z.string().describe('Who decided: the API key name.'),
  }),
});

export const SignalAnswerSchema = z.object({
  run: RunSummarySchema,
  signal: z.object({
    name: z.string(),
    delivered: z
      .enum(['waiting', 'queued'])
      .describe('waiting: a step was waiting and took it; queued: kept for the next step that waits for it.'),
  }),
});

export const RecordedStepSchema = z.looseObject({
  kind: z.string(),
  status: z.enum(['running', 'completed', 'failed', 'skipped']),
  seq: z.number().describe('Order in which the steps ended.'),
  output: z.unknown().optional(),
  input: z
    .unknown()
    .optional()
    .describe('Evaluated input of action, http and run steps (secrets stay `$secret` references).'),
  error: z.object({ type: z.string().optional(), message: z.string() }).optional(),
  child: z.string().optional().describe('The child run the step ran in (run steps; forEach batches).'),
  reused: z.boolean().optional().describe('Taken over from the run this one reruns.'),
});

export const RunRecordSchema = z.looseObject({
  id: z.string(),
  steps: z.record(z.string(), RecordedStepSchema).describe('Every step that ended (or runs), by path.'),
  plan: z.record(z.string(), z.unknown()).optional().describe('The plan the run executes.'),
  input: z.record(z.string(), z.unknown()).optional().describe('The run input.'),
  trigger: z.unknown().optional().describe('The event that started the run, or null.'),
  rerunOf: z.string().optional(),
  resumedAt: z
    .record(z.string(), z.unknown())
    .optional()
    .describe('Where the run resumed after continue-as-new.'),
});

export const RerunAnswerSchema = z.object({
  run: RunSummarySchema.describe('The new run.'),
  rerunOf: z.string().describe('The run it reruns.'),
});

export const TriggerSchema = z
  .object({
    type: z.enum(['poller', 'schedule', 'webhook']),
    id: z.string().describe('Temporal workflow or schedule id of the trigger.'),
    definition: z.string(),
    key: z.string().describe('Which trigger of the definition.'),
    connection: z.string(),
    status: z.string(),
    lastEvent: z.string().nullable(),
    cursor: z.string().nullable().describe("A poller's cursor, or a schedule's next action time."),
    detail: z.string(),
  })
  .meta({ id: 'Trigger' });

export const TriggerListSchema = z.object({ triggers: z.array(TriggerSchema) });

export const TriggerTargetSchema = z.object({
  definition: z.string().min(1).max(200).describe('Definition name.'),
  connection: z.string().min(1).max(200),
  key: z.string().min(1).max(200).optional().describe('Only this trigger of the definition; default: all.'),
});

export const TriggerBackfillSchema = TriggerTargetSchema.extend({
  from: z.string().min(1).describe('ISO-8601 date or date-time.'),
});

export const RemovedTriggerSchema = z
  .object({
    type: z.enum(['poller', 'schedule', 'webhook']),
    id: z.string().describe('Temporal workflow or schedule id that held the trigger.'),
    definition: z.string(),
    key: z.string(),
    connection: z.string(),
    detail: z.string().describe('What became of it (and of the webhook endpoint and its keys).'),
  })
  .meta({ id: 'RemovedTrigger' });

export const TriggerRemovalSchema = z.object({ removed: z.array(RemovedTriggerSchema) });

export type DefinitionSummary = z.infer<typeof DefinitionSummarySchema>;
export type DefinitionDetail = z.infer<typeof DefinitionDetailSchema>;
export type ValidateResponse = z.infer<typeof ValidateResponseSchema>;
export type RunStatus = z.infer<typeof RunStatusSchema>;
export type RunSummary = z.infer<typeof RunSummarySchema>;
export type RunResult = z.infer<typeof RunResultSchema>;
export type StartRunRequest = z.infer<typeof StartRunRequestSchema>;
export type StartRunResponse = z.infer<typeof StartRunResponseSchema>;
export type StepLog = z.infer<typeof StepLogSchema>;
export type RunListQuery = Partial<z.infer<typeof RunListQuerySchema>>;
export type RunPage = z.infer<typeof RunListSchema>;
export type ApprovalRequest = z.infer<typeof ApprovalRequestSchema>;
export type ApprovalAnswer = z.infer<typeof ApprovalAnswerSchema>;
export type SignalAnswer = z.infer<typeof SignalAnswerSchema>;
export type RerunAnswer = z.infer<typeof RerunAnswerSchema>;
export type RunRecordAnswer = z.infer<typeof RunRecordSchema>;
export type Trigger = z.infer<typeof TriggerSchema>;
export type TriggerTarget = z.infer<typeof TriggerTargetSchema>;
export type RemovedTrigger = z.infer<typeof RemovedTriggerSchema>;
