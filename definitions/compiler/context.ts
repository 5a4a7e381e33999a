import type { Environment } from '@marcbachmann/cel-js';
import { sharedCelTypes } from '../catalog-types';
import { CelTypeRegistry } from '../cel-types';
import type { RetryPolicySource, StepMarker } from '../model';
import type { StepPlan } from '../plan';
import { ExpressionMemo } from './expression-memo';
import type { CompileOptions, CompileResult } from './options';
import type { Path } from './raw';
import type { Reporter } from './report';
import type { VisibleSteps } from './visibility';

/** Roots every expression may start from. Loop variables and caught errors are added where they are bound. */
export const EXPRESSION_ROOTS = ['input', 'steps', 'vars', 'trigger', 'run'] as const;

/** One declared step, found by the pre-scan before anything is compiled. */
export interface DeclaredStep {
  path: Path;
  /** Document order, to tell a later step from one that is not visible. */
  order: number;
  marker?: StepMarker;
  /** Innermost enclosing forEach / parallel branch, for hints. */
  enclosure?: string;
}

/** Where an expression is compiled: what it may read. */
export interface Scope {
  visible: VisibleSteps;
  /** Names bound here besides the roots (loop item and index, caught error). */
  locals: ReadonlySet<string>;
  environment: Environment;
  /** Order of the step being compiled (for "later step" messages). */
  order: number;
  /** Trigger expressions read only `trigger`. */
  triggerOnly?: boolean;
  /** The trigger kind whose payload `trigger` is, when one kind types it (for hints). */
  triggerKind?: string;
}

export interface CompiledStep {
  plan?: StepPlan;
  /** Step ids that later steps of the enclosing list may read. */
  exported: string[];
}

export type CommonFields = Pick<StepPlan, 'id'> &
  Partial<Pick<StepPlan, 'title' | 'at' | 'when' | 'timeoutMs'>>;

/** What a construct's compiler gets besides its parsed step: where it is, its common fields, its scope. */
export interface StepSite {
  path: Path;
  common: CommonFields;
  scope: Scope;
  /** The step's own id, exported to the steps after it. */
  own: string[];
}

/** Compiles a list of steps in order; the steps of each list see the ones before them. */
export type SequenceCompiler = (
  rawSteps: unknown[],
  path: Path,
  scope: Scope,
) => { plans: StepPlan[]; exported: string[] };

/**
 * The state of one definition's compilation, shared by the construct modules: what the pre-scan declared
 * (steps, variables, failure types), the CEL types, the options, and where problems go.
 */
export class Compilation {
  readonly declared = new Map<string, DeclaredStep>();
  readonly varNames = new Set<string>();
  readonly failTypes = new Set<string>();
  readonly shared = sharedCelTypes();
  readonly types = new CelTypeRegistry(this.shared.registry);
  /** Declared retry policies by name; undefined for one declared with a problem (reported there). */
  retryPolicies: Record<string, RetryPolicySource | undefined> = {};
  inputNames = new Set<string>();
  /** Expression text -> inferred type, for checks that follow (action input types). */
  readonly expressionTypes = new Map<string, string>();
  /** References, constant failures and types of the expressions checked so far. */
  readonly expressionMemo = new ExpressionMemo();
  /** Compiles nested step lists (set by the step dispatcher, which the constructs cannot import). */
  sequence!: SequenceCompiler;

  constructor(
    readonly reporter: Reporter,
    readonly options: CompileOptions,
    /** Compiles another definition file (sub-orchestrations). */
    readonly compileFile: (text: string, file: string, options: CompileOptions) => CompileResult,
  ) {}

  get file(): string {
    return this.reporter.source.file;
  }
}
