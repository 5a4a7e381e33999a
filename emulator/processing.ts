import type { CompanyRuntime, EmulatorContext } from './context';
import type { CallRecord } from './core/model';
import { fireWebhooksForCall } from './webhooks/deliver';

/**
 * Gong processes a call for a while after it ends; only then does it appear in the API and fire
 * automation rules. This runs that lifecycle up to the emulated "now".
 */
export function advanceProcessing(context: EmulatorContext): void {
  const now = context.clock.now();
  for (const runtime of context.companies.values()) {
    for (const call of runtime.state.calls) {
      if (call.webhooksFired || call.processedAt > now) continue;
      call.webhooksFired = true;
      fireWebhooksForCall(context, runtime, call);
    }
  }
}

/** Admin "finish processing now": the given (or every pending) call becomes visible immediately. */
export function finishProcessing(
  context: EmulatorContext,
  runtime: CompanyRuntime,
  callIds?: string[],
): CallRecord[] {
  const now = context.clock.now();
  const wanted = callIds ? new Set(callIds) : null;
  const finished = runtime.state.calls.filter(
    (call) => call.processedAt > now && (!wanted || wanted.has(call.id)),
  );
  for (const call of finished) call.processedAt = now;
  advanceProcessing(context);
  return finished;
}
