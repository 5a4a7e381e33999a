import { readFileSync } from 'node:fs';
import nodePath from 'node:path';
import type { Environment } from '@marcbachmann/cel-js';
import type { z } from 'zod';
import type { $ZodIssue } from 'zod/v4/core';
import { readFailureReason, type ProblemDetail } from '../core/errors';
import { FAILURE_TYPES } from '../core/failure-types';
import { parseSource, type ParsedSource } from '../core/yaml-source';
import { findGongAction, GONG_ACTIONS, GONG_REQUEST_ACTION_NAME } from '../gong/catalog';
import { PAGINATION_CONTROL_KEYS } from '../gong/catalog/common';
import { parseLenient } from '../gong/catalog/input';
import { requiredScopes as actionScopes } from '../gong/catalog/scopes';
import { canBeUnsafe } from '../gong/catalog/semantics';
import { sharedCelTypes } from './catalog-types';
import { checkExpressionType, CelTypeRegistry, DYN, elementType, type CelFields } from './cel-types';
import { expressionFindings } from './expression-checks';
import {
  expressionReferences,
  expressionSource,
  expressionParseProblem,
  looksLikeEmbeddedExpression,
} from './expressions';
import { planHash } from './hash';
import {
  DefinitionSchema,
  STEP_MARKERS,
  STEP_SCHEMAS,
  type DefinitionSource,
  type InputFieldSource,
  type PayloadFieldSource,
  type RetryPolicySource,
  type StepMarker,
  type StepSources,
} from './model';
import {
  PLAN_FORMAT_VERSION,
  type ExpressionPlan,
  type InputFieldPlan,
  type JsonValue,
  type Plan,
  type RetryPolicyPlan,
  type SourceRef,
  type StepPlan,
  type TemplatePlan,
} from './plan';
import { closest, DEFINITION_CODES as CODES } from './problems';
import { compileTemplate } from './template';
import { TRIGGER_PAYLOADS, triggerSettings, type TriggerSource } from './triggers';

/**
 * `problems` are errors: any makes the definition invalid. `warnings` (severity `warning`) are reported but
 * do not stop it compiling, e.g. an action input the catalog does not know (sent to Gong as given).
 */
export type CompileResult =
  | { ok: true; plan: Plan; problems: []; warnings: ProblemDetail[] }
  | { ok: false; problems: ProblemDetail[]; warnings: ProblemDetail[] };

export interface CompileOptions {
  /** Scopes the target connection was granted: actions needing others are reported (DEF_MISSING_SCOPE). */
  connectionScopes?: readonly string[];
  /** The target connection's id, for messages. */
  connectionName?: string;
  /** Reads the definition a `run` step names (an absolute path). Default: the file system. */
  readFile?: (file: string) => string;
  /**
   * Where the definition is on disk, when `file` (the name problems show) is relative to something else
   * than the working directory, e.g. the API's definitions folder. `run:` paths resolve against it.
   */
  location?: string;
  /** Files compiling one another through `run` steps, outermost first (cycle detection). */
  ancestors?: readonly string[];
}

type Path = Array<string | number>;

/** Roots every expression may start from. Loop variables and caught errors are added where they are bound. */
const EXPRESSION_ROOTS = ['input', 'steps', 'vars', 'trigger', 'run'] as const;

/**
 * An attempt of a Gong action may first wait for the company's budget (3 calls/s shared by every worker),
 * heartbeating while it waits; the catalog's timeout is for the request itself, so the attempt gets more.
 */
export const GONG_BUDGET_WAIT_ALLOWANCE_MS = 5 * 60_000;
const HTTP_DEFAULTS = {
  startToCloseTimeoutMs: 30_000,
  retry: { maximumAttempts: 3, initialIntervalMs: 1_000, backoffCoefficient: 2, maximumIntervalMs: 30_000 },
} as const;

const APPROVAL_PAYLOAD_SCHEMA: JsonValue = {
  type: 'object',
  properties: { approved: { type: 'boolean' }, by: { type: 'string' }, comment: { type: 'string' } },
  required: ['approved'],
  additionalProperties: false,
};

/**
 * The file a `run:` step names: relative to the definition that names it (never to the working directory
 * or a definitions folder), so a definition means the same wherever it is validated, listed or run.
 */
export function resolveRunPath(referencingFile: string, runPath: string): string {
  return nodePath.resolve(nodePath.dirname(nodePath.resolve(referencingFile)), runPath);
}

/** Parses, validates and compiles a definition's text. All problems are reported at once; never throws. */
export function compileDefinition(text: string, file: string, options: CompileOptions = {}): CompileResult {
  let source: ParsedSource;
  try {
    source = parseSource(text, file);
  } catch (error) {
    // The YAML library throws for some documents that parse (an alias used before its anchor, alias bombs).
    return {
      ok: false,
      problems: [
        {
          code: CODES.syntax,
          message: error instanceof Error ? (error.message.split('\n')[0] ?? error.message) : String(error),
          file,
          line: 1,
          column: 1,
          hint: 'Fix the YAML: define an anchor (&name) before its alias (*name), and avoid deeply nested aliases.',
        },
      ],
      warnings: [],
    };
  }
  if (source.syntaxErrors.length > 0) {
    return {
      ok: false,
      problems: source.syntaxErrors.map((error) => ({
        code: CODES.syntax,
        message: error.message,
        file,
        line: error.line,
        column: error.column,
        hint: 'Fix the YAML/JSON syntax at this position.',
      })),
      warnings: [],
    };
  }
  try {
    return new Compiler(source, text, options).compile();
  } catch (error) {
    // A validator bug must still answer with a problem, never crash the caller.
    return {
      ok: false,
      problems: [
        {
          code: CODES.internal,
          message: `the validator failed: ${error instanceof Error ? error.message : String(error)}`,
          file,
          line: 1,
          column: 1,
          hint: 'This is a gongflow bug: please report it with the definition.',
        },
      ],
      warnings: [],
    };
  }
}

/** One declared step, found by the pre-scan before anything is compiled. */
interface DeclaredStep {
  path: Path;
  /** Document order, to tell a later step from one that is not visible. */
  order: number;
  marker?: StepMarker;
  /** Innermost enclosing forEach / parallel branch, for hints. */
  enclosure?: string;
}

/** Where an expression is compiled: what it may read. */
interface Scope {
  visible: ReadonlySet<string>;
  /** Names bound here besides the roots (loop item and index, caught error). */
  locals: ReadonlySet<string>;
  environment: Environment;
  /** Order of the step being compiled (for "later step" messages). */
  order: number;
  /** Trigger expressions read only `trigger`. */
  triggerOnly?: boolean;
}

interface CompiledStep {
  plan?: StepPlan;
  /** Step ids that later steps of the enclosing list may read. */
  exported: string[];
}

class Compiler {
  private readonly problems: ProblemDetail[] = [];
  private readonly warnings: ProblemDetail[] = [];
  private readonly declared = new Map<string, DeclaredStep>();
  private readonly varNames = new Set<string>();
  private readonly failTypes = new Set<string>();
  private readonly shared = sharedCelTypes();
  private readonly types = new CelTypeRegistry(this.shared.registry);
  private readonly lines: string[];
  private retryPolicies: Record<string, RetryPolicySource> = {};
  private inputNames = new Set<string>();

  constructor(
    private readonly source: ParsedSource,
    text: string,
    private readonly options: CompileOptions,
  ) {
    this.lines = text.split(/\r?\n/);
  }

