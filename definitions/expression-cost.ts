import { CALL_COST, CHARS_PER_UNIT, EXPRESSION_LIMITS } from './expression-limits';

/**
 * The cost meter of one evaluation (limits in expression-limits.ts). cel-js has no cost hook, but every
 * node it evaluates below the root goes through its evaluator's `run(node, context)`, so wrapping that one
 * method meters everything: nodes, comprehension iterations (each runs its body through `run`) and the
 * values operators and functions consume and produce. Pure: runs in the workflow sandbox.
 */

/** An evaluation went over a limit. Deterministic: the same expression on the same data always does. */
export class ExpressionLimitError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ExpressionLimitError';
  }
}

/** The cel-js node shape the meter reads (public in cel-js's types: op, args; `meta` marks macros). */
interface MeteredNode {
  op: string;
  meta?: { macro?: unknown; alternate?: unknown };
}

/** Operators that consume their operands (compute, concatenate, compare): they cost what they read. */
const CONSUMING_OPERATORS = new Set(['+', '-', '*', '/', '%', '<', '<=', '>', '>=', '!_', '-_']);

/** How a consuming node pays for its operands. */
const enum Operands {
  /** Not a consuming node: its operands are paid for by their own nodes only. */
  None,
  /** Top-level sizes: what concatenating, scanning or converting walks. */
  Shallow,
  /** `==` and `!=` compare nested values all the way down. */
  Deep,
  /** `x in list` compares x with each element: min(whole list, its length x the size of x). */
  Membership,
}

/**
 * How a node pays for its operands: operators and function calls pay for what they read. Macros (`map`,
 * `filter`, `exists`, `has`, `cel.bind`) are calls in the syntax but comprehensions underneath: their
 * iterations are metered node by node instead.
 */
function operandsOf(node: MeteredNode): Operands {
  const op = node.op;
  if (op === '==' || op === '!=') return Operands.Deep;
  if (op === 'in') return Operands.Membership;
  if (CONSUMING_OPERATORS.has(op)) return Operands.Shallow;
  if (op !== 'call' && op !== 'rcall') return Operands.None;
  const meta = node.meta;
  return meta?.macro === undefined && meta?.alternate === undefined ? Operands.Shallow : Operands.None;
}

/** Function calls dispatch on runtime types and parse or convert their arguments: worth more than a node. */
function baseCost(node: MeteredNode): number {
  return node.op === 'call' || node.op === 'rcall' ? CALL_COST : 1;
}

/*
 * Built-ins the hot path uses, read once: inside Temporal's workflow sandbox every global lookup goes
 * through the sandbox's global object, which made metering several times slower than the evaluation.
 */
const isArray = Array.isArray;
const getPrototypeOf = Object.getPrototypeOf;
const objectPrototype = Object.prototype;
const MapType = Map;
const BytesType = Uint8Array;
const ceil = Math.ceil;
const min = Math.min;

/**
 * The size of a value in cost units, counted up to `cap` (then anything above it): 1 per scalar, list
 * element and map entry (nested ones included), a string 1 per CHARS_PER_UNIT characters. Iterative, so
 * deeply nested data cannot overflow the stack.
 */
export function sizeUnits(value: unknown, cap: number): number {
  if (typeof value !== 'object' || value === null) return shallowUnits(value, cap);
  let total = 0;
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    if (total > cap) return total;
    const item = pending.pop();
    if (typeof item !== 'object' || item === null || item instanceof BytesType) {
      total += shallowUnits(item, cap);
    } else if (isArray(item)) {
      total += 1;
      if (item.length > cap - total) return total + item.length;
      for (const element of item) pending.push(element);
    } else if (item instanceof MapType) {
      total += 1;
      if (item.size > cap - total) return total + item.size;
      for (const [key, entry] of item) pending.push(key, entry);
    } else if (isPlainObject(item)) {
      total += 1;
      for (const key in item) pending.push(item[key]);
    } else {
      total += 1;
    }
  }
  return total;
}

/** The size of a value's top level: a string's characters, a list's elements, a map's entries. */
export function shallowUnits(value: unknown, cap: number): number {
  if (typeof value === 'string') return stringUnits(value.length);
  if (typeof value !== 'object' || value === null) return 1;
  if (isArray(value)) return 1 + value.length;
  if (value instanceof MapType) return 1 + value.size;
  if (value instanceof BytesType) return stringUnits(value.length);
  if (isPlainObject(value)) {
    let entries = 1;
    for (const _key in value) if (++entries > cap) break;
    return entries;
  }
  return 1;
}

function stringUnits(length: number): number {
  return length <= CHARS_PER_UNIT ? 1 : ceil(length / CHARS_PER_UNIT);
}

function isPlainObject(value: object): value is Record<string, unknown> {
  const prototype: unknown = getPrototypeOf(value);
  return prototype === objectPrototype || prototype === null;
}

export class CostMeter {
  /** Units spent so far. */
  spent = 0;
  /** Set once a limit is passed: later nodes stop at once, and a result that swallowed the error is refused. */
  exceeded: ExpressionLimitError | undefined;
  /** How the node being evaluated pays for its operands, and how many it has evaluated so far. */
  operands: Operands = Operands.None;
  operandCount = 0;
  /** For `in`: the size of the left operand. */
  memberUnits = 0;
  /** Work paid once per evaluation (compiling a regex), by key. */
  private readonly paidOnce = new Set<string>();

