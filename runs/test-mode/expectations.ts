import type { StepProgress } from '../../workflows/progress';
import type { RunOutcome } from '../follow';
import type { Expectation } from './fixtures';

/** One way a case's run differs from what its fixtures expect. */
export interface Mismatch {
  /** What differs: `status`, `output.total`, `path`, `notRun`, `error.type`, ... */
  at: string;
  expected: unknown;
  actual: unknown;
}

/**
 * Differences between `expected` and `actual` where the actual value contains the expected one: objects
 * need the keys given (others may exist), arrays have the same length and match item by item, anything
 * else is equal.
 */
export function subsetMismatches(expected: unknown, actual: unknown, at: string): Mismatch[] {
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual) || actual.length !== expected.length) return [{ at, expected, actual }];
    return expected.flatMap((item, index) => subsetMismatches(item, actual[index], `${at}[${index}]`));
  }
  if (typeof expected === 'object' && expected !== null) {
    if (typeof actual !== 'object' || actual === null || Array.isArray(actual))
      return [{ at, expected, actual }];
    const record = actual as Record<string, unknown>;
    return Object.entries(expected).flatMap(([key, value]) =>
      key in record
        ? subsetMismatches(value, record[key], `${at}.${key}`)
        : [{ at: `${at}.${key}`, expected: value, actual: undefined }],
    );
  }
  return Object.is(expected, actual) ? [] : [{ at, expected, actual }];
}

/**
 * Ids of the steps that ran to an end (completed or failed, not skipped), in the order they started: a
 * container (`if`, `try`, ...) comes before the steps inside it. Start order is what the progress query
 * records exactly; steps ending in one workflow task share an end time.
 */
export function pathTaken(steps: ReadonlyArray<StepProgress>): string[] {
  return steps
    .filter((step) => step.status === 'completed' || step.status === 'failed')
    .map((step) => step.id);
}

/** Whether `expected` occurs in `actual` in this order (other ids may come between). */
function isSubsequence(expected: ReadonlyArray<string>, actual: ReadonlyArray<string>): boolean {
  let next = 0;
  for (const id of actual) if (id === expected[next]) next += 1;
  return next === expected.length;
}

export function checkExpectation(
  expectation: Expectation,
  outcome: RunOutcome,
  steps: ReadonlyArray<StepProgress>,
): Mismatch[] {
  const mismatches: Mismatch[] = [];
  const status = expectation.status ?? (expectation.error ? 'failed' : 'completed');
  if (outcome.status !== status) {
    mismatches.push({
      at: 'status',
      expected: status,
      actual:
        outcome.status === 'failed'
          ? `failed (${outcome.failureType ?? 'error'}): ${outcome.message}`
          : 'completed',
    });
  }
  if (expectation.output !== undefined) {
    const actual = outcome.status === 'completed' ? outcome.output : undefined;
    mismatches.push(...subsetMismatches(expectation.output, actual, 'output'));
  }
  if (expectation.error && outcome.status === 'failed') {
    const { type, message } = expectation.error;
    if (type !== undefined && outcome.failureType !== type) {
      mismatches.push({ at: 'error.type', expected: type, actual: outcome.failureType });
    }
    if (message !== undefined && !outcome.message.includes(message)) {
      mismatches.push({
        at: 'error.message',
        expected: `to contain ${JSON.stringify(message)}`,
        actual: outcome.message,
      });
    }
  }
  const taken = pathTaken(steps);
  if (expectation.path && !isSubsequence(expectation.path, taken)) {
    mismatches.push({ at: 'path', expected: expectation.path, actual: taken });
  }
  const ran = expectation.notRun?.filter((id) => taken.includes(id)) ?? [];
  if (ran.length > 0)
    mismatches.push({ at: 'notRun', expected: `not to run: ${ran.join(', ')}`, actual: taken });
  return mismatches;
}
