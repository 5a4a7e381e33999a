import { ApplicationFailure, Context } from '@temporalio/activity';
import { GongflowError } from '../core/errors';
import { FAILURE_TYPES } from '../core/failure-types';
import { connectionFailure } from './connection-failure';
import { findGongAction } from '../gong/catalog';
import { parseActionInput } from '../gong/catalog/input';
import { normalizeActionOutput } from '../gong/catalog/output';
import { writeSemanticsOf } from '../gong/catalog/semantics';
import { GongClient, type PaginationProgress } from '../gong/client/client';
import type { GongCredentials } from '../gong/client/credentials';
import type { ConnectionResolver } from '../connections/registry';
import type { GongBudget } from '../gong/budget/temporal-budget';
import { gongFailure } from './gong-failure';
import { runGongWrite } from './gong-write';
import { keepAlive } from './keep-alive';
import { DEFAULT_HTTP_STEPS, type HttpStepsSettings } from './http-request';
import { guardedDownloader } from './media-download';

export interface RunGongActionArgs {
  connectionId: string;
  action: string;
  input: Record<string, unknown>;
  /** For logs only. */
  stepId: string;
  /** `resend`: an unsafe write is sent again after an ambiguous outcome (the step opted in: at least once). */
  onUnknownOutcome?: 'resend';
}

export interface GongActivityDependencies {
  connections: ConnectionResolver;
  requestTimeoutMs: number;
  /** Paces every Gong request within the company's budget, across all workers. */
  budget?: GongBudget;
  /** Aborted when the worker starts shutting down: budget waits end and give their slots back. */
  shuttingDown?: AbortSignal;
  /**
   * Where http steps may go; files Gong actions upload from a URL are downloaded under the same policy.
   * Default: DEFAULT_HTTP_STEPS (every private destination refused).
   */
  httpSteps?: HttpStepsSettings;
}

/** Heartbeat details above this size are not sent: the page loop then restarts from page 1 on retry. */
const MAX_RESUMABLE_PROGRESS_BYTES = 512 * 1024;

export function createGongActivities(dependencies: GongActivityDependencies) {
  const download = guardedDownloader(dependencies.httpSteps ?? DEFAULT_HTTP_STEPS);
  return {
    /**
     * Calls one Gong action with the run's connection. Reads and idempotent writes are retried freely and
     * paginated ones heartbeat their cursor to resume; keyed and unsafe writes run at most once (gong-write.ts).
     */
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
      // Fields the catalog does not know are sent as given (Gong ignores or accepts them): see parseActionInput.
      const parsedInput = parseActionInput(action, args.input);
      if (!parsedInput.success) {
        const issue = parsedInput.error.issues[0];
        throw ApplicationFailure.create({
          type: FAILURE_TYPES.validation,
          nonRetryable: true,
          message: `Step ${args.stepId}: input of ${action.name} is invalid at "${issue?.path.join('.') ?? ''}": ${issue?.message ?? 'invalid'}.`,
        });
      }
      const input = parsedInput.data as Record<string, unknown>;
      let credentials: GongCredentials;
      try {
        credentials = await dependencies.connections.credentials(args.connectionId);
      } catch (error) {
        if (!(error instanceof GongflowError)) throw error;
        throw connectionFailure(error);
      }
      const scope = { connectionId: args.connectionId, action: args.action, stepId: args.stepId };
      const client = {
        timeoutMs: dependencies.requestTimeoutMs,
        ...(dependencies.budget ? { budget: dependencies.budget } : {}),
        ...(dependencies.shuttingDown ? { stopWaiting: dependencies.shuttingDown } : {}),
        download,
      };
      const semantics = writeSemanticsOf(action, input);
      if (semantics === 'keyed' || semantics === 'unsafe')
        return normalizeActionOutput(
          action,
          await runGongWrite({
            action,
            input,
            semantics,
            resend: args.onUnknownOutcome === 'resend',
            scope,
            context,
            client,
            credentials,
            connections: dependencies.connections,
          }),
        );

      const resumeFrom = context.info.heartbeatDetails as PaginationProgress | undefined;
      let lastHeartbeat: PaginationProgress | undefined = resumeFrom;
      const heartbeat = () => {
        context.heartbeat(lastHeartbeat);
        alive.touch();
      };
      const alive = keepAlive(heartbeat, context.info.heartbeatTimeoutMs);
      const gong = new GongClient(credentials, {
        ...client,
        signal: context.cancellationSignal,
        onWait: heartbeat,
      });
      try {
        const output = await gong.callAction(action, input, {
          ...(resumeFrom ? { resumeFrom } : {}),
          onPage: (progress, requestId) => {
            const resumable = JSON.stringify(progress.items).length <= MAX_RESUMABLE_PROGRESS_BYTES;
            lastHeartbeat = resumable ? progress : undefined;
            heartbeat();
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
            heartbeat();
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
        throw await gongFailure(error, scope, dependencies.connections);
      } finally {
        alive.stop();
      }
    },
  };
}

export type GongActivities = ReturnType<typeof createGongActivities>;
