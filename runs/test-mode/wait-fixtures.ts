import type { WorkflowHandle } from '@temporalio/client';
import type { ProblemDetail } from '../../core/errors';
import type { ParsedSource } from '../../core/yaml-source';
import type { Recovered } from '../../definitions/compiler/shape';
import type { TestCaseSource } from '../../definitions/fixtures-model';
import type { Plan, StepPlan } from '../../definitions/plan';
import { closest } from '../../definitions/problems';
import { approveUpdate, sendSignalUpdate } from '../../workflows/interpreter/waiting';
import { progressQuery } from '../../workflows/progress';
import type { Mismatch } from './expectations';

/** How often a case's run is asked whether an approval step waits. */
const WAITING_POLL_MS = 100;

/** Problems of a case's `approvals:` and `signals:`: approval steps and signal names the definition has. */
export function waitFixtureProblems(
  plan: Plan,
  steps: Map<string, StepPlan>,
  testCase: Pick<Recovered<TestCaseSource>, 'approvals' | 'signals'>,
  base: PropertyKey[],
  source: ParsedSource,
): ProblemDetail[] {
  const problems: ProblemDetail[] = [];
  const approvals = [...steps.values()].filter((step) => step.kind === 'waitForSignal' && step.approval);
  const signals = [
    ...new Set(
      [...steps.values()].flatMap((step) =>
        step.kind === 'waitForSignal' && !step.approval ? [step.signal] : [],
      ),
    ),
  ];
  for (const [stepId, decision] of Object.entries(testCase.approvals ?? {})) {
    const where = [...base, 'approvals', stepId];
    const step = approvals.find((candidate) => candidate.id === stepId);
    if (!step) {
      const suggestion = closest(
        stepId,
        approvals.map((candidate) => candidate.id),
      );
      problems.push({
        code: 'TEST_FIXTURE_UNKNOWN_STEP',
        message: `${plan.name} has no approval step "${stepId}".`,
        path: where.join('.'),
        ...source.locate(where, { atKey: true }),
        hint: `${suggestion ? `Did you mean "${suggestion}"? ` : ''}Approval steps: ${approvals.map((candidate) => candidate.id).join(', ') || '(none)'}.`,
      });
      continue;
    }
    const approvers = step.kind === 'waitForSignal' ? (step.approvers ?? []) : [];
    const by = decision?.by;
    if (
      by !== undefined &&
      approvers.length > 0 &&
      !approvers.some((name) => name.toLowerCase() === by.toLowerCase())
    )
      problems.push({
        code: 'TEST_FIXTURE_INVALID_APPROVAL',
        message: `"${by}" is not an approver of ${stepId}: the run would refuse the decision.`,
        path: [...where, 'by'].join('.'),
        ...source.locate([...where, 'by']),
        hint: `Approvers of ${stepId}: ${approvers.join(', ')}.`,
      });
  }
  for (const [index, signal] of (testCase.signals ?? []).entries()) {
    if (signal?.name === undefined || signals.includes(signal.name)) continue;
    const where = [...base, 'signals', index, 'name'];
    const suggestion = closest(signal.name, signals);
    problems.push({
      code: 'TEST_FIXTURE_UNKNOWN_SIGNAL',
      message: `No step of ${plan.name} waits for the signal "${signal.name}".`,
      path: where.join('.'),
      ...source.locate(where),
      hint: `${suggestion ? `Did you mean "${suggestion}"? ` : ''}Signals it waits for: ${signals.join(', ') || '(none)'}.`,
    });
  }
  return problems;
}

/**
 * Sends a case's signals at once (the run keeps each until a step waits for its name) and makes each
 * approval as soon as its step waits (decisions are never queued), as `gongflow runs approve` would.
 * Returns what went wrong once the run has ended: a refused message, an approval step that never waited.
 */
export function deliverWaitFixtures(
  handle: WorkflowHandle,
  testCase: Pick<TestCaseSource, 'approvals' | 'signals'>,
  ended: Promise<unknown>,
): Promise<Mismatch[]> {
  let over = false;
  void ended.finally(() => {
    over = true;
  });
  const refused = (at: string, error: unknown): Mismatch => ({
    at,
    expected: 'accepted by the run',
    actual: error instanceof Error ? error.message : String(error),
  });
  const signals = (async (): Promise<Mismatch[]> => {
    const mismatches: Mismatch[] = [];
    for (const [index, signal] of testCase.signals.entries()) {
      try {
        await handle.executeUpdate(sendSignalUpdate, {
          args: [{ name: signal.name, payload: signal.payload }],
        });
      } catch (error) {
        mismatches.push(refused(`signals[${index}]`, error));
      }
    }
    return mismatches;
  })();
  const approvals = Object.entries(testCase.approvals).map(async ([step, decision]): Promise<Mismatch[]> => {
    for (;;) {
      const progress = await handle.query(progressQuery).catch(() => undefined);
      const waiting = progress?.steps.some((entry) => entry.id === step && entry.waiting?.for === 'approval');
      if (waiting) {
        try {
          await handle.executeUpdate(approveUpdate, {
            args: [
              {
                step,
                approved: decision.approved,
                by: decision.by,
                ...(decision.comment !== undefined ? { comment: decision.comment } : {}),
              },
            ],
          });
          return [];
        } catch (error) {
          return [refused(`approvals.${step}`, error)];
        }
      }
      if (over)
        return [
          { at: `approvals.${step}`, expected: 'the step to wait for a decision', actual: 'it never waited' },
        ];
      await new Promise((resolve) => setTimeout(resolve, WAITING_POLL_MS));
    }
  });
  return Promise.all([signals, ...approvals]).then((lists) => lists.flat());
}
