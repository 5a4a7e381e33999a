import { Environment, ParseError } from '@marcbachmann/cel-js';
import {
  CostMeter,
  ExpressionLimitError,
  meterEvaluator,
  meterProgram,
  currentMeter,
  sizeUnits,
} from './expression-cost';
import { REGEX_COMPILE_UNITS, REGEX_WORK_PER_UNIT } from './expression-limits';
import { structureProblem, type StructureProblem } from './expression-structure';
import { compileRegex, regexCompileWork, regexMatches, regexWork } from './regex';

/**
 * CEL expressions: they always terminate, are checked before running, and evaluate on values, never by
 * pasting text. This module is pure and bundles into Temporal's workflow sandbox.
 *
 * Every evaluation is bounded (expression-limits.ts): its shape (depth, size), its cost (metered node by
 * node, expression-cost.ts) and its regexes (RE2 semantics: linear time, regex.ts).
 *
 * CEL integers come back as BigInt; `toPlainValue` converts results to JSON at the edge (unsafe integers
 * become digit strings, which is how gongflow carries Gong's 64-bit IDs everywhere).
 */
const EXPRESSION = /^\s*\$\{\{([\s\S]*)\}\}\s*$/;

/** `${{ input.x }}` -> `input.x`; undefined when the string is a plain literal. */
export function expressionSource(value: string): string | undefined {
  const match = EXPRESSION.exec(value);
  return match ? (match[1] ?? '').trim() : undefined;
}

/** True when a string holds `${{` without being exactly one expression (text templating is not supported). */
export function looksLikeEmbeddedExpression(value: string): boolean {
  return value.includes('${{') && expressionSource(value) === undefined;
}

/**
 * Functions gongflow adds to CEL, registered in the run-time environment and in the validator's typed one.
 * Pure and deterministic (UTC), so they run in the workflow sandbox. Gong filters want `YYYY-MM-DD` dates and
 * second-precision date-times, which standard CEL cannot format.
 */
export function registerGongflowFunctions(target: Environment): Environment {
  return target
    .registerFunction(
      'isoDate(google.protobuf.Timestamp): string',
      (time: Date) => time.toISOString().slice(0, 10),
      {
        description: 'The UTC calendar date YYYY-MM-DD of a timestamp.',
      },
    )
    .registerFunction(
      'isoDateTime(google.protobuf.Timestamp): string',
      (time: Date) => `${time.toISOString().slice(0, 19)}Z`,
      { description: 'The UTC date-time YYYY-MM-DDTHH:MM:SSZ of a timestamp.' },
    );
}

/**
 * cel-js's own `matches` uses JavaScript's backtracking RegExp and cannot be replaced (built-in overloads
 * are fixed), so parsed programs call this one instead: `matches` calls are renamed right after parsing.
 */
const RE2_MATCHES = 'gongflowMatches';

/** Runs recorded before the limits existed replay with what they ran with: JavaScript's RegExp, no meter. */
let legacyEvaluation = false;

function matches(input: string, pattern: string): boolean {
  if (legacyEvaluation) {
    let regex: RegExp;
    try {
      regex = new RegExp(pattern);
    } catch {
      throw new Error(`Invalid regular expression: ${pattern}`);
    }
    return regex.test(input);
  }
  const meter = currentMeter();
  // Compiling is paid before it happens, from the pattern's text: a huge pattern never gets compiled.
  meter?.spendOnce(`regex:${pattern}`, () => regexCompileWork(pattern) * REGEX_COMPILE_UNITS);
  const regex = compileRegex(pattern);
  meter?.spend(Math.ceil(regexWork(regex, input) / REGEX_WORK_PER_UNIT));
  return regexMatches(regex, input);
}

/** The evaluator cel-js runs programs with, handed over by the probe below. */
let evaluator: { run: Parameters<typeof meterEvaluator>[0]['run'] } | undefined;

const environment = registerGongflowFunctions(
  new Environment({ unlistedVariablesAreDyn: true, homogeneousAggregateLiterals: false }),
)
  .registerFunction(`string.${RE2_MATCHES}(string): bool`, matches)
  .registerFunction('gongflowEvaluatorProbe(): bool', function (this: typeof evaluator) {
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- cel-js hands its evaluator over as `this`
    evaluator ??= this;
    return true;
  });

/**
 * The meter needs cel-js's evaluator, which only function handlers see (as `this`): the probe, evaluated
 * once here, hands it over. Deterministic: module initialisation is the same in every worker. Calling the
 * probe from an expression does nothing (the validator does not know it).
 */
environment.evaluate('gongflowEvaluatorProbe()');
if (evaluator === undefined) throw new Error('cel-js evaluator not found: expressions cannot be metered');
meterEvaluator(evaluator);

export class ExpressionEvaluationError extends Error {
  constructor(
    readonly expression: string,
    message: string,
  ) {
    super(message);
    this.name = 'ExpressionEvaluationError';
  }
}