  compile(): CompileResult {
    const raw = this.source.value;
    if (!isRecord(raw)) {
      this.report(
        CODES.notAMapping,
        'a definition is a mapping with name, version and steps',
        [],
        'Start from an example in definitions/examples/.',
      );
      return { ok: false, problems: this.problems, warnings: this.warnings };
    }
    this.declareSteps(raw['steps'], ['steps'], undefined);
    this.declareSteps(raw['onFailure'], ['onFailure'], undefined);

    const parsed = DefinitionSchema.safeParse(raw);
    if (!parsed.success) this.reportZodIssues(parsed.error.issues, []);
    const definition = parsed.success ? parsed.data : undefined;
    this.retryPolicies = definition?.retryPolicies ?? safeRecord(raw['retryPolicies']);
    this.inputNames = new Set(Object.keys(definition?.input ?? safeRecord(raw['input'])));

    const environment = this.buildEnvironment(definition, raw);
    const topScope: Scope = { visible: new Set(), locals: new Set(), environment, order: -1 };

    const triggers = definition ? this.compileTriggers(definition.triggers ?? []) : [];
    const rawSteps = Array.isArray(raw['steps']) ? raw['steps'] : [];
    const body = this.compileSequence(rawSteps, ['steps'], topScope);
    const afterAll: Scope = { ...topScope, visible: new Set(body.exported), order: Infinity };
    const output =
      raw['output'] === undefined ? undefined : this.compileValue(raw['output'], ['output'], afterAll);
    let onFailure: StepPlan[] | undefined;
    if (Array.isArray(raw['onFailure'])) {
      const failureScope = this.withLocals(afterAll, { error: this.shared.error });
      onFailure = this.compileSequence(raw['onFailure'], ['onFailure'], failureScope).plans;
    }
    if (this.problems.length > 0 || !definition)
      return { ok: false, problems: this.problems, warnings: this.warnings };

    const requiredScopes = [...new Set(collectScopes([...body.plans, ...(onFailure ?? [])]))].sort();
    const planBody: Omit<Plan, 'hash'> = {
      formatVersion: PLAN_FORMAT_VERSION,
      name: definition.name,
      version: definition.version,
      ...(definition.description ? { description: definition.description } : {}),
      input: compileInput(definition),
      ...(definition.connection ? { connection: definition.connection } : {}),
      triggers,
      steps: body.plans,
      ...(output ? { output } : {}),
      ...(onFailure && onFailure.length > 0 ? { onFailure } : {}),
      ...(definition.timeout !== undefined ? { timeoutMs: definition.timeout } : {}),
      requiredScopes,
    };
    // Neither the file name nor positions are part of the hash: the same definition, in YAML or JSON,
    // wherever it lives, gives the same hash.
    const plan: Plan = { ...planBody, hash: planHash(planBody), source: this.source.file };
    return { ok: true, plan, problems: [], warnings: this.warnings };
  }

  // ---------------------------------------------------------------------------------------------------
  // Pre-scan: every step id (in document order, nested ones included) and every variable name.

  private declareSteps(steps: unknown, path: Path, enclosure: string | undefined): void {
    if (!Array.isArray(steps)) return;
    steps.forEach((step, index) => {
      if (!isRecord(step)) return;
      const stepPath = [...path, index];
      const marker = STEP_MARKERS.find((candidate) => candidate in step);
      const id = step['id'];
      if (typeof id === 'string') this.declareStep(id, stepPath, marker, enclosure);
      if (marker === 'set' && isRecord(step['set']))
        for (const name of Object.keys(step['set'])) this.varNames.add(name);
      if (marker === 'fail' && typeof step['errorType'] === 'string') this.failTypes.add(step['errorType']);
      const inner = marker === 'forEach' || marker === 'parallel' ? `${marker} ${String(id)}` : enclosure;
      for (const child of childLists(step, marker))
        this.declareSteps(child.list, [...stepPath, ...child.path], inner);
    });
  }

  private declareStep(
    id: string,
    path: Path,
    marker: StepMarker | undefined,
    enclosure: string | undefined,
  ): void {
    const previous = this.declared.get(id);
    if (previous) {
      const first = this.at(previous.path);
      this.report(
        CODES.duplicateStepId,
        `step id "${id}" is already used${first ? ` at line ${first.line}` : ''}`,
        [...path, 'id'],
        'Give every step a unique id (ids are unique across nested steps too).',
      );
      return;
    }
    this.declared.set(id, {
      path,
      order: this.declared.size,
      ...(marker ? { marker } : {}),
      ...(enclosure ? { enclosure } : {}),
    });
  }

  // ---------------------------------------------------------------------------------------------------
  // CEL types of everything expressions can read.

  private buildEnvironment(
    definition: DefinitionSource | undefined,
    raw: Record<string, unknown>,
  ): Environment {
    const types = this.types;
    const inputFields: CelFields = {};
    for (const [name, field] of Object.entries(definition?.input ?? {}))
      inputFields[name] = inputCelType(field.type);
    const inputType = types.register('input', inputFields, false);
    const runType = this.shared.run;
    const httpType = this.shared.httpResponse;
    const approvalType = this.shared.approval;

    const triggerKinds = new Set(
      (Array.isArray(raw['triggers']) ? raw['triggers'] : [])
        .map((trigger) => (isRecord(trigger) ? trigger['kind'] : undefined))
        .filter(
          (kind): kind is keyof typeof TRIGGER_PAYLOADS =>
            typeof kind === 'string' && Object.hasOwn(TRIGGER_PAYLOADS, kind),
        ),
    );
    const triggerTypes = new Set(
      [...triggerKinds].map((kind) => this.shared.triggerPayloads.get(kind) ?? DYN),
    );
    // A run started by the API or by another kind has another payload: only one kind types `trigger`.
    const triggerType = triggerTypes.size === 1 ? ([...triggerTypes][0] ?? DYN) : DYN;

    const wrappers = new Map<string, string>();
    const stepFields: CelFields = {};
    for (const [id, step] of this.declared) {
      const outputType = this.stepOutputType(step, { http: httpType, approval: approvalType });
      let wrapper = wrappers.get(outputType);
      if (!wrapper) {
        wrapper = types.register(`step.${outputType}`, { output: outputType }, false);
        wrappers.set(outputType, wrapper);
      }
      stepFields[id] = wrapper;
    }
    const stepsType = types.register('steps', stepFields, false);
    const environment = types.environment;
    environment.registerVariable('input', inputType);
    environment.registerVariable('steps', stepsType);
    environment.registerVariable('vars', 'map<string, dyn>');
    environment.registerVariable('trigger', triggerType);
    environment.registerVariable('run', runType);
    environment.registerVariable('secrets', 'map<string, string>');
    return environment;
  }

  private stepOutputType(step: DeclaredStep, builtins: { http: string; approval: string }): string {
    const raw = this.rawAt(step.path);
    if (!isRecord(raw)) return DYN;
    switch (step.marker) {
      case 'action':
        return typeof raw['action'] === 'string'
          ? (this.shared.actionOutputs.get(raw['action']) ?? DYN)
          : DYN;
      case 'http':
        return builtins.http;
      case 'approval':
        return builtins.approval;
      case 'set':
        return 'map<string, dyn>';
      case 'forEach':
        return 'list<dyn>';
      case 'waitForSignal': {
        const payload = raw['payload'];
        if (!isRecord(payload)) return DYN;
        const fields: CelFields = {};
        for (const [name, field] of Object.entries(payload))
          fields[name] =
            isRecord(field) && typeof field['type'] === 'string' ? inputCelType(field['type']) : DYN;
        return this.types.register(`signal.${String(raw['waitForSignal'])}`, fields);
      }
      default:
        return DYN;
    }
  }

  /**
   * A scope with more names bound. CEL cannot shadow a variable: a name bound already keeps its binding
   * (an error caught inside onFailure is again `gongflow.Error`); other clashes are reported where bound.
   */
  private withLocals(scope: Scope, locals: Record<string, string>): Scope {
    // Loops binding the same names to the same types share one environment (cloning one is not free).
    const key = JSON.stringify(locals);
    let byLocals = this.scopedEnvironments.get(scope.environment);
    if (!byLocals)
      this.scopedEnvironments.set(scope.environment, (byLocals = new Map<string, Environment>()));
    let environment = byLocals.get(key);
    if (!environment) {
      environment = scope.environment.clone();
      for (const [name, type] of Object.entries(locals))
        if (!environment.hasVariable(name)) environment.registerVariable(name, type);
      byLocals.set(key, environment);
    }
    return { ...scope, environment, locals: new Set([...scope.locals, ...Object.keys(locals)]) };
  }

