import { condition, defineSignal, patched, setHandler } from '@temporalio/workflow';
import { FAILURE_TYPES } from '../../core/failure-types';
import type { WaitForSignalStepPlan } from '../../definitions/plan';
import type { StepProgress } from '../progress';
import { evaluateIn } from './evaluate';
import { failure } from './failures';
import type { Frame } from './frame';
import { schemaProblem } from './json-schema';
import { PATCHES } from './patches';

/** The one signal a run accepts: `{ name, payload }`, delivered to the step waiting for `name`. */
export interface GongflowSignal {
  name: string;
  payload?: unknown;
}
export const gongflowSignal = defineSignal<[GongflowSignal]>('gongflow.signal');

/** What an approval signal carries. */
export const APPROVAL_SCHEMA = {
  type: 'object',
  required: ['approved'],
  properties: { approved: { type: 'boolean' }, by: { type: 'string' }, comment: { type: 'string' } },
} as const;

/**
 * Signals by name, in arrival order. Signals that arrive before a step waits are kept, so a sender never
 * races the run; rejected payloads are recorded (visible in progress) and dropped.
 */
export class SignalInbox {
  private readonly queues = new Map<string, unknown[]>();
  /** How many steps wait for each name right now. */
  private readonly waiters = new Map<string, number>();
  readonly rejected: Array<{ name: string; problem: string }> = [];

  install(): void {
    setHandler(gongflowSignal, (signal) => {
      if (typeof signal?.name !== 'string') return;
      this.deliver(signal);
    });
  }

  /** Queues a signal for the next step that waits for its name (the signal handler and the update both). */
  deliver(signal: GongflowSignal): void {
    const queue = this.queues.get(signal.name) ?? [];
    queue.push(signal.payload ?? null);
    this.queues.set(signal.name, queue);
  }

  isWaitingFor(name: string): boolean {
    return (this.waiters.get(name) ?? 0) > 0;
  }

  /** Signals received but not consumed yet (carried across continueAsNew). */
  pending(): Array<GongflowSignal> {
    return [...this.queues.entries()].flatMap(([name, payloads]) =>
      payloads.map((payload) => ({ name, payload })),
    );
  }

  restore(signals: GongflowSignal[]): void {
    for (const signal of signals) {
      const queue = this.queues.get(signal.name) ?? [];
      queue.push(signal.payload ?? null);
      this.queues.set(signal.name, queue);
    }
  }

  /** The next payload of `name` that conforms to the schema; undefined on timeout. */
  async next(name: string, schema: unknown, timeoutMs: number): Promise<{ payload: unknown } | undefined> {
    let accepted: { payload: unknown } | undefined;
    const take = (): boolean => {
      const queue = this.queues.get(name);
      while (queue && queue.length > 0) {
        const payload = queue.shift();
        const problem = schemaProblem(schema as never, payload);
        if (problem === undefined) {
          accepted = { payload };
          return true;
        }
        this.rejected.push({ name, problem });
      }
      return false;
    };
    this.waiters.set(name, (this.waiters.get(name) ?? 0) + 1);
    try {
      const received = await condition(take, timeoutMs);
      return received ? accepted : undefined;
    } finally {
      this.waiters.set(name, (this.waiters.get(name) ?? 1) - 1);
    }
  }
}

/**
 * waitForSignal and approval steps. Approvals of runs started since the `approvalUpdates` patch are
 * decided through the `gongflow.approve` update only (so `approvers` hold: a bare signal named after the
 * step no longer decides it); older runs keep reading the signal inbox as they did.
 */
export async function runWaitForSignal(step: WaitForSignalStepPlan, frame: Frame): Promise<unknown> {
  const path = `${frame.path}${step.id}`;
  if (step.approval && patched(PATCHES.approvalUpdates)) {
    const prompt = step.prompt ? await evaluateIn(frame, step.prompt, `${step.id}.approval`) : undefined;
    const entry = runningEntry(frame, path);
    if (entry) {
      entry.waiting = {
        for: 'approval',
        name: step.id,
        ...(prompt !== undefined ? { prompt } : {}),
        approvers: step.approvers ?? [],
        until: new Date(Date.now() + step.timeoutMs).toISOString(),
      };
    }
    try {
      const decision = await frame.run.waiting.waitForApproval(step, path, (done) =>
        condition(done, step.timeoutMs),
      );
      if (decision) return decision;
    } finally {
      if (entry) delete entry.waiting;
    }
    return timedOut(step);
  }
  const entry = runningEntry(frame, path);
  if (entry) {
    entry.waiting = {
      for: step.approval ? 'approval' : 'signal',
      name: step.signal,
      until: new Date(Date.now() + step.timeoutMs).toISOString(),
    };
  }
  try {
    const schema = step.approval ? APPROVAL_SCHEMA : step.payloadSchema;
    const received = await frame.run.signals.next(step.signal, schema, step.timeoutMs);
    if (received) return received.payload;
  } finally {
    if (entry) delete entry.waiting;
  }
  return timedOut(step);
}

/** The progress entry of the step running at `path` (the most recent one: loops repeat paths' ids). */
function runningEntry(frame: Frame, path: string): StepProgress | undefined {
  const steps = frame.run.progress.steps;
  for (let index = steps.length - 1; index >= 0; index--) {
    const entry = steps[index]!;
    if ((entry.path ?? entry.id) === path && entry.status === 'running') return entry;
  }
  return undefined;
}

function timedOut(step: WaitForSignalStepPlan): null {
  if (step.onTimeout === 'continue') return null;
  throw failure(
    FAILURE_TYPES.timeout,
    `Step ${step.id}: no ${step.approval ? 'approval' : 'signal'} "${step.signal}" within ${step.timeoutMs} ms.`,
  );
}
