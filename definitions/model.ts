import { z } from 'zod';
import { DurationSchema } from './durations';

/**
 * The source model of a definition file (YAML or JSON). One zod schema per construct; the JSON Schema
 * editors use is generated from these. Strict objects: unknown keys are errors, never silently ignored.
 */
export const StepIdSchema = z
  .string()
  .regex(
    /^[A-Za-z_][A-Za-z0-9_]{0,63}$/,
    'step ids are identifiers: a letter or _, then letters, digits or _ (max 64)',
  );

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
export const StepRetrySchema = z.union([z.string().min(1), RetryPolicySchema]);

const stepCommon = {
  id: StepIdSchema.describe('Identifier other steps use to read this step: steps.<id>.output'),
  title: z.string().optional().describe('Human title shown in progress output.'),
  when: z
    .string()
    .optional()
    .describe('Run the step only when this ${{ expression }} is true; otherwise its output is null.'),
  timeout: DurationSchema.optional().describe('Limit for the whole step, retries included, e.g. "2m".'),
};

export const ActionStepSchema = z.strictObject({
  ...stepCommon,
  action: z
    .string()
    .min(1)
    .describe('Gong action name from the catalog, e.g. gong.users.list (see docs/actions.md).'),
  with: z
    .record(z.string(), z.unknown())
    .optional()
    .describe('The action input; values may be ${{ expressions }}.'),
  retry: StepRetrySchema.optional(),
});

export const SetStepSchema = z.strictObject({
  ...stepCommon,
  set: z
    .record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/), z.unknown())
    .describe('Variables to assign: vars.<name>.'),
});

/**
 * Step kinds by the key that marks them. The validator picks the schema from the marker key, so an error
 * in an `action` step talks about action steps instead of listing every construct.
 */
export const STEP_SCHEMAS = {
  action: ActionStepSchema,
  set: SetStepSchema,
} as const;

export type StepMarker = keyof typeof STEP_SCHEMAS;

/** Any step (for the published JSON Schema); validation dispatches on the marker key instead. */
export const StepSchema = z.union([ActionStepSchema, SetStepSchema]);

export const InputFieldSchema = z.strictObject({
  type: z.enum(['string', 'number', 'integer', 'boolean', 'object', 'array', 'any']),
  description: z.string().optional(),
  required: z.boolean().optional().describe('Default: true unless a default is given.'),
  default: z.unknown().optional(),
});

export const DefinitionSchema = z.strictObject({
  $schema: z.string().optional(),
  name: z
    .string()
    .regex(/^[a-z][a-z0-9-]{0,62}$/, 'names are lowercase letters, digits and dashes, starting with a letter')
    .describe('Stable name; runs are listed by it.'),
  version: z
    .union([z.string().min(1), z.number()])
    .transform(String)
    .describe('Version; a run is pinned to name@version + hash.'),
  description: z.string().optional(),
  input: z
    .record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/), InputFieldSchema)
    .optional()
    .describe('Typed run input: input.<name>.'),
  connection: z.string().optional().describe('Default Gong connection id; a run may name another.'),
  retryPolicies: z
    .record(z.string(), RetryPolicySchema)
    .optional()
    .describe('Named retry policies steps refer to.'),
  timeout: DurationSchema.optional().describe('Limit for the whole run.'),
  steps: z.array(z.unknown()).min(1).describe('The steps, run in order.'),
  output: z.unknown().optional().describe('The run result; values may be ${{ expressions }}.'),
});

export type DefinitionSource = z.infer<typeof DefinitionSchema>;
export type ActionStepSource = z.infer<typeof ActionStepSchema>;
export type SetStepSource = z.infer<typeof SetStepSchema>;
export type RetryPolicySource = z.infer<typeof RetryPolicySchema>;