  private readonly scopedEnvironments = new WeakMap<Environment, Map<string, Environment>>();

  // ---------------------------------------------------------------------------------------------------
  // Triggers.

  private compileTriggers(triggers: TriggerSource[]): Plan['triggers'] {
    return triggers.map((trigger, index) => {
      const path: Path = ['triggers', index];
      // Each trigger's expressions see that trigger's payload type.
      const types = new CelTypeRegistry(this.shared.registry);
      types.environment.registerVariable('trigger', this.shared.triggerPayloads.get(trigger.kind) ?? DYN);
      const scope: Scope = {
        visible: new Set(),
        locals: new Set(),
        environment: types.environment,
        order: -1,
        triggerOnly: true,
      };
      const filter =
        trigger.filter === undefined
          ? undefined
          : this.compileCondition(trigger.filter, [...path, 'filter'], scope);
      let input: TemplatePlan | undefined;
      if (trigger.input) {
        input = this.compileValue(trigger.input, [...path, 'input'], scope);
        for (const key of Object.keys(trigger.input)) {
          if (!this.inputNames.has(key)) {
            const suggestion = closest(key, this.inputNames);
            this.report(
              CODES.unknownReference,
              `the definition declares no input "${key}"`,
              [...path, 'input', key],
              suggestion ? `Did you mean "${suggestion}"?` : 'Declare it under input:, or remove it.',
              true,
            );
          }
        }
      }
      return {
        kind: trigger.kind,
        settings: triggerSettings(trigger),
        ...(filter ? { filter } : {}),
        ...(input ? { input } : {}),
      };
    });
  }

  // ---------------------------------------------------------------------------------------------------
  // Steps.

  private compileSequence(
    rawSteps: unknown[],
    path: Path,
    scope: Scope,
  ): { plans: StepPlan[]; exported: string[] } {
    const plans: StepPlan[] = [];
    const visible = new Set(scope.visible);
    const exported: string[] = [];
    let stoppedBy: string | undefined;
    let reported = false;
    rawSteps.forEach((raw, index) => {
      const stepPath = [...path, index];
      if (stoppedBy !== undefined && !reported) {
        this.report(
          CODES.unreachableStep,
          `this step never runs: step "${stoppedBy}" before it always ends the run`,
          stepPath,
          `Remove it, or put "${stoppedBy}" under an if: so the run can go on.`,
        );
        reported = true;
      }
      const compiled = this.compileStep(raw, stepPath, { ...scope, visible });
      if (compiled.plan) plans.push(compiled.plan);
      for (const id of compiled.exported) {
        visible.add(id);
        exported.push(id);
      }
      if (
        stoppedBy === undefined &&
        isRecord(raw) &&
        ('fail' in raw || 'succeed' in raw) &&
        raw['when'] === undefined
      )
        stoppedBy = typeof raw['id'] === 'string' ? raw['id'] : `#${index}`;
    });
    return { plans, exported };
  }

  private compileStep(raw: unknown, path: Path, outer: Scope): CompiledStep {
    if (!isRecord(raw)) {
      this.report(
        CODES.invalidValue,
        'a step is a mapping',
        path,
        `Write the step as \`- id: ...\` with one of: ${STEP_MARKERS.join(', ')}.`,
      );
      return { exported: [] };
    }
    const markers = STEP_MARKERS.filter((marker) => marker in raw);
    const rawId = typeof raw['id'] === 'string' ? raw['id'] : undefined;
    if (markers.length !== 1) {
      this.report(
        CODES.unknownStepKind,
        markers.length === 0
          ? `step ${rawId ?? `#${String(path.at(-1))}`} has no kind`
          : `step has several kinds: ${markers.join(', ')}`,
        path,
        `Give the step exactly one of: ${STEP_MARKERS.join(', ')}.`,
      );
      return { exported: rawId ? [rawId] : [] };
    }
    const marker = markers[0] as StepMarker;
    if (marker === 'forEach' && !('maxItems' in raw)) {
      this.report(
        CODES.unboundedLoop,
        `forEach step ${rawId ?? ''} has no maxItems: the loop is unbounded`,
        path,
        'Add maxItems: the most items the list may hold (a longer list fails the step instead of running forever).',
      );
    }
    const parsed = STEP_SCHEMAS[marker].safeParse(raw);
    const declared = rawId ? this.declared.get(rawId) : undefined;
    const scope: Scope = {
      ...outer,
      order: declared && declared.path.join('.') === path.join('.') ? declared.order : outer.order,
    };
    if (!parsed.success) {
      this.reportZodIssues(
        parsed.error.issues.filter(
          (issue) => !(marker === 'forEach' && issue.path[0] === 'maxItems' && !('maxItems' in raw)),
        ),
        path,
      );
      // Keep going inside, so one run shows every problem.
      const exported: string[] = rawId ? [rawId] : [];
      for (const child of childLists(raw, marker)) {
        if (Array.isArray(child.list)) this.compileSequence(child.list, [...path, ...child.path], scope);
      }
      return { exported };
    }
    const step = parsed.data;
    const at = this.at(path);
    const when =
      step.when === undefined ? undefined : this.compileCondition(step.when, [...path, 'when'], scope);
    const common = {
      id: step.id,
      ...(step.title ? { title: step.title } : {}),
      ...(at ? { at } : {}),
      ...(when ? { when } : {}),
      ...(step.timeout !== undefined ? { timeoutMs: step.timeout } : {}),
    };
    const own = [step.id];
    switch (marker) {
      case 'action':
        return {
          plan: this.compileAction(step as StepSources['action'], path, common, scope),
          exported: own,
        };
      case 'http':
        return { plan: this.compileHttp(step as StepSources['http'], path, common, scope), exported: own };
      case 'set': {
        const source = step as StepSources['set'];
        const vars = Object.fromEntries(
          Object.entries(source.set).map(([name, value]) => [
            name,
            this.compileValue(value, [...path, 'set', name], scope),
          ]),
        );
        return { plan: { ...common, kind: 'set', vars }, exported: own };
      }
      case 'if': {
        const source = step as StepSources['if'];
        const condition = this.compileCondition(source.if, [...path, 'if'], scope);
        const then = this.compileSequence(source.then, [...path, 'then'], scope);
        const otherwise = this.compileSequence(source.else ?? [], [...path, 'else'], scope);
        return {
          plan: condition && { ...common, kind: 'if', condition, then: then.plans, else: otherwise.plans },
          exported: [...own, ...then.exported, ...otherwise.exported],
        };
      }
      case 'switch': {
        const source = step as StepSources['switch'];
        const exported = [...own];
        const cases = source.switch.map((branch, index) => {
          const casePath = [...path, 'switch', index];
          const condition = this.compileCondition(branch.when, [...casePath, 'when'], scope);
          const steps = this.compileSequence(branch.steps, [...casePath, 'steps'], scope);
          exported.push(...steps.exported);
          return { when: condition ?? { expr: 'false' }, steps: steps.plans };
        });
        const fallback = this.compileSequence(source.default ?? [], [...path, 'default'], scope);
        exported.push(...fallback.exported);
        return { plan: { ...common, kind: 'switch', cases, default: fallback.plans }, exported };
      }
      case 'parallel': {
        const source = step as StepSources['parallel'];
        const mode = source.mode ?? 'all';
        const inner: string[] = [];
        const branches = Object.entries(source.parallel).map(([branchId, steps]) => {
          // Sibling branches run at the same time: a branch sees only what was visible before the parallel.
          const compiled = this.compileSequence(steps, [...path, 'parallel', branchId], scope);
          inner.push(...compiled.exported);
          return { id: branchId, steps: compiled.plans };
        });
        // After `all`, every branch has completed; after race/settled some may not have: read the step output.
        return {
          plan: { ...common, kind: 'parallel', mode, branches },
          exported: mode === 'all' ? [...own, ...inner] : own,
        };
      }
      case 'forEach':
        return {
          plan: this.compileForEach(step as StepSources['forEach'], path, common, scope),
          exported: own,
        };
      case 'sleep':
        return {
          plan: { ...common, kind: 'sleep', durationMs: (step as StepSources['sleep']).sleep },
          exported: own,
        };
      case 'waitUntil': {
        const source = step as StepSources['waitUntil'];
        const time = this.compileExpressionField(source.waitUntil, [...path, 'waitUntil'], scope, 'time');
        return { plan: time && { ...common, kind: 'waitUntil', time: time.plan }, exported: own };
      }
      case 'waitForSignal': {
        const source = step as StepSources['waitForSignal'];
        return {
          plan: {
            ...common,
            kind: 'waitForSignal',
            signal: source.waitForSignal,
            approval: false,
            ...(source.payload ? { payloadSchema: payloadJsonSchema(source.payload) } : {}),
            timeoutMs: source.timeout,
            onTimeout: source.onTimeout ?? 'fail',
          },
          exported: own,
        };
      }
      case 'approval': {
        const source = step as StepSources['approval'];
        const prompt = this.compileValue(source.approval, [...path, 'approval'], scope);
        return {
          plan: {
            ...common,
            kind: 'waitForSignal',
            signal: source.id,
            approval: true,
            payloadSchema: APPROVAL_PAYLOAD_SCHEMA,
            timeoutMs: source.timeout,
            onTimeout: source.onTimeout ?? 'fail',
            prompt,
            ...(source.approvers ? { approvers: source.approvers } : {}),
          },
          exported: own,
        };
      }
      case 'run':
        return { plan: this.compileRun(step as StepSources['run'], path, common, scope), exported: own };
      case 'try': {
        const source = step as StepSources['try'];
        const body = this.compileSequence(source.try, [...path, 'try'], scope);
        const afterTry: Scope = { ...scope, visible: new Set([...scope.visible, ...body.exported]) };
        let handler: { errorTypes: string[]; as: string; steps: StepPlan[] } | undefined;
        const exported = [...own, ...body.exported];
        if (source.catch) {
          const name = source.catch.as ?? 'error';
          if (
            (EXPRESSION_ROOTS as readonly string[]).includes(name) ||
            (scope.locals.has(name) && name !== 'error')
          )
            this.report(
              CODES.invalidValue,
              `"${name}" is already a name in expressions here`,
              [...path, 'catch', 'as'],
              'Choose another name with as:.',
            );
          const errorTypes = source.catch.errors ?? [];
          errorTypes.forEach((type, index) => this.checkErrorType(type, [...path, 'catch', 'errors', index]));
          const caught = this.compileSequence(
            source.catch.steps,
            [...path, 'catch', 'steps'],
            this.withLocals(afterTry, { [name]: this.shared.error }),
          );
          exported.push(...caught.exported);
          handler = { errorTypes, as: name, steps: caught.plans };
        }
        const cleanup = source.finally
          ? this.compileSequence(source.finally, [...path, 'finally'], {
              ...afterTry,
              visible: new Set([...scope.visible, ...exported]),
            })
          : undefined;
        if (cleanup) exported.push(...cleanup.exported);
        return {
          plan: {
            ...common,
            kind: 'try',
            steps: body.plans,
            ...(handler ? { catch: handler } : {}),
            ...(cleanup ? { finally: cleanup.plans } : {}),
          },
          exported,
        };
      }
      case 'fail': {
        const source = step as StepSources['fail'];
        return {
          plan: {
            ...common,
            kind: 'fail',
            errorType: source.errorType ?? FAILURE_TYPES.business,
            message: this.compileValue(source.fail, [...path, 'fail'], scope),
          },
          exported: own,
        };
      }
      case 'succeed': {
        const source = step as StepSources['succeed'];
        const output =
          source.succeed === null || source.succeed === undefined
            ? undefined
            : this.compileValue(source.succeed, [...path, 'succeed'], scope);
        return { plan: { ...common, kind: 'succeed', ...(output ? { output } : {}) }, exported: own };
      }
    }
  }

