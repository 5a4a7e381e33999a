/**
 * What one expression may cost. CEL always terminates, but "terminates" can still mean an hour: nested
 * comprehensions multiply (`l.map(a, l.map(b, l.map(c, ...)))`), and strings or lists can double at every
 * step. Inside a workflow task that is a task that times out and retries forever, so every evaluation is
 * metered and stops with an ExpressionError when it goes over. Documented in docs/language.md
 * ("Limits"); the numbers are part of the language: changing one changes which expressions fail.
 *
 * Costs are counted per node cel-js evaluates and per instruction re2js compiles, so they replay the same
 * only with the same versions of both (the lockfile pins them): upgrading either, or changing a number
 * here, changes what running workflows compute and needs a new patch (workflows/interpreter/patches.ts).
 */
export const EXPRESSION_LIMITS = {
  /**
   * Nesting levels of the syntax tree (`a + b + c` is two levels: chained operators nest). The evaluator,
   * the type checker and the validator recurse once per level; the bound keeps every one of them far from
   * the stack limit. Same as the parser's own bound on parentheses, lists and calls.
   */
  maxDepth: 250,
  /** Syntax nodes of one expression (a literal, a name, an operator, a call: one each). */
  maxNodes: 10_000,
  /**
   * Cost units one evaluation may spend (the unit is about 0.1 us of work; 1,000,000 is also the per-call
   * budget Kubernetes gives CEL validation rules): 1 per evaluated node (a comprehension's body counts
   * once per element), 10 per function call, plus what operators and functions read and produce (a list
   * or map 1 per element, a string 1 per 16 characters; `==`, `!=` and `in` count nested values too), plus
   * what the result holds beyond the data the expression read. A regex costs its compilation once per
   * evaluation and its input length times its program size over 64 per match. Worst cases measured on
   * the development machine stay within 0.1-0.3 s.
   */
  maxCost: 1_000_000,
  /**
   * The budget of evaluations over results kept in the blob store (run in the evaluateWithBlobs activity,
   * not in a workflow task, and only ever for large data).
   */
  maxCostOverStoredResults: 10_000_000,
  /** Characters of a string an operation produces (`+`, `join`, `replace`...). */
  maxStringLength: 1_000_000,
} as const;

/** What a function call costs besides its arguments and result (dispatch on runtime types, parsing). */
export const CALL_COST = 10;

/** Characters of a string that count as one cost unit (scanning a string is far cheaper than a node). */
export const CHARS_PER_UNIT = 16;

/** Regex work ("character x instruction" steps) that counts as one cost unit. */
export const REGEX_WORK_PER_UNIT = 64;

/** Cost units per weighted instruction of compiling a regex (see regexCompileWork). */
export const REGEX_COMPILE_UNITS = 15;
