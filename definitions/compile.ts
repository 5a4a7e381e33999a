import type { z } from 'zod';
import type { $ZodIssue } from 'zod/v4/core';
import type { ProblemDetail } from '../core/errors';
import { parseSource, type ParsedSource } from '../core/yaml-source';
import { findGongAction, GONG_ACTIONS } from '../gong/catalog';
import { expressionReferences, expressionSyntaxError, looksLikeEmbeddedExpression } from './expressions';
import { canonicalJson, sha256Hex } from './hash';
import {
  DefinitionSchema,
  STEP_SCHEMAS,
  type ActionStepSource,
  type DefinitionSource,
  type RetryPolicySource,
  type SetStepSource,
  type StepMarker,
} from './model';
import {
  PLAN_FORMAT_VERSION,
  type InputFieldPlan,
  type Plan,
  type RetryPolicyPlan,
  type SourceRef,
  type StepPlan,
  type TemplatePlan,
} from './plan';
import { closest, DEFINITION_CODES as CODES } from './problems';
import { compileTemplate, templateExpressions } from './template';

export type CompileResult = { ok: true; plan: Plan; problems: [] } | { ok: false; problems: ProblemDetail[] };

type Path = Array<string | number>;

/** Roots an expression may start from. Loop variables are added by the constructs that bind them. */
const EXPRESSION_ROOTS = new Set(['input', 'steps', 'vars', 'trigger', 'run']);

/** Parses, validates and compiles a definition's text. All problems are reported at once. */
export function compileDefinition(text: string, file: string): CompileResult {
  const source = parseSource(text, file);
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
    };
  }
  return new Compiler(source).compile();
}

class Compiler {
  private readonly problems: ProblemDetail[] = [];
  private readonly declaredStepIds = new Map<string, Path>();

  constructor(private readonly source: ParsedSource) {}

  compile(): CompileResult {
    const raw = this.source.value;
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
      this.report(
        CODES.notAMapping,
        'a definition is a mapping with name, version and steps',
        [],
        'Start from an example in definitions/examples/.',
      );
      return { ok: false, problems: this.problems };
    }
    this.declareSteps((raw as { steps?: unknown }).steps, ['steps']);
    const parsed = DefinitionSchema.safeParse(raw);
    if (!parsed.success) {
      this.reportZodIssues(parsed.error.issues, []);
      // Keep going on the steps, so one run shows every problem.
      const steps = (raw as { steps?: unknown }).steps;
      if (Array.isArray(steps)) this.compileSteps(steps, ['steps'], {});
      return { ok: false, problems: this.problems };
    }
    const definition = parsed.data;
    const retryPolicies = definition.retryPolicies ?? {};
    const steps = this.compileSteps(definition.steps, ['steps'], retryPolicies);
    const output = definition.output === undefined ? undefined : this.template(definition.output, ['output']);
    if (output) this.checkExpressions(output, ['output'], this.declaredStepIds.size);
    if (this.problems.length > 0) return { ok: false, problems: this.problems };

