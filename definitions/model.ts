import { z } from 'zod';
import { DurationSchema } from './durations';
import { matchesType } from './run-input';
import { TriggerSchema } from './triggers';

/**
 * The source model of a definition file (YAML or JSON). One zod schema per construct; the JSON Schema
 * editors use is generated from these (definitions/generate-schema.ts). Strict objects: unknown keys are
 * errors, never silently ignored.
 *
 * Nested step lists are `StepListSchema` (an array of anything): the validator dispatches every step on its
 * marker key (STEP_SCHEMAS), so an error in an `if` step talks about `if` steps instead of listing every
 * construct. The generated JSON Schema replaces these lists with a recursive reference to any step.
 */
export const StepIdSchema = z
  .string()
  .regex(
    /^[A-Za-z_][A-Za-z0-9_]{0,63}$/,
    'step ids are identifiers: a letter or _, then letters, digits or _ (max 64)',
  );

const IdentifierSchema = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'an identifier: a letter or _, then letters, digits or _');

/** A `${{ expression }}` string (or, where a literal makes sense, a plain value). */
const ExpressionString = z.string().min(1);

/** Marks a nested list of steps, so the JSON Schema generator can make it recursive. */
export const STEP_LIST_MARKER = 'gongflow-steps';
export const StepListSchema = z
  .array(z.unknown())
  .meta({ [STEP_LIST_MARKER]: true })
  .describe('Steps, run in order.');

export const RetryPolicySchema = z.strictObject({
  maximumAttempts: z.number().int().positive().describe('Attempts in total, the first included.'),
  initialInterval: DurationSchema.optional().describe('Wait before the first retry (default 1s).'),
  backoffCoefficient: z
    .number()
    .min(1)
    .optional()
    .describe('Multiplier of the wait after each retry (default 2).'),
  maximumInterval: DurationSchema.optional().describe('Longest wait between retries (default 60s).'),
  nonRetryableErrors: z.array(z.string()).optional().describe('Failure types never retried.'),
});

/** A step's retry: the name of a policy under `retryPolicies`, or a policy inline. */
export const StepRetrySchema = z
  .union([z.string().min(1), RetryPolicySchema])
  .describe('Retry policy: a name from retryPolicies, or a policy inline.');

const stepCommon = {
  id: StepIdSchema.describe('Identifier other steps use to read this step: steps.<id>.output'),
  title: z.string().optional().describe('Human title shown in progress output.'),
  when: z
    .string()
    .optional()
    .describe('Run the step only when this ${{ expression }} is true; otherwise its output is null.'),
  timeout: DurationSchema.optional().describe('Limit for the whole step, retries included, e.g. "2m".'),
};

const activityCommon = {
  retry: StepRetrySchema.optional(),
  attemptTimeout: DurationSchema.optional().describe(
    'Limit for one attempt (default: the action catalog default, 30s for http).',
  ),
};

export const ActionStepSchema = z
  .strictObject({
    ...stepCommon,
    ...activityCommon,
    action: z
      .string()
      .min(1)
      .describe('Gong action name from the catalog, e.g. gong.users.list (see docs/actions.md).'),
    with: z
      .record(z.string(), z.unknown())
      .optional()
      .describe('The action input; values may be ${{ expressions }}.'),
    onUnknownOutcome: z
      .enum(['fail', 'resend'])
      .optional()
      .describe(
        'Unsafe writes (docs/semantics.md): after an ambiguous outcome (a timeout, a lost worker, a 5xx) fail with GongWriteOutcomeUnknown (default), or resend at the risk of doing it twice.',
      ),
  })
  .describe('Call a Gong API action.');

export const HTTP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

export const HttpRequestSchema = z.strictObject({
  method: z.enum(HTTP_METHODS).optional().describe('Default GET, or POST when a body is given.'),
  url: ExpressionString.describe('http(s) URL, or an expression giving one.'),
  headers: z
    .record(z.string(), z.unknown())
    .optional()
    .describe('Request headers; values may read secrets.<name>.'),
  query: z.record(z.string(), z.unknown()).optional().describe('Query string parameters.'),
  body: z.unknown().optional().describe('JSON body; values may be ${{ expressions }}.'),
});

export const HttpStepSchema = z
  .strictObject({
    ...stepCommon,
    ...activityCommon,
    http: HttpRequestSchema,
  })
  .describe('Call any HTTP endpoint (Slack or CRM webhooks). Output: {status, headers, body}.');

export const SetStepSchema = z
  .strictObject({
    ...stepCommon,
    set: z.record(IdentifierSchema, z.unknown()).describe('Variables to assign: vars.<name>.'),
  })
  .describe('Assign variables (vars.<name>).');