/** Why an expression cannot run: it does not parse, or it is too deep or too large (expression-limits.ts). */
export interface ExpressionParseProblem {
  kind: 'syntax' | 'tooComplex';
  message: string;
  /** Offset in the expression, when known. */
  offset?: number;
}

/** Syntax and shape check; undefined when the expression parses within the limits. */
export function expressionParseProblem(source: string): ExpressionParseProblem | undefined {
  let parsed: ParsedExpression;
  try {
    parsed = parseExpression(source);
  } catch (error) {
    if (error instanceof RangeError) return { kind: 'tooComplex', message: tooComplexMessage() };
    // The parser's own bounds (nested parentheses, lists, calls, list and map sizes) are limits too.
    if (error instanceof ParseError && (error as ParseError & { code?: string }).code === 'limit_exceeded') {
      return {
        kind: 'tooComplex',
        message: `expression is too large: ${error.message.split('\n')[0] ?? ''}`,
      };
    }
    const start = (error as { range?: { start?: unknown } } | undefined)?.range?.start;
    return {
      kind: 'syntax',
      message: error instanceof ParseError || error instanceof Error ? error.message : String(error),
      ...(typeof start === 'number' ? { offset: start } : {}),
    };
  }
  return parsed.structure ? { kind: 'tooComplex', ...parsed.structure } : undefined;
}

function tooComplexMessage(): string {
  return 'expression is too deeply nested to parse';
}

/**
 * The syntax tree of an expression as it runs (the validator's checks walk it). Throws when the
 * expression does not parse or passes a shape limit.
 */
export function expressionAst(source: string): unknown {
  const parsed = parseExpression(source);
  if (parsed.structure) throw new ExpressionLimitError(parsed.structure.message);
  return parsed.program.ast;
}

/** True for a call of CEL's `matches` (renamed in parsed programs, see RE2_MATCHES). */
export function isMatchesCall(name: unknown): boolean {
  return name === 'matches' || name === RE2_MATCHES;
}

type Program = ReturnType<typeof environment.parse>;

interface ParsedExpression {
  program: Program;
  /** Set when the expression passes a shape limit: it is refused (except when replaying older runs). */
  structure: StructureProblem | undefined;
}

/**
 * Parsed programs by source. A run evaluates the same few expressions over and over (every step input,
 * every loop item): parsing once per source instead of per evaluation is most of an evaluation's cost.
 * Parsing is pure, so one cache can serve every workflow of a worker; bounded so odd plans cannot grow it.
 */
const parsedPrograms = new Map<string, ParsedExpression>();
const PARSED_PROGRAMS_MAX = 2_000;

function parseExpression(source: string): ParsedExpression {
  let parsed = parsedPrograms.get(source);
  if (parsed === undefined) {
    const program = environment.parse(source);
    const structure = structureProblem(program.ast);
    if (structure === undefined) useRe2Matches(program.ast);
    parsed = { program, structure };
    if (parsedPrograms.size >= PARSED_PROGRAMS_MAX) parsedPrograms.clear();
    parsedPrograms.set(source, parsed);
  }
  return parsed;
}

function useRe2Matches(node: unknown): void {
  const pending: unknown[] = [node];
  while (pending.length > 0) {
    const item = pending.pop();
    if (Array.isArray(item)) {
      pending.push(...(item as unknown[]));
    } else if (isAstNode(item)) {
      if (item.op === 'rcall' && Array.isArray(item.args) && item.args[0] === 'matches')
        item.args[0] = RE2_MATCHES;
      pending.push(item.args);
    }
  }
}

export interface EvaluationOptions {
  /** Evaluate as before the limits existed (replaying runs recorded then): JavaScript RegExp, no bounds. */
  legacy?: boolean;
  /** The evaluation's budget in cost units (default EXPRESSION_LIMITS.maxCost). */
  maxCost?: number;
  /** Told what the evaluation spent, also when it failed (the interpreter paces workflow tasks with it). */
  onCost?: (units: number) => void;
}

export function evaluateExpression(
  source: string,
  context: Record<string, unknown>,
  options: EvaluationOptions = {},
): unknown {
  const legacy = options.legacy === true;
  const outerLegacy = legacyEvaluation;
  legacyEvaluation = legacy;
  const meter = legacy ? undefined : new CostMeter(options.maxCost);
  const converted = { units: 0 };
  try {
    const parsed = parseExpression(source);
    if (meter === undefined)
      return toPlainValue(parsed.program(toCelValue(context) as Record<string, unknown>));
    if (parsed.structure) throw new ExpressionLimitError(parsed.structure.message);
    const celContext = toCelValue(context, converted) as Record<string, unknown>;
    const result = meterProgram(meter, parsed.program.ast, parsed.program, celContext);
    // Converting the result to JSON walks all of it: what it holds beyond the data read is paid for too.
    meter.result(result, () => sizeUnits(celContext, Number.MAX_SAFE_INTEGER));
    return toPlainValue(result, converted);
  } catch (error) {
    throw new ExpressionEvaluationError(source, evaluationMessage(error));
  } finally {
    legacyEvaluation = outerLegacy;
    // Converting the context and the result is work the workflow task does too, though not the
    // expression's to pay for: it counts for pacing tasks, not against the budget.
    if (meter) options.onCost?.(meter.spent + converted.units);
  }
}