  private compileAction(
    step: StepSources['action'],
    path: Path,
    common: CommonFields,
    scope: Scope,
  ): StepPlan | undefined {
    const action = findGongAction(step.action);
    const input = this.compileValue(step.with ?? {}, [...path, 'with'], scope);
    if (!action) {
      const suggestion = closest(step.action, GONG_ACTIONS.keys());
      this.report(
        CODES.unknownAction,
        `unknown action "${step.action}"`,
        [...path, 'action'],
        suggestion
          ? `Did you mean "${suggestion}"? The catalog is in docs/actions.md.`
          : 'See docs/actions.md for the actions gongflow knows.',
      );
      return undefined;
    }
    this.checkActionInput(action.input, step.with ?? {}, [...path, 'with'], action.name, scope);
    // Scopes can depend on the input (media URLs of extensive call data): an expression counts as set.
    const scopes = actionScopes(action, step.with ?? {});
    this.checkScopes(action.name, scopes, [...path, 'action']);
    const retry = this.retry(step.retry, action.retry, [...path, 'retry']);
    if (step.onUnknownOutcome === 'resend' && !canBeUnsafe(action))
      this.report(
        CODES.invalidValue,
        `onUnknownOutcome: resend has no effect: ${action.name} is ${action.semantics === 'keyed' ? `keyed by ${action.key?.field ?? 'its key'}` : `${action.semantics}`}, so a retry is always safe`,
        [...path, 'onUnknownOutcome'],
        'Remove onUnknownOutcome; it is for unsafe writes (docs/semantics.md, "Gong writes").',
      );
    return {
      ...common,
      kind: 'action',
      action: action.name,
      input,
      activity: {
        startToCloseTimeoutMs: step.attemptTimeout ?? action.timeoutMs + GONG_BUDGET_WAIT_ALLOWANCE_MS,
        retry,
        scopes,
      },
      ...(step.onUnknownOutcome === 'resend' ? { onUnknownOutcome: 'resend' as const } : {}),
    };
  }

  private compileHttp(step: StepSources['http'], path: Path, common: CommonFields, scope: Scope): StepPlan {
    const request = step.http;
    const requestPath = [...path, 'http'];
    const secrets = new Set<string>();
    const value = {
      method: request.method ?? (request.body === undefined ? 'GET' : 'POST'),
      url: request.url,
      ...(request.headers ? { headers: request.headers } : {}),
      ...(request.query ? { query: request.query } : {}),
      ...(request.body !== undefined ? { body: request.body } : {}),
    };
    const compiled = this.compileValue(value, requestPath, scope, { secrets });
    if (
      typeof request.url === 'string' &&
      expressionSource(request.url) === undefined &&
      !/^https?:\/\//.test(request.url)
    ) {
      this.report(
        CODES.invalidValue,
        `"${request.url}" is not an http(s) URL`,
        [...requestPath, 'url'],
        'Write a full URL such as https://hooks.slack.com/services/..., or an expression.',
      );
    }
    return {
      ...common,
      kind: 'http',
      request: compiled,
      activity: {
        startToCloseTimeoutMs: step.attemptTimeout ?? HTTP_DEFAULTS.startToCloseTimeoutMs,
        retry: this.retry(step.retry, HTTP_DEFAULTS.retry, [...path, 'retry']),
      },
      ...(secrets.size > 0 ? { secrets: [...secrets].sort() } : {}),
    };
  }

