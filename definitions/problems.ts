import type { ProblemDetail } from '../core/errors';

/** Stable codes of definition problems. Tests and users match on these; never rename one. */
export const DEFINITION_CODES = {
  syntax: 'DEF_SYNTAX',
  notAMapping: 'DEF_NOT_A_MAPPING',
  unknownKey: 'DEF_UNKNOWN_KEY',
  invalidValue: 'DEF_INVALID_VALUE',
  missingKey: 'DEF_MISSING_KEY',
  unknownStepKind: 'DEF_UNKNOWN_STEP_KIND',
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

/** Levenshtein distance, for "did you mean" hints. */
export function closest(candidate: string, options: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const option of options) {
    const distance = editDistance(candidate.toLowerCase(), option.toLowerCase());
    if (distance < bestDistance) {
      bestDistance = distance;
      best = option;
    }
  }
  return best !== undefined && bestDistance <= Math.max(2, Math.floor(candidate.length / 3))
    ? best
    : undefined;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i += 1) {
    let previous = row[0] ?? 0;
    row[0] = i;
    for (let j = 1; j <= b.length; j += 1) {
      const current = row[j] ?? 0;
      row[j] = Math.min((row[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length] ?? 0;
}