    const body: Omit<Plan, 'hash'> = {
      formatVersion: PLAN_FORMAT_VERSION,
      name: definition.name,
      version: definition.version,
      ...(definition.description ? { description: definition.description } : {}),
      input: compileInput(definition),
      ...(definition.connection ? { connection: definition.connection } : {}),
      triggers: [],
      steps,
      ...(output ? { output } : {}),
      ...(definition.timeout !== undefined ? { timeoutMs: definition.timeout } : {}),
      requiredScopes: [...new Set(collectScopes(steps))].sort(),
    };
    // The file name is not part of the hash: identical source gives an identical hash wherever it lives.
    const plan: Plan = { ...body, hash: sha256Hex(canonicalJson(body)), source: this.source.file };
    return { ok: true, plan, problems: [] };
  }

  private compileSteps(
    rawSteps: unknown[],
    path: Path,
    retryPolicies: Record<string, RetryPolicySource>,
  ): StepPlan[] {
    const plans: StepPlan[] = [];
    rawSteps.forEach((raw, index) => {
      const stepPath = [...path, index];
      const plan = this.compileStep(raw, stepPath, retryPolicies);
      if (plan) plans.push(plan);
    });
    return plans;
  }

  private compileStep(
    raw: unknown,
    path: Path,
    retryPolicies: Record<string, RetryPolicySource>,
  ): StepPlan | undefined {
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
      this.report(
        CODES.invalidValue,
        'a step is a mapping',
        path,
        'Write the step as `- id: ...` with one of: ' + markerList() + '.',
      );
      return undefined;
    }
    const record = raw as Record<string, unknown>;
    const markers = (Object.keys(STEP_SCHEMAS) as StepMarker[]).filter((marker) => marker in record);
    const stepId = typeof record['id'] === 'string' ? record['id'] : undefined;
    if (markers.length !== 1) {
      this.report(
        CODES.unknownStepKind,
        markers.length === 0
          ? `step ${stepId ?? `#${String(path.at(-1))}`} has no kind`
          : `step has several kinds: ${markers.join(', ')}`,
        path,
        `Give the step exactly one of: ${markerList()}.`,
      );
      return undefined;
    }
    const marker = markers[0] as StepMarker;
    const parsed = STEP_SCHEMAS[marker].safeParse(raw);
    if (!parsed.success) {
      this.reportZodIssues(parsed.error.issues, path);
      return undefined;
    }
    const at = this.at(path);
    // Steps declared before this one (in document order) are the ones its expressions may read.
    const earlierSteps = [...this.declaredStepIds.keys()].indexOf(parsed.data.id);
    if (parsed.data.when !== undefined)
      this.checkExpressionString(parsed.data.when, [...path, 'when'], earlierSteps);
    const common = {
      id: parsed.data.id,
      ...(parsed.data.title ? { title: parsed.data.title } : {}),
      ...(at ? { at } : {}),
      ...(parsed.data.when !== undefined ? { when: { expr: stripExpression(parsed.data.when) } } : {}),
      ...(parsed.data.timeout !== undefined ? { timeoutMs: parsed.data.timeout } : {}),
    };
    switch (marker) {
      case 'action':
        return this.compileAction(parsed.data as ActionStepSource, path, common, retryPolicies, earlierSteps);
      case 'set': {
        const step = parsed.data as SetStepSource;
        const vars = Object.fromEntries(
          Object.entries(step.set).map(([name, value]) => {
            const template = this.template(value, [...path, 'set', name]);
            this.checkExpressions(template, [...path, 'set', name], earlierSteps);
            return [name, template];
          }),
        );
        return { ...common, kind: 'set', vars };
      }
    }
  }

  private compileAction(
    step: ActionStepSource,
    path: Path,
    common: Pick<StepPlan, 'id'> & Partial<StepPlan>,
    retryPolicies: Record<string, RetryPolicySource>,
    earlierSteps: number,
  ): StepPlan | undefined {
    const action = findGongAction(step.action);
    const input = this.template(step.with ?? {}, [...path, 'with']);
    this.checkExpressions(input, [...path, 'with'], earlierSteps);
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
    this.checkActionInput(action.input, step.with ?? {}, [...path, 'with'], action.name);
    let retry: RetryPolicyPlan = { ...action.retry };
    if (typeof step.retry === 'string') {
      const named = retryPolicies[step.retry];
      if (!named) {
        const suggestion = closest(step.retry, Object.keys(retryPolicies));
        this.report(
          CODES.unknownRetryPolicy,
          `no retry policy named "${step.retry}"`,
          [...path, 'retry'],
          suggestion
            ? `Did you mean "${suggestion}"?`
            : 'Declare it under retryPolicies, or write the policy inline.',
        );
      } else retry = retryPlan(named, action.retry);
    } else if (step.retry) {
      retry = retryPlan(step.retry, action.retry);
    }
    return {
      ...common,
      kind: 'action',
      action: action.name,
      input,
      activity: { startToCloseTimeoutMs: action.timeoutMs, retry, scopes: [...action.scopes] },
    };
  }

  /** Literal parts of an action's input are checked against the catalog schema now, not at run time. */
  private checkActionInput(
    schema: z.ZodType,
    value: Record<string, unknown>,
    path: Path,
    actionName: string,
  ): void {
    const shape = (schema as unknown as { shape?: Record<string, z.ZodType> }).shape;
    if (!shape) return;
    for (const [key, fieldValue] of Object.entries(value)) {
      const field = shape[key];
      if (!field) {
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
        continue;
      }
      if (this.template(fieldValue, [...path, key]).t !== 'lit') continue;
      const result = field.safeParse(fieldValue);
      if (!result.success) {
        this.report(
          CODES.actionInput,
          `${actionName} input "${key}": ${result.error.issues[0]?.message ?? 'invalid'}`,
          [...path, key],
          'See the action in docs/actions.md.',
        );
      }
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
  }

  private template(value: unknown, path: Path): TemplatePlan {
    this.checkEmbedded(value, path);
    return compileTemplate(value, (subPath) => this.at([...path, ...subPath]));
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
    } else if (value !== null && typeof value === 'object') {
      for (const [key, item] of Object.entries(value)) this.checkEmbedded(item, [...path, key]);
    }
  }

  private checkExpressions(template: TemplatePlan, path: Path, earlierSteps: number): void {
    for (const expression of templateExpressions(template))
      this.checkExpression(expression.expr, path, earlierSteps, expression.at);
  }

  private checkExpressionString(value: string, path: Path, earlierSteps: number): void {
    this.checkExpression(stripExpression(value), path, earlierSteps);
  }

  private checkExpression(expr: string, path: Path, earlierSteps: number, at?: SourceRef): void {
    const where = at ?? this.at(path);
    const syntax = expressionSyntaxError(expr);
    if (syntax) {
      this.problems.push({
        code: CODES.expressionSyntax,
        message: `expression does not parse: ${syntax.split('\n')[0]}`,
        path: dotted(path),
        hint: 'CEL syntax: https://github.com/google/cel-spec/blob/master/doc/langdef.md',
        ...where,
        file: this.source.file,
      });
      return;
    }
    const references = expressionReferences(expr);
    for (const root of references.roots) {
      if (!EXPRESSION_ROOTS.has(root)) {
        this.problems.push({
          code: CODES.unknownReference,
          message: `unknown name "${root}" in expression`,
          path: dotted(path),
          hint: `Expressions start from ${[...EXPRESSION_ROOTS].join(', ')}.`,
          ...where,
          file: this.source.file,
        });
      }
    }
    const stepIds = [...this.declaredStepIds.keys()];
    for (const referenced of references.steps) {
      const index = stepIds.indexOf(referenced);
      if (index === -1) {
        const suggestion = closest(referenced, stepIds);
        this.problems.push({
          code: CODES.unknownStepReference,
          message: `no step "${referenced}"`,
          path: dotted(path),
          hint: suggestion
            ? `Did you mean steps.${suggestion}?`
            : 'Reference a step declared before this one.',
          ...where,
          file: this.source.file,
        });
      } else if (index >= earlierSteps) {
        this.problems.push({
          code: CODES.laterStepReference,
          message: `step "${referenced}" has not run yet here`,
          path: dotted(path),
          hint: 'A step can only read steps that come before it.',
          ...where,
          file: this.source.file,
        });
      }
    }
  }

  /** First pass: every step id in document order, so a reference to a later step is named as such. */
  private declareSteps(steps: unknown, path: Path): void {
    if (!Array.isArray(steps)) return;
    steps.forEach((step, index) => {
      if (typeof step !== 'object' || step === null) return;
      const id = (step as { id?: unknown }).id;
      if (typeof id === 'string') this.declareStep(id, [...path, index]);
    });
  }

  private declareStep(id: string, path: Path): void {
    const previous = this.declaredStepIds.get(id);
    if (previous) {
      const first = this.at(previous);
      this.report(
        CODES.duplicateStepId,
        `step id "${id}" is already used${first ? ` at line ${first.line}` : ''}`,
        [...path, 'id'],
        'Give every step a unique id.',
      );
      return;
    }
    this.declaredStepIds.set(id, path);
  }

  private reportZodIssues(issues: $ZodIssue[], base: Path): void {
    for (const issue of issues) {
      const path = [...base, ...issue.path.map((key) => (typeof key === 'symbol' ? String(key) : key))];
      if (issue.code === 'unrecognized_keys') {
        for (const key of issue.keys)
          this.report(
            CODES.unknownKey,
            `unknown key "${key}"`,
            [...path, key],
            'Remove it, or check its spelling against the schema (definitions/schema/definition.schema.json).',
            true,
          );
      } else if (issue.code === 'invalid_type' && issue.input === undefined) {
        this.report(
          CODES.missingKey,
          `missing "${String(path.at(-1))}"`,
          path.slice(0, -1),
          `Add "${String(path.at(-1))}".`,
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

  private at(path: Path): SourceRef | undefined {
    const location = this.source.locate(path);
    return location.line !== undefined && location.column !== undefined
      ? { line: location.line, column: location.column }
      : undefined;
  }
}

function stripExpression(value: string): string {
  const match = /^\s*\$\{\{([\s\S]*)\}\}\s*$/.exec(value);
  return match ? (match[1] ?? '').trim() : value;
}

function dotted(path: Path): string {
  return path
    .map((key, index) => (typeof key === 'number' ? `[${key}]` : index === 0 ? key : `.${key}`))
    .join('');
}

function markerList(): string {
  return Object.keys(STEP_SCHEMAS).join(', ');
}

function compileInput(definition: DefinitionSource): Record<string, InputFieldPlan> {
  return Object.fromEntries(
    Object.entries(definition.input ?? {}).map(([name, field]) => [
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

function collectScopes(steps: StepPlan[]): string[] {
  return steps.flatMap((step) => (step.kind === 'action' ? step.activity.scopes : []));
}
