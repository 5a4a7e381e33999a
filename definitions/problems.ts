import type { ProblemDetail } from '../core/errors';

/** Stable codes of definition problems. Tests and users match on these; never rename one. */
export const DEFINITION_CODES = {
  syntax: 'DEF_SYNTAX',
  notAMapping: 'DEF_NOT_A_MAPPING',
  unknownKey: 'DEF_UNKNOWN_KEY',
  invalidValue: 'DEF_INVALID_VALUE',
  missingKey: 'DEF_MISSING_KEY',
  unknownStepKind: 'DEF_UNKNOWN_STEP_KIND',
  unknownTriggerKind: 'DEF_UNKNOWN_TRIGGER_KIND',
  duplicateStepId: 'DEF_DUPLICATE_STEP_ID',
  unknownAction: 'DEF_UNKNOWN_ACTION',
  actionInput: 'DEF_ACTION_INPUT',
  /** A warning: an input field the catalog does not know, sent to Gong as given. */
  unknownActionInput: 'DEF_UNKNOWN_ACTION_INPUT',
  expressionSyntax: 'DEF_EXPRESSION_SYNTAX',
  /** Deeper or larger than the expression limits (definitions/expression-limits.ts). */
  expressionTooComplex: 'DEF_EXPRESSION_TOO_COMPLEX',
  /** A part made only of constants fails whenever it is evaluated (`1/0`, `[1][5]`, int overflow). */
  expressionFails: 'DEF_EXPRESSION_FAILS',
  /** A literal regex RE2 cannot run (backreferences, lookaround) or that does not parse. */
  expressionRegex: 'DEF_EXPRESSION_REGEX',
  embeddedExpression: 'DEF_EMBEDDED_EXPRESSION',
  unknownReference: 'DEF_UNKNOWN_REFERENCE',
  unknownStepReference: 'DEF_UNKNOWN_STEP_REFERENCE',
  laterStepReference: 'DEF_LATER_STEP_REFERENCE',
  unknownRetryPolicy: 'DEF_UNKNOWN_RETRY_POLICY',
  missingScope: 'DEF_MISSING_SCOPE',
  expressionType: 'DEF_EXPRESSION_TYPE',
  stepNotVisible: 'DEF_STEP_NOT_VISIBLE',
  secretInOutput: 'DEF_SECRET_IN_OUTPUT',
  unreachableStep: 'DEF_UNREACHABLE_STEP',
  unboundedLoop: 'DEF_UNBOUNDED_LOOP',
  unknownErrorType: 'DEF_UNKNOWN_ERROR_TYPE',
  runCycle: 'DEF_RUN_CYCLE',
  runNotFound: 'DEF_RUN_NOT_FOUND',
  runInvalid: 'DEF_RUN_INVALID',
  /** A validator bug, reported as a problem instead of a crash. */
  internal: 'DEF_INTERNAL',
} as const;

export type DefinitionProblem = ProblemDetail;

/**
 * The option a misspelt name most likely meant, for "did you mean" hints: the nearest by edit distance
 * (up to a third of the name), else the one sharing the longest start with it (`retries` -> `retry`).
 */
export function closest(candidate: string, options: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  let stem: string | undefined;
  let stemLength = 0;
  const wanted = candidate.toLowerCase();
  for (const option of options) {
    const known = option.toLowerCase();
    const distance = editDistance(wanted, known);
    if (distance < bestDistance) {
      bestDistance = distance;
      best = option;
    }
    const shared = sharedPrefix(wanted, known);
    if (shared > stemLength) {
      stemLength = shared;
      stem = option;
    }
  }
  // Short names are near many others (`any` is two edits from `all`): they get fewer edits.
  const allowed = candidate.length <= 4 ? 1 : Math.max(2, Math.floor(candidate.length / 3));
  if (best !== undefined && bestDistance <= allowed) return best;
  if (stem !== undefined && stemLength >= 4 && stemLength >= 0.6 * Math.min(candidate.length, stem.length))
    return stem;
  // A misspelt start of a longer name (`emial` -> `emailAddress`), or an abbreviation (`msg` -> `message`).
  if (wanted.length < 3) return undefined;
  for (const option of options) {
    const known = option.toLowerCase();
    if (wanted.length >= 4 && editDistance(wanted, known.slice(0, wanted.length)) <= 1) return option;
    if (known.startsWith(wanted[0] ?? '') && isSubsequence(wanted, known)) return option;
  }
  return undefined;
}

function isSubsequence(short: string, long: string): boolean {
  let next = 0;
  for (const letter of long) if (letter === short[next]) next += 1;
  return next === short.length;
}

function sharedPrefix(a: string, b: string): number {
  let length = 0;
  while (length < a.length && length < b.length && a[length] === b[length]) length += 1;
  return length;
}

/** Edit distance where two swapped letters (`emial`) count as one edit (optimal string alignment). */
function editDistance(a: string, b: string): number {
  let twoBack: number[] = [];
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= b.length; j += 1) {
      let distance = Math.min(
        (previous[j] ?? 0) + 1,
        (current[j - 1] ?? 0) + 1,
        (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        distance = Math.min(distance, (twoBack[j - 2] ?? 0) + 1);
      current.push(distance);
    }
    twoBack = previous;
    previous = current;
  }
  return previous[b.length] ?? 0;
}
