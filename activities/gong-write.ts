import { ApplicationFailure, type Context } from '@temporalio/activity';
import { FAILURE_TYPES } from '../core/failure-types';
import { findGongAction } from '../gong/catalog';
import { isRepeatedKeyAnswer } from '../gong/catalog/semantics';
import type { GongActionDefinition, WriteKey } from '../gong/catalog/types';
import { GongClient, type GongClientOptions } from '../gong/client/client';
import { GongApiError } from '../gong/client/errors';
import type { ConnectionResolver } from '../connections/registry';
import { DurableHeartbeat } from './durable-heartbeat';
import { errorDetails, gongFailure, type FailureScope } from './gong-failure';
import { keepAlive } from './keep-alive';

/** The heartbeat of a write attempt about to send: whoever retries it knows the request may have reached Gong. */
export interface WriteSent {
  write: 'sent';
  attempt: number;
}

export interface GongWrite {
  action: GongActionDefinition;
  input: Record<string, unknown>;
  /** `keyed` or `unsafe` (see `WriteSemantics`); reads and idempotent writes do not come here. */
  semantics: 'keyed' | 'unsafe';
  /** The step opted in to resending an unsafe write after an ambiguous outcome (at least once). */
  resend: boolean;
  scope: FailureScope;
  context: Context;
  client: Omit<GongClientOptions, 'onWait' | 'signal' | 'beforeSend' | 'letSentRequestsFinish'>;
  credentials: ConstructorParameters<typeof GongClient>[0];
  connections: ConnectionResolver;
}

/**
 * Runs a keyed or unsafe Gong write at most once. Right before the request leaves, the attempt records
 * `{ write: 'sent' }` as its heartbeat and waits until Temporal has it; an attempt that finds that record
 * left by the one before it knows a request may have reached Gong with no answer (its worker was killed,
 * Temporal lost it, it timed out). An unsafe write then fails with GongWriteOutcomeUnknown instead of
 * sending again; a keyed one sends the same key again and reads Gong's "already done" as success, returning
 * the existing object. An answer saying the write was not done (429, 401, 4xx) clears the record: the retry
 * sends as a first attempt.
 */
export async function runGongWrite(write: GongWrite): Promise<unknown> {
  const { context, scope } = write;
  const earlier = earlierSend(context.info.heartbeatDetails);
  if (earlier && write.semantics === 'unsafe' && !write.resend)
    throw outcomeUnknown(
      `Step ${scope.stepId} (${scope.action}): attempt ${earlier.attempt} sent the request to Gong and was lost before Gong answered (its worker stopped, or Temporal lost it). Gong may or may not have done it, so it is not sent again. Check Gong; to resend after such failures (at the risk of doing it twice), set onUnknownOutcome: resend on the step.`,
    );

  const heartbeat = new DurableHeartbeat(
    (details) => context.client.activity.heartbeat(context.info.taskToken, details),
    context.info.heartbeatDetails,
  );
  const alive = keepAlive(() => heartbeat.beat(), context.info.heartbeatTimeoutMs);
  let sent = false;
  const client = new GongClient(write.credentials, {
    ...write.client,
    signal: AbortSignal.any([context.cancellationSignal, heartbeat.cancelled.signal]),
    // Aborting a request already sent would turn a clear answer into an unknown outcome.
    letSentRequestsFinish: true,
    beforeSend: async () => {
      if (sent) return;
      try {
        await heartbeat.record({ write: 'sent', attempt: context.info.attempt } satisfies WriteSent);
      } catch (error) {
        throw notRecorded(scope, error);
      }
      sent = true;
    },
  });
  try {
    return await client.callAction(write.action, write.input);
  } catch (error) {
    if (heartbeat.cancelled.signal.aborted)
      throw ApplicationFailure.create({
        type: 'CancelledError',
        nonRetryable: true,
        message: `Step ${scope.stepId} (${scope.action}): cancelled${sent ? ' after the request was sent' : ', not sent'}.`,
      });
    if (!(error instanceof GongApiError)) throw error;
    const key = write.action.key;
    if (
      write.semantics === 'keyed' &&
      key &&
      earlier &&
      isRepeatedKeyAnswer(key, error.status, error.message)
    )
      return await alreadyDone(write, key, client, error);
    if (error.outcomeUnknown) {
      if (write.semantics === 'unsafe' && !write.resend)
        throw outcomeUnknown(
          `Step ${scope.stepId} (${scope.action}, connection ${scope.connectionId}): the request was sent and Gong may or may not have done it: ${error.message}. It is not sent again; check Gong. To resend after such failures (at the risk of doing it twice), set onUnknownOutcome: resend on the step.`,
          error,
        );
      // Keyed: the retry sends the same key, and Gong's answer tells whether this one was done.
      throw await gongFailure(error, scope, write.connections);
    }
    // Gong said it did not do this one: the retry knows of the earlier attempt's send only, if any.
    if (sent) await heartbeat.record(earlier).catch(() => undefined);
    throw await gongFailure(error, scope, write.connections);
  } finally {
    alive.stop();
  }
}

function earlierSend(details: unknown): WriteSent | undefined {
  const candidate = details as Partial<WriteSent> | undefined;
  return candidate?.write === 'sent' && typeof candidate.attempt === 'number'
    ? { write: 'sent', attempt: candidate.attempt }
    : undefined;
}

/** Gong answered the repeated key as already done: the step's output is the existing object. */
async function alreadyDone(
  write: GongWrite,
  key: WriteKey,
  client: GongClient,
  answer: GongApiError,
): Promise<unknown> {
  const { scope, input } = write;
  write.context.log.info('Gong write already done by an earlier attempt', {
    step: scope.stepId,
    action: scope.action,
    key: key.field,
    status: answer.status,
    requestId: answer.requestId,
    connection: scope.connectionId,
  });
  if (key.existing.from === 'input') return key.existing.output(input);
  const lookup = findGongAction(key.existing.action);
  if (!lookup) throw new Error(`catalog: ${scope.action} reads back with unknown ${key.existing.action}`);
  let found: unknown;
  try {
    found = await client.callAction(lookup, key.existing.input(input));
  } catch (error) {
    throw await gongFailure(error, scope, write.connections);
  }
  const existing = key.existing.pick(found, input);
  if (existing) return existing;
  throw outcomeUnknown(
    `Step ${scope.stepId} (${scope.action}): Gong answered ${answer.status} to the repeated ${key.field} "${String(input[key.field])}", so it was done, but ${lookup.name} does not list it yet and its output cannot be read back (Gong requestId ${answer.requestId ?? 'none'}). It was not done twice.`,
    answer,
  );
}

function outcomeUnknown(message: string, error?: GongApiError): ApplicationFailure {
  return ApplicationFailure.create({
    type: FAILURE_TYPES.writeOutcomeUnknown,
    nonRetryable: true,
    message,
    ...(error ? { details: [errorDetails(error)] } : {}),
  });
}

/** Temporal did not confirm the "about to send" record: nothing was sent, so a retry is safe. */
function notRecorded(scope: FailureScope, error: unknown): ApplicationFailure {
  return ApplicationFailure.create({
    type: 'WriteNotRecordedError',
    nonRetryable: false,
    message: `Step ${scope.stepId} (${scope.action}): not sent: Temporal did not confirm that this attempt is about to send (${error instanceof Error ? error.message : String(error)}); retrying.`,
  });
}