export const IfStepSchema = z
  .strictObject({
    ...stepCommon,
    if: ExpressionString.describe('Condition: a ${{ expression }} giving a boolean.'),
    then: StepListSchema.describe('Steps run when the condition is true.'),
    else: StepListSchema.optional().describe('Steps run otherwise.'),
  })
  .describe('Run steps when a condition holds.');

export const SwitchCaseSchema = z.strictObject({
  when: ExpressionString.describe('Condition of this case: a ${{ expression }} giving a boolean.'),
  steps: StepListSchema,
});

export const SwitchStepSchema = z
  .strictObject({
    ...stepCommon,
    switch: z.array(SwitchCaseSchema).min(1).describe('Cases, tried in order: the first true one runs.'),
    default: StepListSchema.optional().describe('Steps run when no case matches.'),
  })
  .describe('Run the first case whose condition holds, else the default.');

export const ParallelStepSchema = z
  .strictObject({
    ...stepCommon,
    parallel: z
      .record(StepIdSchema, StepListSchema)
      .describe('Branches by name, each a list of steps; they run at the same time.'),
    mode: z
      .enum(['all', 'race', 'settled'])
      .optional()
      .describe(
        'all (default): fail on the first failure; race: the first to finish wins; settled: wait for all.',
      ),
  })
  .describe('Run branches at the same time.');

export const ForEachStepSchema = z
  .strictObject({
    ...stepCommon,
    forEach: ExpressionString.describe('The list to iterate: a ${{ expression }}.'),
    as: IdentifierSchema.optional().describe(
      'Name of the current item (default item); <as>Index is its index.',
    ),
    concurrency: z.number().int().positive().max(100).optional().describe('Items run at once (default 1).'),
    maxItems: z
      .number()
      .int()
      .positive()
      .max(10_000)
      .describe('Declared upper bound: a longer list fails the step. Required: no unbounded loops.'),
    steps: StepListSchema,
    output: z
      .unknown()
      .optional()
      .describe("Each iteration's result, collected in the output list (default: the last step's output)."),
  })
  .describe('Run steps for every item of a list.');

export const SleepStepSchema = z
  .strictObject({ ...stepCommon, sleep: DurationSchema.describe('How long to wait, e.g. "10m".') })
  .describe('Wait for a duration (durable timer).');

export const WaitUntilStepSchema = z
  .strictObject({
    ...stepCommon,
    waitUntil: ExpressionString.describe('ISO-8601 date-time, or a ${{ expression }} giving one.'),
  })
  .describe('Wait until a point in time.');

export const PayloadFieldSchema = z.strictObject({
  type: z.enum(['string', 'number', 'integer', 'boolean', 'object', 'array', 'any']),
  description: z.string().optional(),
  required: z.boolean().optional().describe('Default: true.'),
});

const waitCommon = {
  timeout: DurationSchema.describe('How long to wait at most, e.g. "3d". Required.'),
  onTimeout: z
    .enum(['fail', 'continue'])
    .optional()
    .describe('fail (default): the step fails with StepTimeoutError; continue: its output is null.'),
};

export const WaitForSignalStepSchema = z
  .strictObject({
    ...stepCommon,
    ...waitCommon,
    waitForSignal: IdentifierSchema.describe('The signal name senders use.'),
    payload: z
      .record(IdentifierSchema, PayloadFieldSchema)
      .optional()
      .describe('Typed payload: fields the signal carries; the step output is the payload.'),
  })
  .describe('Wait for a signal sent to the run.');

export const ApprovalStepSchema = z
  .strictObject({
    ...stepCommon,
    ...waitCommon,
    approval: z.unknown().describe('What the approver is asked: text, or a ${{ expression }} building it.'),
    approvers: z.array(z.string()).optional().describe('Who may approve (emails or user ids), for the UI.'),
  })
  .describe('Wait for a human approval: output {approved, by, comment}.');

export const RunStepSchema = z
  .strictObject({
    ...stepCommon,
    run: z.string().min(1).describe('Path of another definition file, relative to this one.'),
    with: z.record(z.string(), z.unknown()).optional().describe("The child's input."),
  })
  .describe('Run another definition as a sub-orchestration (compiled and embedded in this plan).');

export const CatchSchema = z.strictObject({
  errors: z
    .array(z.string().min(1))
    .optional()
    .describe('Failure types caught (core/failure-types.ts, or a fail step errorType); default: all.'),
  as: IdentifierSchema.optional().describe('Name of the caught error in expressions (default error).'),
  steps: StepListSchema,
});

export const TryStepSchema = z
  .strictObject({
    ...stepCommon,
    try: StepListSchema.describe('Steps whose failures are caught.'),
    catch: CatchSchema.optional(),
    finally: StepListSchema.optional().describe('Steps run in any case, after try and catch.'),
  })
  .describe('Catch failures of steps; run cleanup in finally.');

