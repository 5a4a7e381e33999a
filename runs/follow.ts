import { WorkflowFailedError, type WorkflowHandle } from '@temporalio/client';
import type { RunProgress, StepProgress } from '../workflows/progress';
import { progressQuery } from '../workflows/progress';

export type StepEvent = { type: 'started' | 'completed' | 'skipped' | 'failed'; step: StepProgress };

export type RunOutcome =
  | { status: 'completed'; output: unknown }
  | { status: 'failed'; failureType: string | undefined; message: string };

export interface FollowOptions {
  onStep?: (event: StepEvent) => void;
  /** How often the progress query is asked while the run goes on. */
  pollIntervalMs?: number;
}

/** Waits for a run's result, reporting each step as it starts and ends (from the progress query). */
export async function followRun(handle: WorkflowHandle, options: FollowOptions = {}): Promise<RunOutcome> {
  const reported = new Map<string, StepProgress['status']>();
  let settled = false;
  const result = handle.result().then(
    (output: unknown): RunOutcome => ({ status: 'completed', output }),
    (error: unknown): RunOutcome => failureOutcome(error),
  );
  void result.finally(() => {
    settled = true;
  });

  const report = (progress: RunProgress | undefined): void => {
    for (const step of progress?.steps ?? []) {
      const key = `${step.path ?? step.id}@${step.startedAt}`;
      const before = reported.get(key);
      if (before === step.status) continue;
      if (before === undefined) options.onStep?.({ type: 'started', step });
      if (step.status !== 'running') options.onStep?.({ type: step.status, step });
      reported.set(key, step.status);
    }
  };

  while (!settled) {
    report(await handle.query(progressQuery).catch(() => undefined));
    await Promise.race([
      result,
      new Promise((resolve) => setTimeout(resolve, options.pollIntervalMs ?? 200)),
    ]);
  }
  // A last look: steps that finished between the final poll and the result.
  report(await handle.query(progressQuery).catch(() => undefined));
  return result;
}

function failureOutcome(error: unknown): RunOutcome {
  if (error instanceof WorkflowFailedError) {
    const cause = error.cause as
      { type?: string; message?: string; cause?: { type?: string; message?: string } } | undefined;
    // Activity failures arrive wrapped: the application failure with our type is the innermost cause.
    const inner = cause?.cause?.type ? cause.cause : cause;
    return {
      status: 'failed',
      failureType: inner?.type,
      message: inner?.message ?? cause?.message ?? error.message,
    };
  }
  return {
    status: 'failed',
    failureType: undefined,
    message: error instanceof Error ? error.message : String(error),
  };
}