  private compileForEach(
    step: StepSources['forEach'],
    path: Path,
    common: CommonFields,
    scope: Scope,
  ): StepPlan | undefined {
    const name = step.as ?? 'item';
    const items = this.compileExpressionField(step.forEach, [...path, 'forEach'], scope, 'list');
    const itemType = elementType(items?.type);
    if (
      this.types.environment.hasVariable(name) ||
      EXPRESSION_ROOTS.includes(name as (typeof EXPRESSION_ROOTS)[number]) ||
      scope.locals.has(name)
    ) {
      this.report(
        CODES.invalidValue,
        `"${name}" is already a name in expressions here`,
        [...path, 'as'],
        'Choose another name with as:.',
      );
    }
    const body = this.withLocals(scope, { [name]: itemType, [`${name}Index`]: 'int' });
    const steps = this.compileSequence(step.steps, [...path, 'steps'], body);
    const afterBody: Scope = { ...body, visible: new Set([...body.visible, ...steps.exported]) };
    const output =
      step.output === undefined ? undefined : this.compileValue(step.output, [...path, 'output'], afterBody);
    if (step.concurrency !== undefined && step.concurrency > step.maxItems) {
      this.report(
        CODES.invalidValue,
        `concurrency ${step.concurrency} is above maxItems ${step.maxItems}`,
        [...path, 'concurrency'],
        'Lower concurrency to at most maxItems.',
      );
    }
    if (!items) return undefined;
    return {
      ...common,
      kind: 'forEach',
      items: items.plan,
      as: name,
      concurrency: step.concurrency ?? 1,
      maxItems: step.maxItems,
      steps: steps.plans,
      ...(output ? { output } : {}),
    };
  }

  private compileRun(
    step: StepSources['run'],
    path: Path,
    common: CommonFields,
    scope: Scope,
  ): StepPlan | undefined {
    const input = this.compileValue(step.with ?? {}, [...path, 'with'], scope);
    const here = path;
    const self = nodePath.resolve(this.options.location ?? this.source.file);
    const childFile = resolveRunPath(self, step.run);
    const ancestors = [...(this.options.ancestors ?? []), self];
    if (ancestors.includes(childFile)) {
      this.report(
        CODES.runCycle,
        `running ${step.run} here makes a cycle: ${[...ancestors, childFile].map((file) => nodePath.basename(file)).join(' -> ')}`,
        [...here, 'run'],
        'A definition cannot run itself, directly or through others: break the cycle.',
      );
      return undefined;
    }
    let text: string;
    try {
      text = (this.options.readFile ?? ((file: string) => readFileSync(file, 'utf8')))(childFile);
    } catch (error) {
      this.report(
        CODES.runNotFound,
        `cannot read ${step.run}: ${readFailureReason(error)}`,
        [...here, 'run'],
        'The path is relative to this definition file.',
      );
      return undefined;
    }
    // Shown as the parent is: relative to the same base (the working directory, or the API's folder).
    const childName = nodePath.normalize(nodePath.join(nodePath.dirname(this.source.file), step.run));
    const child = compileDefinition(text, childName, { ...this.options, ancestors, location: childFile });
    if (!child.ok) {
      this.report(
        CODES.runInvalid,
        `${step.run} has ${child.problems.length} problem(s); the first: ${child.problems[0]?.code ?? ''} ${child.problems[0]?.message ?? ''}`,
        [...here, 'run'],
        `Fix ${childName} (validate it on its own for the full list).`,
      );
      this.problems.push(...child.problems.filter((problem) => problem.code !== CODES.missingScope));
      return undefined;
    }
    this.warnings.push(...child.warnings);
    const { source: _source, ...childPlan } = child.plan;
    this.checkRunInput(child.plan, step.with ?? {}, [...path, 'with']);
    void scope;
    return { ...common, kind: 'run', plan: childPlan, input };
  }

  private checkRunInput(child: Plan, given: Record<string, unknown>, path: Path): void {
    for (const key of Object.keys(given)) {
      if (!(key in child.input)) {
        const suggestion = closest(key, Object.keys(child.input));
        this.report(
          CODES.runInvalid,
          `${child.name} has no input "${key}"`,
          [...path, key],
          suggestion
            ? `Did you mean "${suggestion}"?`
            : `Its inputs are: ${Object.keys(child.input).join(', ') || '(none)'}.`,
          true,
        );
      }
    }
    for (const [name, field] of Object.entries(child.input)) {
      if (field.required && !(name in given)) {
        this.report(
          CODES.runInvalid,
          `${child.name} needs input "${name}"`,
          path,
          `Add "${name}" under with:.`,
        );
      }
    }
  }

  private retry(
    source: StepSources['action']['retry'],
    defaults: RetryPolicyPlan,
    path: Path,
  ): RetryPolicyPlan {
    if (typeof source === 'string') {
      const named = this.retryPolicies[source];
      if (!named) {
        const suggestion = closest(source, Object.keys(this.retryPolicies));
        this.report(
          CODES.unknownRetryPolicy,
          `no retry policy named "${source}"`,
          path,
          suggestion
            ? `Did you mean "${suggestion}"?`
            : 'Declare it under retryPolicies, or write the policy inline.',
        );
        return { ...defaults };
      }
      return retryPlan(named, defaults);
    }
    return source ? retryPlan(source, defaults) : { ...defaults };
  }

  private checkScopes(actionName: string, scopes: readonly string[], path: Path): void {
    const granted = this.options.connectionScopes;
    if (!granted) return;
    for (const scope of scopes) {
      if (!granted.includes(scope)) {
        const connection = this.options.connectionName
          ? `connection "${this.options.connectionName}"`
          : 'the connection';
        this.report(
          CODES.missingScope,
          `${actionName} needs the Gong scope ${scope}, which ${connection} was not granted`,
          path,
          `Reconnect ${connection} with ${scope} (OAuth: add it to the app's scopes and authorize again), or run with a connection that has it.`,
        );
      }
    }
  }

  private checkErrorType(type: string, path: Path): void {
    const known = new Set<string>([...Object.values(FAILURE_TYPES), ...this.failTypes]);
    if (known.has(type)) return;
    const suggestion = closest(type, known);
    this.report(
      CODES.unknownErrorType,
      `no failure type "${type}"`,
      path,
      suggestion ? `Did you mean "${suggestion}"?` : `Catch one of: ${[...known].join(', ')}.`,
    );
  }

  /**
   * Literal parts of an action's input are checked against the catalog schema now, not at run time. Fields
   * the catalog does not know are warnings, not errors: Gong ignores or accepts fields its export does not
   * list, and they are sent as given (parseActionInput); the warning keeps typos visible with a did-you-mean.
   */
  private checkActionInput(
    schema: z.ZodType,
    value: Record<string, unknown>,
    path: Path,
    actionName: string,
    scope: Scope,
  ): void {
    const shape = (schema as unknown as { shape?: Record<string, z.ZodType> }).shape;
    if (!shape) return;
    // gong.request's fields are gongflow's own, not Gong's: unknown ones stay errors there.
    const lenient = actionName !== GONG_REQUEST_ACTION_NAME;
    for (const [key, fieldValue] of Object.entries(value)) {
      const field = shape[key];
      if (!field) {
        if (lenient) this.warnUnknownInput(actionName, [...path, key], [key], Object.keys(shape));
        else {
          const suggestion = closest(key, Object.keys(shape));
          this.report(
            CODES.actionInput,
            `${actionName} has no input "${key}"`,
            [...path, key],
            suggestion
              ? `Did you mean "${suggestion}"?`
              : `Its inputs are: ${Object.keys(shape).join(', ') || '(none)'}.`,
            true,
          );
        }
        continue;
      }
      const template = compileTemplate(fieldValue);
      if (template.t === 'expr') {
        const expected = shallowType(field);
        const actual = this.expressionTypes.get(template.e.expr);
        if (expected && actual && !compatible(expected, actual)) {
          this.report(
            CODES.actionInput,
            `${actionName} input "${key}" is ${expected}, but the expression gives ${actual}`,
            [...path, key],
            'Convert the value in the expression, e.g. string(x) or int(x).',
          );
        }
        continue;
      }
      if (template.t !== 'lit') continue;
      const result = parseLenient(field, fieldValue);
      if (!result.success) {
        this.report(
          CODES.actionInput,
          `${actionName} input "${key}": ${result.error.issues[0]?.message ?? 'invalid'}`,
          [...path, key],
          'See the action in docs/actions.md.',
        );
        continue;
      }
      for (const unknown of result.unknownFields)
        this.warnUnknownInput(
          actionName,
          [...path, key, ...unknown.path, unknown.key],
          [key, ...unknown.path, unknown.key],
          unknown.known,
        );
    }
    for (const [key, field] of Object.entries(shape)) {
      if (!(key in value) && !field.safeParse(undefined).success) {
        this.report(
          CODES.actionInput,
          `${actionName} needs input "${key}"`,
          path,
          `Add "${key}" under with:.`,
        );
      }
    }
    void scope;
  }

