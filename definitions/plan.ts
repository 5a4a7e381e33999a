/**
 * The plan: what a definition compiles to and what the interpreter runs. Plain JSON, immutable, content
 * hashed. This file is the contract between the language (definitions/) and the interpreter (workflows/):
 * it holds types only, so workflow code can import it freely.
 *
 * Changing a shape here changes how recorded histories replay: add fields, never repurpose them, and bump
 * PLAN_FORMAT_VERSION for incompatible changes.
 */
export const PLAN_FORMAT_VERSION = 1;

/** Where a node came from in the definition file, for error messages at run time. */
export interface SourceRef {
  file?: string;
  line: number;
  column: number;
}

/** A CEL expression, kept as source text and evaluated on values (never by pasting text). */
export interface ExpressionPlan {
  expr: string;
  at?: SourceRef;
}

/**
 * A value that may contain expressions, compiled to a tagged tree so a literal object can never be
 * mistaken for an expression. Subtrees without expressions collapse to `lit`.
 */
export type TemplatePlan =
  | { t: 'lit'; v: JsonValue }
  | { t: 'expr'; e: ExpressionPlan }
  | { t: 'obj'; f: Record<string, TemplatePlan> }
  | { t: 'arr'; i: TemplatePlan[] };

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

export interface RetryPolicyPlan {
  maximumAttempts: number;
  initialIntervalMs: number;
  backoffCoefficient: number;
  maximumIntervalMs: number;
  /** Failure types (core/failure-types.ts) never retried. */
  nonRetryableErrorTypes?: string[];
}

export interface InputFieldPlan {
  type: 'string' | 'number' | 'integer' | 'boolean' | 'object' | 'array' | 'any';
  description?: string;
  required: boolean;
  default?: JsonValue;
}

interface StepBase {
  id: string;
  /** Human title for progress output. */
  title?: string;
  at?: SourceRef;
  /** Skip the step (output null) unless this evaluates to true. */
  when?: ExpressionPlan;
  /** Whole-step limit, across retries. */
  timeoutMs?: number;
}

export interface ActionStepPlan extends StepBase {
  kind: 'action';
  /** Catalog action name, e.g. `gong.users.list`, or `gong.request` for any path. */
  action: string;
  input: TemplatePlan;
  /** Activity options resolved at compile time from the catalog's defaults and the step's overrides. */
  activity: {
    startToCloseTimeoutMs: number;
    retry: RetryPolicyPlan;
    scopes: string[];
  };
  /**
   * `resend`: an unsafe write is sent again after an ambiguous outcome (at least once) instead of failing with
   * GongWriteOutcomeUnknown (added in language v1; absent means fail).
   */
  onUnknownOutcome?: 'resend';
}

export interface HttpStepPlan extends StepBase {
  kind: 'http';
  /**
   * Evaluates to `{ method, url, headers?, query?, body? }`. Values that read secrets are never evaluated by
   * the workflow: they compile to a literal `{ "$secret": "<CEL over secrets only>" }` that the activity
   * replaces by evaluating the expression with `{ secrets }` resolved from the secret store, so secret values
   * never enter history. (The validator rejects `$secret` keys written by authors.)
   */
  request: TemplatePlan;
  activity: { startToCloseTimeoutMs: number; retry: RetryPolicyPlan };
  /** Names of the secrets the request reads (added in language v1; absent means none). */
  secrets?: string[];
}

export interface SetStepPlan extends StepBase {
  kind: 'set';
  vars: Record<string, TemplatePlan>;
}

export interface IfStepPlan extends StepBase {
  kind: 'if';
  condition: ExpressionPlan;
  then: StepPlan[];
  else: StepPlan[];
}

export interface SwitchStepPlan extends StepBase {
  kind: 'switch';
  cases: Array<{ when: ExpressionPlan; steps: StepPlan[] }>;
  default: StepPlan[];
}

