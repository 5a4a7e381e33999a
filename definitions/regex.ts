import { RE2JS, RE2JSException } from 're2js';

/**
 * CEL's `matches` with RE2 semantics (linear time in the input, whatever the pattern), as the CEL spec
 * prescribes. JavaScript's RegExp backtracks: `(a+)+$` against forty `a`s and a `!` takes seconds, which
 * inside a workflow task means a task that times out and retries forever. re2js is pure JavaScript, so it
 * runs in Temporal's workflow sandbox. Pure and deterministic.
 */

/** Compiled patterns by source: plans evaluate the same few patterns over and over. Bounded. */
const compiled = new Map<string, RE2JS>();
const COMPILED_MAX = 500;

/** RE2's own refusal of a pattern, with what to do about it. */
export interface RegexProblem {
  message: string;
  hint: string;
}

export class RegexSyntaxError extends Error {
  constructor(
    readonly pattern: string,
    readonly problem: RegexProblem,
  ) {
    super(`invalid regular expression \`${pattern}\`: ${problem.message}`);
    this.name = 'RegexSyntaxError';
  }
}

/** Compiles a pattern with RE2 syntax; throws RegexSyntaxError for what RE2 cannot express. */
export function compileRegex(pattern: string): RE2JS {
  let regex = compiled.get(pattern);
  if (regex === undefined) {
    try {
      regex = RE2JS.compile(pattern);
    } catch (error) {
      if (error instanceof RE2JSException) throw new RegexSyntaxError(pattern, describeProblem(error));
      throw error;
    }
    if (compiled.size >= COMPILED_MAX) compiled.clear();
    compiled.set(pattern, regex);
  }
  return regex;
}

/** Why RE2 refuses a pattern, or undefined when it compiles (the validator's check of literal patterns). */
export function regexProblem(pattern: string): RegexProblem | undefined {
  try {
    compileRegex(pattern);
    return undefined;
  } catch (error) {
    if (error instanceof RegexSyntaxError) return error.problem;
    throw error;
  }
}

/**
 * How much work one match may cost, in "character x instruction" steps: RE2 runs the input once, but when
 * its DFA gives up it simulates every instruction of the program per character.
 */
export function regexWork(regex: RE2JS, input: string): number {
  return input.length * programSize(regex);
}

/**
 * An upper bound of the work of compiling a pattern, in weighted instructions, computed from its text
 * without compiling it: repeats multiply what they repeat (`\pL{1000}` is a thousand instructions; RE2
 * caps nested repeat counts at 1000), and Unicode or negated classes weigh 10 (their rune tables are what
 * compiling and the first match spend time on). Linear in the pattern's length.
 */
export function regexCompileWork(pattern: string): number {
  const levels: number[][] = [[]];
  const top = (): number[] => levels[levels.length - 1] ?? [];
  const sum = (items: number[]): number => items.reduce((total, item) => total + item, 0);
  for (let index = 0; index < pattern.length; index += 1) {
    const char = pattern[index];
    if (char === '\\') {
      const next = pattern[index + 1] ?? '';
      const unicodeClass = next === 'p' || next === 'P';
      const braced = pattern[index + 2] === '{' ? pattern.indexOf('}', index + 2) : -1;
      if (braced > 0 && (unicodeClass || next === 'x')) index = braced;
      else index += unicodeClass ? 2 : 1; // `\pL`: one-letter class name
      top().push(unicodeClass ? 10 : 1);
    } else if (char === '[') {
      const end = classEnd(pattern, index);
      const body = pattern.slice(index, end + 1);
      top().push(/^\[\^|\\[pP]/.test(body) ? 10 : 1);
      index = end;
    } else if (char === '(') {
      levels.push([]);
    } else if (char === ')') {
      const group = levels.length > 1 ? (levels.pop() ?? []) : [];
      top().push(sum(group) + 2);
    } else if (char === '*' || char === '+' || char === '?') {
      top().push(2 * (top().pop() ?? 0) + 1);
    } else if (char === '{') {
      const repeat = /^\{(\d+)(?:,(\d*))?\}/.exec(pattern.slice(index, index + 24));
      if (repeat) {
        const count = Math.min(1001, Math.max(Number(repeat[1]), Number(repeat[2] || 0)));
        top().push((top().pop() ?? 0) * Math.max(1, count) + 1);
        index += repeat[0].length - 1;
      } else {
        top().push(1);
      }
    } else {
      top().push(1);
    }
  }
  return levels.reduce((total, level) => total + sum(level), 0);
}

/** Index of the `]` closing the class opened at `start` (a leading `]` or `^]` is a literal). */
function classEnd(pattern: string, start: number): number {
  let index = start + 1;
  if (pattern[index] === '^') index += 1;
  if (pattern[index] === ']') index += 1;
  for (; index < pattern.length; index += 1) {
    if (pattern[index] === '\\') index += 1;
    else if (pattern.startsWith('[:', index)) index = Math.max(index, pattern.indexOf(':]', index + 2) + 1);
    else if (pattern[index] === ']') return index;
  }
  return pattern.length - 1;
}

function programSize(regex: RE2JS): number {
  // re2js keeps the compiled program on the instance; its size is what a match costs per character.
  const program = (regex as unknown as { re2Input?: { prog?: { numInst?: () => number } } }).re2Input?.prog;
  const size = typeof program?.numInst === 'function' ? program.numInst() : regex.pattern().length;
  return Math.max(1, size);
}

/** Unanchored search, like CEL's `matches`: true when any part of `input` matches. */
export function regexMatches(regex: RE2JS, input: string): boolean {
  return regex.test(input);
}

function describeProblem(error: RE2JSException): RegexProblem {
  const fragment = (error as RE2JSException & { input?: unknown }).input;
  const at = typeof fragment === 'string' && fragment !== '' ? fragment : undefined;
  const message = error.message.replace(/^error parsing regexp: /, '');
  if (at !== undefined && /^\\[1-9]/.test(at)) {
    return {
      message: `backreferences (${at}) are not supported`,
      hint: 'Regexes run in linear time (RE2 syntax), which has no backreferences: match the repeated text explicitly, or compare the parts in separate expressions.',
    };
  }
  if (at !== undefined && /^\(\?(=|!|<=|<!)/.test(at)) {
    return {
      message: `lookahead and lookbehind (${at.slice(0, at.startsWith('(?<') ? 4 : 3)}) are not supported`,
      hint: 'Regexes run in linear time (RE2 syntax), which has no lookaround: combine conditions instead, e.g. s.matches("a") && !s.matches("b").',
    };
  }
  if (at !== undefined && /^\\u/.test(at)) {
    return {
      message,
      hint: 'RE2 writes a code point as \\x{263A}, not \\u263A.',
    };
  }
  return { message, hint: 'Regexes use RE2 syntax: https://github.com/google/re2/wiki/Syntax' };
}