  /**
   * An input field the catalog does not know: a warning with a did-you-mean; the field is sent as given. A
   * near miss of a gongflow option (`maxItem`) is an error instead: Gong does not know that name either, so
   * sending it would only lose the option.
   */
  private warnUnknownInput(actionName: string, path: Path, inputPath: Path, known: readonly string[]): void {
    const key = String(inputPath.at(-1));
    const suggestion = closest(key, known);
    const message = `${actionName} has no input "${dotted(inputPath)}" in the catalog`;
    if (suggestion !== undefined && inputPath.length === 1 && PAGINATION_CONTROL_KEYS.includes(suggestion)) {
      this.report(
        CODES.actionInput,
        message,
        path,
        `Did you mean "${suggestion}" (a gongflow option, never sent to Gong)?`,
        true,
      );
      return;
    }
    const paginated = findGongAction(actionName)?.pagination !== undefined;
    const hint =
      key === 'limit' && paginated
        ? 'Gong ignores limit (its pages are always 100 records); to stop early, use maxItems.'
        : suggestion
          ? `Did you mean "${suggestion}"? If not, it is sent to Gong as given (Gong ignores fields it does not know).`
          : `It is sent to Gong as given (Gong ignores fields it does not know). Known here: ${known.join(', ') || '(none)'}.`;
    this.warnings.push({
      code: CODES.unknownActionInput,
      severity: 'warning',
      message: `${message}: sent to Gong as given`,
      path: dotted(path),
      hint,
      file: this.source.file,
      ...this.source.locate(path, { atKey: true }),
    });
  }

  // ---------------------------------------------------------------------------------------------------
  // Values and expressions.

  /** Expression text -> inferred type, for checks that follow (action input types). */
  private readonly expressionTypes = new Map<string, string>();

  /**
   * A value that may hold `${{ expressions }}`: compiled to a template, every expression checked. With
   * `secrets`, expressions may read secrets (http requests): they compile to `{ "$secret": expr }`.
   */
  private compileValue(
    value: unknown,
    path: Path,
    scope: Scope,
    options: { secrets?: Set<string> } = {},
  ): TemplatePlan {
    this.checkEmbedded(value, path);
    const template = compileTemplate(value, (subPath) => this.at([...path, ...subPath]));
    const secretExpressions = new Set<string>();
    for (const found of findExpressions(value, path)) {
      const at = this.at(found.path);
      const expression: ExpressionPlan = at ? { expr: found.expr, at } : { expr: found.expr };
      const checked = this.checkExpression(expression, found.path, scope, options.secrets !== undefined);
      if (checked?.secrets && checked.secrets.size > 0) {
        secretExpressions.add(expression.expr);
        for (const name of checked.secrets) options.secrets?.add(name);
      }
    }
    if (options.secrets) this.checkNoSecretKeys(value, path);
    return secretExpressions.size > 0 ? replaceSecretExpressions(template, secretExpressions) : template;
  }

  private checkNoSecretKeys(value: unknown, path: Path): void {
    if (Array.isArray(value)) value.forEach((item, index) => this.checkNoSecretKeys(item, [...path, index]));
    else if (isRecord(value)) {
      for (const [key, item] of Object.entries(value)) {
        if (key === '$secret')
          this.report(
            CODES.invalidValue,
            '"$secret" is reserved',
            [...path, key],
            'Read secrets with ${{ secrets.<name> }}.',
            true,
          );
        this.checkNoSecretKeys(item, [...path, key]);
      }
    }
  }

  private compileCondition(value: string, path: Path, scope: Scope): ExpressionPlan | undefined {
    return this.compileExpressionField(value, path, scope, 'bool')?.plan;
  }

  /** A field that must be one expression (conditions, loop items, wait times) of an expected type. */
  private compileExpressionField(
    value: string,
    path: Path,
    scope: Scope,
    expect: 'bool' | 'list' | 'time',
  ): { plan: ExpressionPlan; type: string | undefined } | undefined {
    const expr = expressionSource(value);
    const at = this.at(path);
    if (expr === undefined) {
      if (expect === 'time' && !Number.isNaN(Date.parse(value)))
        return { plan: { expr: JSON.stringify(value), ...(at ? { at } : {}) }, type: 'string' };
      this.report(
        CODES.invalidValue,
        expect === 'bool' ? 'a condition is a ${{ expression }}' : `"${value}" is not an expression`,
        path,
        expect === 'bool'
          ? 'Write it as ${{ ... }}, e.g. ${{ steps.list.output.totalRecords > 0 }}.'
          : expect === 'list'
            ? 'Write the list as ${{ ... }}, e.g. ${{ steps.list.output.calls }}.'
            : 'Write an ISO-8601 date-time, or ${{ ... }} giving one.',
      );
      return undefined;
    }
    const plan: ExpressionPlan = at ? { expr, at } : { expr };
    const checked = this.checkExpression(plan, path, scope, false);
    if (!checked?.type) return checked ? { plan, type: undefined } : undefined;
    const type = checked.type;
    const ok =
      type === DYN ||
      (expect === 'bool' && type === 'bool') ||
      (expect === 'list' && type.startsWith('list')) ||
      (expect === 'time' && (type === 'string' || type === 'google.protobuf.Timestamp'));
    if (!ok) {
      const wanted =
        expect === 'bool' ? 'a bool' : expect === 'list' ? 'a list' : 'a timestamp or an ISO-8601 string';
      this.reportAt(
        CODES.expressionType,
        `this expression gives ${type}, but ${wanted} is needed here`,
        path,
        plan,
        'Change the expression so it gives ' + wanted + '.',
      );
    }
    return { plan, type };
  }

  private checkEmbedded(value: unknown, path: Path): void {
    if (typeof value === 'string' && looksLikeEmbeddedExpression(value)) {
      this.report(
        CODES.embeddedExpression,
        'an expression must be the whole value, not part of a text',
        path,
        'Build the text in CEL: ${{ "Hello " + input.name }}.',
      );
    } else if (Array.isArray(value)) {
      value.forEach((item, index) => this.checkEmbedded(item, [...path, index]));
    } else if (isRecord(value)) {
      for (const [key, item] of Object.entries(value)) this.checkEmbedded(item, [...path, key]);
    }
  }