export interface ParallelStepPlan extends StepBase {
  kind: 'parallel';
  /** all: fail on the first failure; race: first branch to finish wins, others cancelled; settled: wait for all. */
  mode: 'all' | 'race' | 'settled';
  branches: Array<{ id: string; steps: StepPlan[] }>;
}

export interface ForEachStepPlan extends StepBase {
  kind: 'forEach';
  items: ExpressionPlan;
  /** Name the current item is bound to in expressions (default `item`); the index is `<as>Index`. */
  as: string;
  concurrency: number;
  /** Declared upper bound: more items fail the step (no unbounded loops). */
  maxItems: number;
  steps: StepPlan[];
  /** Per-iteration result collected into the step's output array; default: the last step's output. */
  output?: TemplatePlan;
}

export interface SleepStepPlan extends StepBase {
  kind: 'sleep';
  durationMs: number;
}

export interface WaitUntilStepPlan extends StepBase {
  kind: 'waitUntil';
  /** Evaluates to an ISO-8601 date-time. */
  time: ExpressionPlan;
}

export interface WaitForSignalStepPlan extends StepBase {
  kind: 'waitForSignal';
  /** Signal name; an approval is a signal named by the step with payload `{ approved, by?, comment? }`. */
  signal: string;
  approval: boolean;
  /** JSON Schema of the expected payload; invalid payloads are rejected and waiting continues. */
  payloadSchema?: JsonValue;
  timeoutMs: number;
  onTimeout: 'fail' | 'continue';
  /** Approvals: what the approver is asked (added in language v1). */
  prompt?: TemplatePlan;
  /** Approvals: who may approve, for UIs (added in language v1). */
  approvers?: string[];
}

export interface SubOrchestrationStepPlan extends StepBase {
  kind: 'run';
  /** The child's plan, embedded at compile time so the run is pinned to it. */
  plan: Plan;
  input: TemplatePlan;
}

export interface TryStepPlan extends StepBase {
  kind: 'try';
  steps: StepPlan[];
  catch?: { errorTypes: string[]; as: string; steps: StepPlan[] };
  finally?: StepPlan[];
}

export interface FailStepPlan extends StepBase {
  kind: 'fail';
  errorType: string;
  message: TemplatePlan;
}

export interface SucceedStepPlan extends StepBase {
  kind: 'succeed';
  output?: TemplatePlan;
}

export type StepPlan =
  | ActionStepPlan
  | HttpStepPlan
  | SetStepPlan
  | IfStepPlan
  | SwitchStepPlan
  | ParallelStepPlan
  | ForEachStepPlan
  | SleepStepPlan
  | WaitUntilStepPlan
  | WaitForSignalStepPlan
  | SubOrchestrationStepPlan
  | TryStepPlan
  | FailStepPlan
  | SucceedStepPlan;

export type StepKind = StepPlan['kind'];

export interface TriggerPlan {
  kind: string;
  /** Trigger-specific settings (cron, poll interval, ...). */
  settings: Record<string, JsonValue>;
  filter?: ExpressionPlan;
  /** Maps the trigger payload to the run input; default: the payload itself. */
  input?: TemplatePlan;
}

export interface Plan {
  formatVersion: typeof PLAN_FORMAT_VERSION;
  name: string;
  version: string;
  /** sha256 of the canonical JSON of the plan without this field. */
  hash: string;
  description?: string;
  source?: string;
  input: Record<string, InputFieldPlan>;
  /** Default connection id, when the definition names one. */
  connection?: string;
  triggers: TriggerPlan[];
  steps: StepPlan[];
  output?: TemplatePlan;
  onFailure?: StepPlan[];
  /** Whole-run limit. */
  timeoutMs?: number;
  /** Every Gong scope the plan's actions need: checked against the connection before any step runs. */
  requiredScopes: string[];
}

/** `name@version`, how runs and docs refer to a plan. */
export function planRef(plan: Pick<Plan, 'name' | 'version'>): string {
  return `${plan.name}@${plan.version}`;
}