  constructor(readonly limit: number = EXPRESSION_LIMITS.maxCost) {}

  spend(units: number): void {
    this.spent += units;
    if (this.spent > this.limit) {
      this.fail(
        `expression is too expensive: it went over its budget of ${this.limit.toLocaleString('en-US')} cost units`,
      );
    }
  }

  /** Pays for work an evaluation does once whatever the cache holds (so the cost is deterministic). */
  spendOnce(key: string, units: () => number): void {
    if (this.paidOnce.has(key)) return;
    this.paidOnce.add(key);
    this.spend(units());
  }

  remaining(): number {
    return this.limit - this.spent;
  }

  /** Pays for an operand as soon as it is evaluated, so an operator never runs on operands over budget. */
  operand(value: unknown): void {
    const index = this.operandCount++;
    switch (this.operands) {
      case Operands.Shallow:
        this.spend(shallowUnits(value, this.remaining()));
        return;
      case Operands.Deep:
        this.spend(sizeUnits(value, this.remaining()));
        return;
      case Operands.Membership:
        if (index === 0) {
          this.memberUnits = sizeUnits(value, this.remaining());
          this.spend(this.memberUnits);
        } else {
          const scan = shallowUnits(value, this.remaining()) * this.memberUnits;
          this.spend(min(scan, sizeUnits(value, min(scan, this.remaining()))));
        }
        return;
      case Operands.None:
        return;
    }
  }

  /** What an operator or function produced: strings are capped, every result is paid for by its size. */
  produced(result: unknown): void {
    if (typeof result === 'string' && result.length > EXPRESSION_LIMITS.maxStringLength) {
      this.fail(
        `expression builds a string of ${result.length.toLocaleString('en-US')} characters (the limit is ${EXPRESSION_LIMITS.maxStringLength.toLocaleString('en-US')})`,
      );
    }
    this.spend(shallowUnits(result, this.remaining()));
  }

  /**
   * The result is converted to JSON, which walks all of it. What it holds beyond the data the expression
   * read must fit in the budget left (a list of a thousand references to one large value is a thousand
   * large values). `readUnits` is asked only for results that do not fit as they are.
   */
  result(value: unknown, readUnits: () => number): void {
    if (sizeUnits(value, this.remaining()) <= this.remaining()) return;
    const read = readUnits();
    const units = sizeUnits(value, read + this.remaining());
    if (units > read) this.spend(units - read);
  }

  fail(message: string): never {
    this.exceeded ??= new ExpressionLimitError(message);
    throw this.exceeded;
  }
}

/** The meter of the evaluation running now (evaluation is synchronous, so there is at most one). */
let activeMeter: CostMeter | undefined;

/** The meter of the running evaluation, for functions whose work goes beyond their arguments (regexes). */
export function currentMeter(): CostMeter | undefined {
  return activeMeter;
}

type RunNode = (node: MeteredNode, context: unknown) => unknown;

/**
 * Evaluates one node under a meter: the node's own cost, then the node (whose operands pay for themselves
 * as they return), then what it produced. `evaluate(a, b)` runs the node (no closure per node: this is the
 * evaluator's hot path).
 */
function metered<A, B>(
  meter: CostMeter,
  node: MeteredNode,
  evaluate: (a: A, b: B) => unknown,
  a: A,
  b: B,
): unknown {
  if (meter.exceeded) throw meter.exceeded;
  meter.spend(baseCost(node));
  const operands = operandsOf(node);
  const parentOperands = meter.operands;
  const parentCount = meter.operandCount;
  const parentMember = meter.memberUnits;
  meter.operands = operands;
  meter.operandCount = 0;
  let result: unknown;
  try {
    result = evaluate(a, b);
  } finally {
    meter.operands = parentOperands;
    meter.operandCount = parentCount;
    meter.memberUnits = parentMember;
  }
  if (operands !== Operands.None) meter.produced(result);
  if (parentOperands !== Operands.None) meter.operand(result);
  return result;
}

/**
 * Runs a whole program under a meter. cel-js evaluates the root node itself, not through `run`: it is
 * metered here like any other node.
 */
export function meterProgram(
  meter: CostMeter,
  root: unknown,
  program: (context: Record<string, unknown>) => unknown,
  context: Record<string, unknown>,
): unknown {
  const outer = activeMeter;
  activeMeter = meter;
  try {
    const result = metered(meter, root as MeteredNode, program, context, undefined);
    // A limit passed inside `a || b` or `exists()` is swallowed by CEL's error semantics: still a failure.
    if (meter.exceeded) throw meter.exceeded;
    return result;
  } finally {
    activeMeter = outer;
  }
}

/** Wraps a cel-js evaluator's `run` so that, while a meter is active, every node is paid for. */
export function meterEvaluator(evaluator: { run: RunNode }): void {
  const run = evaluator.run.bind(evaluator);
  evaluator.run = (node, context) => {
    const meter = activeMeter;
    return meter === undefined ? run(node, context) : metered(meter, node, run, node, context);
  };
}