  /**
   * Syntax, references (unknown or later steps, steps not visible here, undeclared inputs and variables),
   * secrets, then types. Returns undefined when the expression has a problem.
   */
  private checkExpression(
    expression: ExpressionPlan,
    path: Path,
    scope: Scope,
    secretsAllowed: boolean,
  ): { type?: string; secrets: Set<string> } | undefined {
    const { expr } = expression;
    const parseProblem = expressionParseProblem(expr);
    if (parseProblem?.kind === 'syntax') {
      this.reportAt(
        CODES.expressionSyntax,
        `expression does not parse: ${parseProblem.message.split('\n')[0] ?? ''}`,
        path,
        expression,
        'CEL syntax: https://github.com/google/cel-spec/blob/master/doc/langdef.md',
      );
      return undefined;
    }
    if (parseProblem) {
      this.reportAt(
        CODES.expressionTooComplex,
        parseProblem.message,
        path,
        expression,
        `Split it: compute parts in a set step and combine vars (limits: docs/language.md, "Limits").`,
      );
      return undefined;
    }
    const references = expressionReferences(expr);
    const before = this.problems.length;
    const roots: string[] = scope.triggerOnly
      ? ['trigger']
      : [...EXPRESSION_ROOTS, 'secrets', ...scope.locals];
    for (const root of references.roots) {
      if (roots.includes(root)) continue;
      if (root === 'secrets' && scope.triggerOnly !== true) continue;
      const suggestion = closest(root, roots);
      this.reportAt(
        CODES.unknownReference,
        scope.triggerOnly && (EXPRESSION_ROOTS as readonly string[]).includes(root)
          ? `trigger expressions read only trigger.*, not ${root}`
          : `unknown name "${root}" in expression`,
        path,
        expression,
        suggestion && suggestion !== root
          ? `Did you mean ${suggestion}? Expressions start from ${roots.join(', ')}.`
          : `Expressions here start from ${roots.join(', ')}.`,
      );
    }
    for (const referenced of references.steps) this.checkStepReference(referenced, scope, path, expression);
    for (const name of references.vars) {
      if (!this.varNames.has(name)) {
        const suggestion = closest(name, this.varNames);
        this.reportAt(
          CODES.unknownReference,
          `no step sets vars.${name}`,
          path,
          expression,
          suggestion ? `Did you mean vars.${suggestion}?` : 'Assign it first with a set: step.',
          offsetOf(expr, `vars.${name}`),
        );
      }
    }
    for (const name of references.input) {
      if (!this.inputNames.has(name)) {
        const suggestion = closest(name, this.inputNames);
        this.reportAt(
          CODES.unknownReference,
          `the definition declares no input "${name}"`,
          path,
          expression,
          suggestion ? `Did you mean input.${suggestion}?` : 'Declare it under input:.',
          offsetOf(expr, `input.${name}`),
        );
      }
    }
    if (references.roots.has('secrets')) {
      if (!secretsAllowed) {
        this.reportAt(
          CODES.secretInOutput,
          'secrets may not be read here: the value would be recorded in the run history',
          path,
          expression,
          'Read secrets only in http steps (url, headers, query, body), where the activity resolves them.',
          offsetOf(expr, 'secrets'),
        );
      } else if ([...references.roots].some((root) => root !== 'secrets')) {
        this.reportAt(
          CODES.secretInOutput,
          'an expression that reads secrets may read nothing else',
          path,
          expression,
          'Put the secret in its own value (e.g. a header), so other data never mixes with it.',
        );
      }
    }
    if (this.problems.length > before) return undefined;
    const typed = checkExpressionType(scope.environment, expr);
    if (typed.error) {
      this.reportAt(
        CODES.expressionType,
        `type error: ${typed.error.message}`,
        path,
        expression,
        /No such key/.test(typed.error.message)
          ? "Check the field name against the action's output (docs/actions.md); dyn(x).field skips the check."
          : 'Fix the types: convert with string(), int(), double(), or compare values of the same type.',
        typed.error.start,
      );
      return undefined;
    }
    for (const finding of expressionFindings(expr)) {
      this.reportAt(
        finding.kind === 'regex' ? CODES.expressionRegex : CODES.expressionFails,
        finding.message,
        path,
        expression,
        finding.hint,
        finding.offset,
      );
    }
    if (this.problems.length > before) return undefined;
    if (typed.type) this.expressionTypes.set(expr, typed.type);
    return { ...(typed.type ? { type: typed.type } : {}), secrets: references.secrets };
  }

  private checkStepReference(referenced: string, scope: Scope, path: Path, expression: ExpressionPlan): void {
    if (scope.visible.has(referenced)) return;
    const target = this.declared.get(referenced);
    if (scope.triggerOnly) return; // already reported: triggers do not read steps
    if (!target) {
      const suggestion = closest(referenced, this.declared.keys());
      this.reportAt(
        CODES.unknownStepReference,
        `no step "${referenced}"`,
        path,
        expression,
        suggestion ? `Did you mean steps.${suggestion}?` : 'Reference a step declared before this one.',
        offsetOf(expression.expr, `steps.${referenced}`),
      );
    } else if (target.order >= scope.order) {
      this.reportAt(
        CODES.laterStepReference,
        `step "${referenced}" has not run yet here`,
        path,
        expression,
        'A step can only read steps that come before it.',
        offsetOf(expression.expr, `steps.${referenced}`),
      );
    } else {
      this.reportAt(
        CODES.stepNotVisible,
        `step "${referenced}" is not visible here${target.enclosure ? ` (it runs inside ${target.enclosure})` : ''}`,
        path,
        expression,
        target.enclosure?.startsWith('forEach')
          ? 'Steps inside a loop are visible only in the same iteration: read the loop output, steps.<loop id>.output.'
          : target.enclosure?.startsWith('parallel')
            ? 'Parallel branches do not see each other, and after race/settled read the parallel output instead.'
            : 'Only steps that have completed before this one on every path are visible.',
        offsetOf(expression.expr, `steps.${referenced}`),
      );
    }
  }

  // ---------------------------------------------------------------------------------------------------
  // Problems and positions.

  private reportZodIssues(issues: $ZodIssue[], base: Path): void {
    for (const issue of issues) {
      const path = [...base, ...issue.path.map((key) => (typeof key === 'symbol' ? String(key) : key))];
      if (issue.code === 'unrecognized_keys') {
        for (const key of issue.keys) {
          const known = this.knownKeys(path);
          const suggestion = known ? closest(key, known) : undefined;
          this.report(
            CODES.unknownKey,
            `unknown key "${key}"`,
            [...path, key],
            suggestion
              ? `Did you mean "${suggestion}"?`
              : 'Remove it, or check its spelling against the schema (definitions/schema/definition.schema.json).',
            true,
          );
        }
      } else if (path.length > 0 && issue.input === undefined && this.rawAt(path) === undefined) {
        this.report(
          CODES.missingKey,
          `missing "${String(path.at(-1))}"`,
          path.slice(0, -1),
          `Add "${String(path.at(-1))}".`,
        );
      } else if (issue.code === 'invalid_union' && path.at(-2) === 'triggers') {
        this.report(
          CODES.invalidValue,
          `unknown trigger kind`,
          path,
          'kind is one of: api, schedule, gong.call.processed, gong.call.new, gong.user.new, gong.scorecard.answered.',
        );
      } else {
        this.report(
          CODES.invalidValue,
          `${dotted(path) || 'definition'}: ${issue.message}`,
          path,
          'See the definition schema (definitions/schema/definition.schema.json).',
        );
      }
    }
  }

  private knownKeys(path: Path): string[] | undefined {
    if (path.length === 0) return Object.keys(DefinitionSchema.shape);
    const raw = this.rawAt(path);
    if (!isRecord(raw)) return undefined;
    const marker = STEP_MARKERS.find((candidate) => candidate in raw);
    return marker ? Object.keys(STEP_SCHEMAS[marker].shape) : undefined;
  }

  private report(code: string, message: string, path: Path, hint: string, atKey = false): void {
    this.problems.push({
      code,
      message,
      path: dotted(path),
      hint,
      file: this.source.file,
      ...this.source.locate(path, { atKey }),
    });
  }

  /** A problem inside an expression: points at the offending part of the expression when it can. */
  private reportAt(
    code: string,
    message: string,
    path: Path,
    expression: ExpressionPlan,
    hint: string,
    offset?: number,
  ): void {
    const where = expression.at ?? this.at(path);
    const column = where ? this.expressionColumn(where, expression.expr, offset ?? 0) : undefined;
    this.problems.push({
      code,
      message,
      path: dotted(path),
      hint,
      file: this.source.file,
      ...(where ? { line: where.line, column: column ?? where.column } : this.source.locate(path)),
    });
  }

  /** Column of `offset` inside an expression written on one line at `where`. */
  private expressionColumn(where: SourceRef, expr: string, offset: number): number | undefined {
    const line = this.lines[where.line - 1];
    if (line === undefined) return undefined;
    const index = line.indexOf(expr, where.column - 1);
    return index === -1 ? undefined : index + 1 + offset;
  }

