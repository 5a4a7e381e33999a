import { Environment, ParseError } from '@marcbachmann/cel-js';

/**
 * CEL expressions: they always terminate, are checked before running, and evaluate on values, never by
 * pasting text. This module is pure and bundles into Temporal's workflow sandbox.
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

const environment = registerGongflowFunctions(
  new Environment({ unlistedVariablesAreDyn: true, homogeneousAggregateLiterals: false }),
);

export class ExpressionEvaluationError extends Error {
  constructor(
    readonly expression: string,
    message: string,
  ) {
    super(message);
    this.name = 'ExpressionEvaluationError';
  }
}

/** Syntax check; returns the parser's message, or undefined when the expression parses. */
export function expressionSyntaxError(source: string): string | undefined {
  try {
    environment.parse(source);
    return undefined;
  } catch (error) {
    return error instanceof ParseError || error instanceof Error ? error.message : String(error);
  }
}

/**
 * Parsed programs by source. A run evaluates the same few expressions over and over (every step input,
 * every loop item): parsing once per source instead of per evaluation is most of an evaluation's cost.
 * Parsing is pure, so one cache can serve every workflow of a worker; bounded so odd plans cannot grow it.
 */
const parsedPrograms = new Map<string, ReturnType<typeof environment.parse>>();
const PARSED_PROGRAMS_MAX = 2_000;

function parsedProgram(source: string): ReturnType<typeof environment.parse> {
  let program = parsedPrograms.get(source);
  if (program === undefined) {
    program = environment.parse(source);
    if (parsedPrograms.size >= PARSED_PROGRAMS_MAX) parsedPrograms.clear();
    parsedPrograms.set(source, program);
  }
  return program;
}

export function evaluateExpression(source: string, context: Record<string, unknown>): unknown {
  try {
    return toPlainValue(parsedProgram(source)(toCelValue(context) as Record<string, unknown>));
  } catch (error) {
    throw new ExpressionEvaluationError(source, error instanceof Error ? error.message : String(error));
  }
}

/** CEL result -> JSON-compatible value. */
export function toPlainValue(value: unknown): unknown {
  if (typeof value === 'bigint') {
    return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER)
      ? Number(value)
      : value.toString();
  }
  if (Array.isArray(value)) return value.map(toPlainValue);
  if (value instanceof Map)
    return Object.fromEntries([...value.entries()].map(([key, item]) => [String(key), toPlainValue(item)]));
  if (value instanceof Uint8Array) return Array.from(value);
  if (value instanceof Date) return value.toISOString();
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, toPlainValue(item)]));
  }
  return value;
}

/** JSON value -> CEL value: integral numbers become CEL ints so `size(x) > 2` and `n + 1` behave. */
export function toCelValue(value: unknown): unknown {
  if (typeof value === 'number' && Number.isInteger(value)) return BigInt(value);
  if (Array.isArray(value)) return value.map(toCelValue);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, toCelValue(item)]));
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
  const ast = (environment.parse(source) as unknown as { ast: AstNode }).ast;
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