export const FailStepSchema = z
  .strictObject({
    ...stepCommon,
    fail: z.unknown().describe('The failure message: text, or a ${{ expression }} building it.'),
    errorType: z
      .string()
      .regex(/^[A-Za-z][A-Za-z0-9_.]*$/)
      .optional()
      .describe('Failure type catch clauses match (default BusinessError).'),
  })
  .describe('Stop the run with a failure.');

export const SucceedStepSchema = z
  .strictObject({
    ...stepCommon,
    succeed: z.unknown().describe('The run output (null: the definition output).'),
  })
  .describe('Stop the run successfully.');

/**
 * Step kinds by the key that marks them. The validator picks the schema from the marker key, so an error
 * in an `action` step talks about action steps instead of listing every construct.
 */
export const STEP_SCHEMAS = {
  action: ActionStepSchema,
  http: HttpStepSchema,
  set: SetStepSchema,
  if: IfStepSchema,
  switch: SwitchStepSchema,
  parallel: ParallelStepSchema,
  forEach: ForEachStepSchema,
  sleep: SleepStepSchema,
  waitUntil: WaitUntilStepSchema,
  waitForSignal: WaitForSignalStepSchema,
  approval: ApprovalStepSchema,
  run: RunStepSchema,
  try: TryStepSchema,
  fail: FailStepSchema,
  succeed: SucceedStepSchema,
} as const;

export type StepMarker = keyof typeof STEP_SCHEMAS;

export const STEP_MARKERS = Object.keys(STEP_SCHEMAS) as StepMarker[];

export const InputFieldSchema = z
  .strictObject({
    type: z.enum(['string', 'number', 'integer', 'boolean', 'object', 'array', 'any']),
    description: z.string().optional(),
    required: z.boolean().optional().describe('Default: true unless a default is given.'),
    default: z.unknown().optional(),
  })
  .superRefine((field, context) => {
    // A default the declaration refuses would fail every run that relies on it.
    if (field.default !== undefined && !matchesType(field.default, field.type))
      context.addIssue({
        code: 'custom',
        path: ['default'],
        message: `the default is not ${field.type === 'integer' || field.type === 'object' || field.type === 'array' || field.type === 'any' ? 'an' : 'a'} ${field.type}: write ${JSON.stringify(field.default)} as the declared type, or change the type`,
      });
  });

/** Versions compare and sort as versions do: digits, dots, an optional `v` and a `-suffix`. */
const VERSION = /^v?\d+(\.\d+)*([-+][0-9A-Za-z.-]+)?$/;

export const DefinitionSchema = z.strictObject({
  $schema: z.string().optional(),
  name: z
    .string()
    .regex(/^[a-z][a-z0-9-]{0,62}$/, 'names are lowercase letters, digits and dashes, starting with a letter')
    .describe('Stable name; runs are listed by it.'),
  version: z
    .union([
      z
        .string()
        .regex(
          VERSION,
          'a version is a number or a dotted version such as "1.2.0" (also "v2", "2024-05-01")',
        ),
      z
        .number()
        .int('a version with a dot goes in quotes ("1.10"): as a YAML number, 1.10 is 1.1')
        .nonnegative(),
    ])
    .transform(String)
    .describe(
      'Version: a number, or a dotted version in quotes ("1.2.0"); a run is pinned to name@version + hash.',
    ),
  description: z.string().optional(),
  input: z.record(IdentifierSchema, InputFieldSchema).optional().describe('Typed run input: input.<name>.'),
  triggers: z.array(TriggerSchema).optional().describe('What starts runs besides the API and the CLI.'),
  connection: z.string().optional().describe('Default Gong connection id; a run may name another.'),
  retryPolicies: z
    .record(IdentifierSchema, RetryPolicySchema)
    .optional()
    .describe('Named retry policies steps refer to.'),
  timeout: DurationSchema.optional().describe('Limit for the whole run.'),
  steps: StepListSchema.min(1).describe('The steps, run in order.'),
  output: z.unknown().optional().describe('The run result; values may be ${{ expressions }}.'),
  onFailure: StepListSchema.optional().describe('Steps run when the run fails; `error` holds the failure.'),
});

export type DefinitionSource = z.infer<typeof DefinitionSchema>;
export type InputFieldSource = z.infer<typeof InputFieldSchema>;
export type PayloadFieldSource = z.infer<typeof PayloadFieldSchema>;
export type RetryPolicySource = z.infer<typeof RetryPolicySchema>;
export type StepSources = { [K in StepMarker]: z.infer<(typeof STEP_SCHEMAS)[K]> };