/** The first line of an evaluation error, naming `matches` as the author wrote it. */
function evaluationMessage(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split(RE2_MATCHES).join('matches');
}

/** CEL result -> JSON-compatible value. `converted` counts the values converted. */
export function toPlainValue(value: unknown, converted?: { units: number }): unknown {
  if (converted) converted.units += 1;
  if (typeof value === 'bigint') {
    return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER)
      ? Number(value)
      : value.toString();
  }
  const plain = (item: unknown): unknown => toPlainValue(item, converted);
  if (Array.isArray(value)) return value.map(plain);
  if (value instanceof Map)
    return Object.fromEntries([...value.entries()].map(([key, item]) => [String(key), plain(item)]));
  if (value instanceof Uint8Array) return Array.from(value);
  if (value instanceof Date) return value.toISOString();
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, plain(item)]));
  }
  return value;
}

/**
 * JSON value -> CEL value: integral numbers become CEL ints so `size(x) > 2` and `n + 1` behave.
 * `converted` counts the values converted.
 */
export function toCelValue(value: unknown, converted?: { units: number }): unknown {
  if (converted) converted.units += 1;
  if (typeof value === 'number' && Number.isInteger(value)) return BigInt(value);
  if (Array.isArray(value)) return value.map((item) => toCelValue(item, converted));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, toCelValue(item, converted)]));
  }
  return value;
}

interface AstNode {
  op: string;
  args: unknown;
}

const BINDING_MACROS = new Set(['all', 'exists', 'exists_one', 'map', 'filter']);

export interface ExpressionReferences {
  /** Free top-level names (input, steps, vars, ...). */
  roots: Set<string>;
  /** Step ids read through `steps.<id>` or `steps["id"]`. */
  steps: Set<string>;
  /** Variables read through `vars.<name>`. */
  vars: Set<string>;
  /** Secrets read through `secrets.<name>`. */
  secrets: Set<string>;
  /** Inputs read through `input.<name>`. */
  input: Set<string>;
}

const MEMBER_ROOTS = { steps: 'steps', vars: 'vars', secrets: 'secrets', input: 'input' } as const;

/** Names an expression reads, from its syntax tree (macro variables like `u` in `filter(u, ...)` are bound). */
export function expressionReferences(source: string): ExpressionReferences {
  const references: ExpressionReferences = {
    roots: new Set(),
    steps: new Set(),
    vars: new Set(),
    secrets: new Set(),
    input: new Set(),
  };
  const parsed = parseExpression(source);
  if (parsed.structure) throw new ExpressionLimitError(parsed.structure.message);
  const ast = (parsed.program as unknown as { ast: AstNode }).ast;
  visit(ast, new Set());
  return references;

  function visit(node: unknown, bound: Set<string>): void {
    if (Array.isArray(node)) {
      for (const item of node) visit(item, bound);
      return;
    }
    if (!isAstNode(node)) return;
    const args = node.args;
    if (node.op === 'id' && typeof args === 'string') {
      if (!bound.has(args)) references.roots.add(args);
      return;
    }
    if ((node.op === '.' || node.op === '[]') && Array.isArray(args)) {
      const [target, key] = args as [unknown, unknown];
      const root =
        isAstNode(target) &&
        target.op === 'id' &&
        typeof target.args === 'string' &&
        Object.hasOwn(MEMBER_ROOTS, target.args) &&
        !bound.has(target.args)
          ? MEMBER_ROOTS[target.args as keyof typeof MEMBER_ROOTS]
          : undefined;
      if (root !== undefined) {
        const member =
          typeof key === 'string'
            ? key
            : isAstNode(key) && key.op === 'value' && typeof key.args === 'string'
              ? key.args
              : undefined;
        if (member !== undefined) references[root].add(member);
      }
    }
    if (node.op === 'rcall' && Array.isArray(args)) {
      const [name, receiver, callArgs] = args as [unknown, unknown, unknown];
      visit(receiver, bound);
      if (typeof name === 'string' && BINDING_MACROS.has(name) && Array.isArray(callArgs)) {
        const [variable, ...rest] = callArgs as unknown[];
        const inner = new Set(bound);
        if (isAstNode(variable) && variable.op === 'id' && typeof variable.args === 'string')
          inner.add(variable.args);
        visit(rest, inner);
        return;
      }
      visit(callArgs, bound);
      return;
    }
    if (node.op === 'call' && Array.isArray(args)) {
      visit(args.slice(1), bound);
      return;
    }
    visit(args, bound);
  }
}

function isAstNode(value: unknown): value is AstNode {
  return typeof value === 'object' && value !== null && 'op' in value && 'args' in value;
}
