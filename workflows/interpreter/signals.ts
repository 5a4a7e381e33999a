import { condition, defineSignal, setHandler } from '@temporalio/workflow';
import { FAILURE_TYPES } from '../../core/failure-types';
import type { WaitForSignalStepPlan } from '../../definitions/plan';
import { failure } from './failures';
import type { Frame } from './frame';
import { schemaProblem } from './json-schema';

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
  readonly rejected: Array<{ name: string; problem: string }> = [];

  install(): void {
    setHandler(gongflowSignal, (signal) => {
      if (typeof signal?.name !== 'string') return;
      const queue = this.queues.get(signal.name) ?? [];
      queue.push(signal.payload ?? null);
      this.queues.set(signal.name, queue);
    });
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
    const received = await condition(take, timeoutMs);
    return received ? accepted : undefined;
  }
}

export async function runWaitForSignal(step: WaitForSignalStepPlan, frame: Frame): Promise<unknown> {
  const schema = step.approval ? APPROVAL_SCHEMA : step.payloadSchema;
  const received = await frame.run.signals.next(step.signal, schema, step.timeoutMs);
  if (received) return received.payload;
  if (step.onTimeout === 'continue') return null;
  throw failure(
    FAILURE_TYPES.timeout,
    `Step ${step.id}: no ${step.approval ? 'approval' : 'signal'} "${step.signal}" within ${step.timeoutMs} ms.`,
  );
}
