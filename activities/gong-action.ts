import { ApplicationFailure, Context } from '@temporalio/activity';
import { GongflowError } from '../core/errors';
import { FAILURE_TYPES } from '../core/failure-types';
import { connectionFailure } from './connection-failure';
import { findGongAction } from '../gong/catalog';
import { normalizeActionOutput } from '../gong/catalog/output';
import { GongClient, type PaginationProgress } from '../gong/client/client';
import type { GongCredentials } from '../gong/client/credentials';
import { GongApiError } from '../gong/client/errors';
import type { ConnectionResolver } from '../connections/registry';
import type { GongBudget } from '../gong/budget/temporal-budget';

export interface RunGongActionArgs {
  connectionId: string;
  action: string;
  input: Record<string, unknown>;
  /** For logs only. */
  stepId: string;
}

export interface GongActivityDependencies {
  connections: ConnectionResolver;
  requestTimeoutMs: number;
  /** Paces every Gong request within the company's budget, across all workers. */
  budget?: GongBudget;
}

/** Heartbeat details above this size are not sent: the page loop then restarts from page 1 on retry. */
const MAX_RESUMABLE_PROGRESS_BYTES = 512 * 1024;

export function createGongActivities(dependencies: GongActivityDependencies) {
  return {
    /** Calls one Gong action with the run's connection; paginated actions heartbeat their cursor to resume. */
    async runGongAction(args: RunGongActionArgs): Promise<unknown> {
      const context = Context.current();
      const action = findGongAction(args.action);
      if (!action) {
        throw ApplicationFailure.create({
          type: FAILURE_TYPES.validation,
          nonRetryable: true,
          message: `Unknown Gong action "${args.action}" in step ${args.stepId}.`,
        });
      }
      const parsedInput = action.input.safeParse(args.input);
      if (!parsedInput.success) {
        const issue = parsedInput.error.issues[0];
        throw ApplicationFailure.create({
          type: FAILURE_TYPES.validation,
          nonRetryable: true,
          message: `Step ${args.stepId}: input of ${action.name} is invalid at "${issue?.path.join('.') ?? ''}": ${issue?.message ?? 'invalid'}.`,
        });
      }
      let credentials: GongCredentials;
      try {
        credentials = await dependencies.connections.credentials(args.connectionId);
      } catch (error) {
        if (!(error instanceof GongflowError)) throw error;
        throw connectionFailure(error);
      }
      const resumeFrom = context.info.heartbeatDetails as PaginationProgress | undefined;
      let lastHeartbeat: PaginationProgress | undefined = resumeFrom;
      const client = new GongClient(credentials, {
        timeoutMs: dependencies.requestTimeoutMs,
        ...(dependencies.budget ? { budget: dependencies.budget } : {}),
        signal: context.cancellationSignal,
        // Waiting for a budget slot can outlast the heartbeat timeout: keep reporting liveness.
        onWait: () => context.heartbeat(lastHeartbeat),
      });
      try {
        const output = await client.callAction(action, parsedInput.data as Record<string, unknown>, {
          ...(resumeFrom ? { resumeFrom } : {}),
          onPage: (progress, requestId) => {
            const resumable = JSON.stringify(progress.items).length <= MAX_RESUMABLE_PROGRESS_BYTES;
            lastHeartbeat = resumable ? progress : undefined;
            context.heartbeat(lastHeartbeat);
            context.log.info('Gong page received', {
              step: args.stepId,
              action: action.name,
              page: progress.pages,
              requestId,
              connection: args.connectionId,
            });
          },
          onCursorExpired: (restart, requestId) => {
            lastHeartbeat = undefined;
            context.heartbeat(lastHeartbeat);
            context.log.warn('Gong cursor expired: paging restarts from the first page', {
              step: args.stepId,
              action: action.name,
              restart,
              requestId,
              connection: args.connectionId,
            });
          },
        });
        // Optional fields Gong omitted read as null in expressions, like fields it sent as null.
        return normalizeActionOutput(action, output);
      } catch (error) {
        if (isExpiredToken(error) && dependencies.connections.reportExpired) {
          // Gong refused a token as expired (clock skew, a revoked-then-refreshed token): refresh it once
          // through the connection, then let Temporal retry the attempt with the new one.
          await dependencies.connections.reportExpired(args.connectionId);
          throw ApplicationFailure.create({
            type: FAILURE_TYPES.auth,
            message: `Step ${args.stepId} (${args.action}): Gong said the access token expired; refreshed, retrying.`,
            nonRetryable: false,
            nextRetryDelay: 100,
          });
        }
        throw toApplicationFailure(error, args);
      }
    },
  };
}

export type GongActivities = ReturnType<typeof createGongActivities>;

function isExpiredToken(error: unknown): boolean {
  return (
    error instanceof GongApiError &&
    error.status === 401 &&
    error.failureType === FAILURE_TYPES.auth &&
    /expired/i.test(error.message)
  );
}

function toApplicationFailure(error: unknown, args: RunGongActionArgs): unknown {
  if (!(error instanceof GongApiError)) return error;
  return ApplicationFailure.create({
    type: error.failureType,
    message: `Step ${args.stepId} (${args.action}, connection ${args.connectionId}): ${error.message}`,
    nonRetryable: !error.retryable,
    ...(error.retryAfterMs !== undefined ? { nextRetryDelay: error.retryAfterMs } : {}),
    details: [
      { status: error.status, requestId: error.requestId ?? null, missingScope: error.missingScope ?? null },
    ],
  });
}