  private at(path: Path): SourceRef | undefined {
    const location = this.source.locate(path);
    return location.line !== undefined && location.column !== undefined
      ? { line: location.line, column: location.column }
      : undefined;
  }

  private rawAt(path: Path): unknown {
    let node: unknown = this.source.value;
    for (const key of path) {
      if (Array.isArray(node) && typeof key === 'number') node = node[key];
      else if (isRecord(node) && typeof key === 'string') node = node[key];
      else return undefined;
    }
    return node;
  }
}

type CommonFields = Pick<StepPlan, 'id'> & Partial<Pick<StepPlan, 'title' | 'at' | 'when' | 'timeoutMs'>>;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function safeRecord<T>(value: unknown): Record<string, T> {
  return isRecord(value) ? (value as Record<string, T>) : {};
}

/** The nested step lists of a raw step, by marker. */
function childLists(
  step: Record<string, unknown>,
  marker: StepMarker | undefined,
): Array<{ path: Path; list: unknown }> {
  switch (marker) {
    case 'if':
      return [
        { path: ['then'], list: step['then'] },
        { path: ['else'], list: step['else'] },
      ];
    case 'switch':
      return [
        ...(Array.isArray(step['switch']) ? step['switch'] : []).map((branch, index) => ({
          path: ['switch', index, 'steps'],
          list: isRecord(branch) ? branch['steps'] : undefined,
        })),
        { path: ['default'], list: step['default'] },
      ];
    case 'parallel':
      return Object.entries(safeRecord(step['parallel'])).map(([branch, list]) => ({
        path: ['parallel', branch],
        list,
      }));
    case 'forEach':
      return [{ path: ['steps'], list: step['steps'] }];
    case 'try':
      return [
        { path: ['try'], list: step['try'] },
        { path: ['catch', 'steps'], list: isRecord(step['catch']) ? step['catch']['steps'] : undefined },
        { path: ['finally'], list: step['finally'] },
      ];
    default:
      return [];
  }
}

function offsetOf(expr: string, token: string): number {
  return Math.max(0, expr.indexOf(token));
}

/** Every `${{ expression }}` in a raw value, with its path. */
function findExpressions(value: unknown, path: Path): Array<{ path: Path; expr: string }> {
  if (typeof value === 'string') {
    const expr = expressionSource(value);
    return expr === undefined ? [] : [{ path, expr }];
  }
  if (Array.isArray(value)) return value.flatMap((item, index) => findExpressions(item, [...path, index]));
  if (isRecord(value))
    return Object.entries(value).flatMap(([key, item]) => findExpressions(item, [...path, key]));
  return [];
}

function replaceSecretExpressions(template: TemplatePlan, secretExpressions: Set<string>): TemplatePlan {
  switch (template.t) {
    case 'lit':
      return template;
    case 'expr':
      return secretExpressions.has(template.e.expr)
        ? { t: 'lit', v: { $secret: template.e.expr } }
        : template;
    case 'arr': {
      const items = template.i.map((item) => replaceSecretExpressions(item, secretExpressions));
      return items.every((item) => item.t === 'lit')
        ? { t: 'lit', v: items.map((item) => (item as { v: JsonValue }).v) }
        : { t: 'arr', i: items };
    }
    case 'obj': {
      const fields = Object.fromEntries(
        Object.entries(template.f).map(([key, field]) => [
          key,
          replaceSecretExpressions(field, secretExpressions),
        ]),
      );
      return Object.values(fields).every((field) => field.t === 'lit')
        ? {
            t: 'lit',
            v: Object.fromEntries(
              Object.entries(fields).map(([key, field]) => [key, (field as { v: JsonValue }).v]),
            ),
          }
        : { t: 'obj', f: fields };
    }
  }
}

function inputCelType(type: string): string {
  switch (type) {
    case 'string':
      return 'string';
    case 'integer':
      return 'int';
    case 'boolean':
      return 'bool';
    case 'object':
      return 'map<string, dyn>';
    case 'array':
      return 'list<dyn>';
    default:
      return DYN;
  }
}

/** The CEL type an action input field expects, when it is a simple one (scalars and lists of scalars). */
function shallowType(schema: z.ZodType): string | undefined {
  const def = (
    schema as unknown as { _zod: { def: { type: string; innerType?: z.ZodType; element?: z.ZodType } } }
  )._zod.def;
  switch (def.type) {
    case 'string':
    case 'enum':
      return 'string';
    case 'boolean':
      return 'bool';
    case 'number':
      return (schema as unknown as { isInt?: boolean }).isInt ? 'int' : 'number';
    case 'optional':
    case 'default':
      return def.innerType ? shallowType(def.innerType) : undefined;
    case 'array': {
      const element = def.element ? shallowType(def.element) : undefined;
      return element ? `list<${element}>` : undefined;
    }
    default:
      return undefined;
  }
}

function compatible(expected: string, actual: string): boolean {
  if (actual === DYN || actual.includes('dyn') || actual === 'list' || actual === 'map') return true;
  if (expected === actual) return true;
  if (expected === 'number') return actual === 'int' || actual === 'double';
  const expectedList = /^list<(.+)>$/.exec(expected);
  const actualList = /^list<(.+)>$/.exec(actual);
  if (expectedList && actualList) return compatible(expectedList[1] ?? DYN, actualList[1] ?? DYN);
  // Object types are structural at run time: only scalar mismatches are certain.
  return !['string', 'int', 'double', 'bool', 'number'].includes(actual) && !actual.startsWith('list');
}

function payloadJsonSchema(payload: Record<string, PayloadFieldSource>): JsonValue {
  const properties: Record<string, JsonValue> = {};
  const required: string[] = [];
  for (const [name, field] of Object.entries(payload)) {
    properties[name] = {
      ...(field.type === 'any' ? {} : { type: field.type }),
      ...(field.description ? { description: field.description } : {}),
    };
    if (field.required !== false) required.push(name);
  }
  return { type: 'object', properties, required, additionalProperties: false };
}

function dotted(path: Path): string {
  return path
    .map((key, index) => (typeof key === 'number' ? `[${key}]` : index === 0 ? key : `.${key}`))
    .join('');
}

function compileInput(definition: DefinitionSource): Record<string, InputFieldPlan> {
  return Object.fromEntries(
    Object.entries(definition.input ?? {}).map(([name, field]: [string, InputFieldSource]) => [
      name,
      {
        type: field.type,
        ...(field.description ? { description: field.description } : {}),
        required: field.required ?? field.default === undefined,
        ...(field.default !== undefined ? { default: field.default as InputFieldPlan['default'] } : {}),
      },
    ]),
  );
}

function retryPlan(source: RetryPolicySource, defaults: RetryPolicyPlan): RetryPolicyPlan {
  return {
    maximumAttempts: source.maximumAttempts,
    initialIntervalMs: source.initialInterval ?? defaults.initialIntervalMs,
    backoffCoefficient: source.backoffCoefficient ?? defaults.backoffCoefficient,
    maximumIntervalMs: source.maximumInterval ?? defaults.maximumIntervalMs,
    ...(source.nonRetryableErrors ? { nonRetryableErrorTypes: source.nonRetryableErrors } : {}),
  };
}

/** Scopes of every action, nested ones and embedded sub-orchestrations included. */
function collectScopes(steps: StepPlan[]): string[] {
  return steps.flatMap((step): string[] => {
    switch (step.kind) {
      case 'action':
        return step.activity.scopes;
      case 'if':
        return collectScopes([...step.then, ...step.else]);
      case 'switch':
        return collectScopes([...step.cases.flatMap((branch) => branch.steps), ...step.default]);
      case 'parallel':
        return collectScopes(step.branches.flatMap((branch) => branch.steps));
      case 'forEach':
        return collectScopes(step.steps);
      case 'try':
        return collectScopes([...step.steps, ...(step.catch?.steps ?? []), ...(step.finally ?? [])]);
      case 'run':
        return step.plan.requiredScopes;
      default:
        return [];
    }
  });
}
