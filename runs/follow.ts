import { WorkflowFailedError, type Client, type WorkflowHandle } from '@temporalio/client';
import { decodeOptionalFailureToOptionalError } from '@temporalio/common/lib/internal-non-workflow';
import type { RunProgress, StepProgress } from '../workflows/progress';
import { progressQuery } from '../workflows/progress';

/** An attempt of an activity after its first failed: Temporal retries it server-side. */
export interface RetryingActivity {
  activityId: string;
  activityType: string;
  /** The attempt running or scheduled now (2 = the first retry). */
  attempt: number;
  /** Why the previous attempt failed. */
  lastError?: string;
}

export type StepEvent =
  | { type: 'started' | 'completed' | 'skipped' | 'failed'; step: StepProgress }
  | { type: 'retrying'; step: StepProgress | undefined; retry: RetryingActivity };

export type RunOutcome =
  | { status: 'completed'; output: unknown }
  | { status: 'failed'; failureType: string | undefined; message: string };

export interface FollowOptions {
  onStep?: (event: StepEvent) => void;
  /** How often the progress query is asked while the run goes on. */
  pollIntervalMs?: number;
}

/**
 * Turns successive step logs into events, each reported once, in the order they happened: a step that
 * ended before the next one started is reported ended first, and a construct (if, forEach, ...) is
 * reported ended after the steps nested in it, even when one look at the log saw all of them end.
 */
export class StepReporter {
  private readonly reported = new Map<string, StepProgress['status']>();
  private readonly retries = new Set<string>();

  constructor(private readonly onStep: (event: StepEvent) => void) {}

  report(steps: ReadonlyArray<StepProgress>): void {
    const byKey = new Map(steps.map((step) => [stepKey(step), step]));
    const pending: StepProgress[] = [];
    const flush = (keep: (step: StepProgress) => boolean): void => {
      const ready = pending.filter((step) => !keep(step));
      // Deepest first, so a construct ends after what it contains.
      ready.sort((a, b) => (b.depth ?? 0) - (a.depth ?? 0));
      for (const step of ready) {
        pending.splice(pending.indexOf(step), 1);
        this.onStep({ type: step.status as 'completed' | 'skipped' | 'failed', step });
      }
    };
    for (const step of steps) {
      const key = `${stepKey(step)}@${step.startedAt}`;
      const before = this.reported.get(key);
      if (before === step.status) continue;
      if (before === undefined) {
        // What ended before this step started is reported first, except the constructs it runs inside.
        const ancestors = ancestorKeys(step, byKey);
        flush((candidate) => ancestors.has(stepKey(candidate)));
        this.onStep({ type: 'started', step });
      }
      if (step.status !== 'running') pending.push(step);
      this.reported.set(key, step.status);
    }
    flush(() => false);
  }

  /** Retries of activities, each attempt once, named after the action or http step running it. */
  reportRetries(steps: ReadonlyArray<StepProgress>, retrying: ReadonlyArray<RetryingActivity>): void {
    const running = steps.filter(
      (step) => step.status === 'running' && (step.kind === 'action' || step.kind === 'http'),
    );
    for (const retry of retrying) {
      const key = `${retry.activityId}#${retry.attempt}`;
      if (this.retries.has(key)) continue;
      this.retries.add(key);
      // Several Gong calls at once (parallel branches): the step cannot be told, the activity is shown.
      this.onStep({ type: 'retrying', step: running.length === 1 ? running[0] : undefined, retry });
    }
  }
}

function stepKey(step: StepProgress): string {
  return step.path ?? step.id;
}

function ancestorKeys(step: StepProgress, byKey: Map<string, StepProgress>): Set<string> {
  const keys = new Set<string>();
  for (let parent = step.parent; parent !== undefined && !keys.has(parent);) {
    keys.add(parent);
    parent = byKey.get(parent)?.parent;
  }
  return keys;
}

/**
 * Activities of a run being retried now, from Temporal's description of the run (the interpreter cannot
 * see server-side retries). Failure messages are decoded with the client's converter: they may be
 * encrypted in history.
 */
export async function retryingActivities(
  client: Client,
  handle: WorkflowHandle,
): Promise<RetryingActivity[]> {
  const description = await handle.describe();
  const pending = description.raw.pendingActivities ?? [];
  const retrying: RetryingActivity[] = [];
  for (const activity of pending) {
    const attempt = activity.attempt ?? 1;
    if (attempt <= 1) continue;
    const error = await decodeOptionalFailureToOptionalError(
      client.options.loadedDataConverter,
      activity.lastFailure,
    ).catch(() => undefined);
    retrying.push({
      activityId: activity.activityId ?? '?',
      activityType: activity.activityType?.name ?? '?',
      attempt,
      ...(error ? { lastError: innermostMessage(error) } : {}),
    });
  }
  return retrying;
}

function innermostMessage(error: Error): string {
  let current: Error = error;
  while (current.cause instanceof Error) current = current.cause;
  return current.message || error.message;
}

/** Waits for a run's result, reporting each step as it starts and ends, and each retry of its activities. */
export async function followRun(
  handle: WorkflowHandle,
  options: FollowOptions & { client?: Client } = {},
): Promise<RunOutcome> {
  const reporter = new StepReporter((event) => options.onStep?.(event));
  let settled = false;
  const result = handle.result().then(
    (output: unknown): RunOutcome => ({ status: 'completed', output }),
    (error: unknown): RunOutcome => failureOutcome(error),
  );
  void result.finally(() => {
    settled = true;
  });

  const look = async (): Promise<void> => {
    const progress: RunProgress | undefined = await handle.query(progressQuery).catch(() => undefined);
    reporter.report(progress?.steps ?? []);
    if (options.client && options.onStep && !settled) {
      const retrying = await retryingActivities(options.client, handle).catch(() => []);
      reporter.reportRetries(progress?.steps ?? [], retrying);
    }
  };

  while (!settled) {
    await look();
    await Promise.race([
      result,
      new Promise((resolve) => setTimeout(resolve, options.pollIntervalMs ?? 200)),
    ]);
  }
  // A last look: steps that finished between the final poll and the result.
  await look();
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
