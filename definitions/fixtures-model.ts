import { z } from 'zod';
import { FAILURE_TYPES } from '../core/failure-types';

/**
 * The source model of a fixtures file (`gongflow test`, docs/testing.md): one case at the top level, or
 * named cases under `cases:`. Strict objects like definitions; its JSON Schema is generated from here too
 * (definitions/generate-schema.ts), and the test runner (runs/test-mode/) reads files with it.
 */
const failureTypes = Object.values(FAILURE_TYPES) as [string, ...string[]];

export const FixtureErrorSchema = z
  .strictObject({
    type: z.enum(failureTypes).describe('A stable failure type (core/failure-types.ts).'),
    message: z.string().default('failure from the fixtures'),
  })
  .describe('The step fails with this failure.');

/** What one Gong action or HTTP step answers: one value, one failure, or one value per successive call. */
export const StepFixtureSchema = z
  .strictObject({
    output: z.unknown().optional().describe('The step returns this value every time it runs.'),
    outputs: z
      .array(z.unknown())
      .min(1)
      .optional()
      .describe('Successive calls (a step inside a loop): the n-th call answers the n-th value.'),
    error: FixtureErrorSchema.optional(),
  })
  .refine((fixture) => Object.keys(fixture).length === 1, {
    message:
      'A step fixture is one of { output: <value> }, { outputs: [<value>, ...] } or { error: { type, message } }.',
  })
  .describe('What an action or http step answers: exactly one of output, outputs, error.');

export const ExpectationSchema = z
  .strictObject({
    status: z
      .enum(['completed', 'failed', 'filtered'])
      .optional()
      .describe(
        "Default: failed when error is given. filtered: the trigger's filter turns the event away, so no run starts.",
      ),
    output: z
      .unknown()
      .optional()
      .describe('Subset match: objects need the keys given, arrays match item by item, scalars equal.'),
    path: z
      .array(z.string())
      .optional()
      .describe('Steps that ran (completed or failed), in the order they started; others may run between.'),
    notRun: z.array(z.string()).optional().describe('Steps that must not run (never started, or skipped).'),
    error: z
      .strictObject({
        type: z.string().optional().describe("The run's failure type."),
        message: z.string().optional().describe("Part of the run's failure message."),
      })
      .optional(),
  })
  .describe('What the run must do.');

export const TriggerFixtureSchema = z
  .strictObject({
    kind: z
      .string()
      .optional()
      .describe("One of the definition's trigger kinds; may be left out when it has one trigger."),
    payload: z
      .record(z.string(), z.unknown())
      .default({})
      .describe(
        "The event's fields as the kind delivers them (docs/triggers.md), e.g. callData, scheduledTime; checked against the kind's payload schema. kind, eventId and connection are filled in.",
      ),
  })
  .describe(
    "Start the run as this trigger event would: the trigger's filter decides whether a run starts (expect status: filtered when it must not), its input mapping gives the run input.",
  );

export const ApprovalFixtureSchema = z
  .strictObject({
    approved: z.boolean().default(true).describe('The decision (default true).'),
    by: z.string().min(1).describe("Who decides: one of the step's approvers when it lists them."),
    comment: z.string().optional(),
  })
  .describe('Decided as soon as the approval step waits, as `gongflow runs approve` would.');

export const SignalFixtureSchema = z
  .strictObject({
    name: z.string().min(1).describe('A signal a waitForSignal step of the definition waits for.'),
    payload: z.unknown().optional().describe('Checked by the step against its payload declaration.'),
  })
  .describe('Sent when the run starts; kept until a step waits for its name.');

export const TestCaseSchema = z.strictObject({
  input: z
    .record(z.string(), z.unknown())
    .default({})
    .describe("The run input, checked against the definition's. Not with trigger:, whose mapping gives it."),
  trigger: TriggerFixtureSchema.optional(),
  steps: z
    .record(z.string(), StepFixtureSchema)
    .default({})
    .describe('By step id: what action and http steps answer instead of calling out.'),
  approvals: z
    .record(z.string(), ApprovalFixtureSchema)
    .default({})
    .describe('By approval step id: the decision, made when the step waits.'),
  signals: z
    .array(SignalFixtureSchema)
    .default([])
    .describe('Signals sent to the run when it starts, in this order.'),
  expect: ExpectationSchema.default({}),
});

export const FixturesWithCasesSchema = z.strictObject({
  cases: z.record(z.string(), TestCaseSchema).describe('Named cases, run in file order.'),
});

export type StepFixture = z.infer<typeof StepFixtureSchema>;
export type Expectation = z.infer<typeof ExpectationSchema>;
export type TestCaseSource = z.infer<typeof TestCaseSchema>;
export type TriggerFixture = z.infer<typeof TriggerFixtureSchema>;
