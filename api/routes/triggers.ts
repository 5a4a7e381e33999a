import { controlTriggers, listTriggers, triggerNotDeployed, type TriggerAction } from '../../triggers/manage';
import { undeployTriggers } from '../../triggers/undeploy';
import type { ApiContext, ApiRoutes } from '../context';
import {
  TriggerBackfillSchema,
  TriggerListSchema,
  TriggerRemovalSchema,
  TriggerTargetSchema,
  type TriggerTarget,
} from '../schemas';

/** Deployed triggers (pollers, schedules, webhook subscriptions): list, pause, resume, backfill. */
const triggers: ApiRoutes = (app, { context }) => {
  app.get(
    '/v1/triggers',
    {
      schema: {
        tags: ['triggers'],
        operationId: 'listTriggers',
        summary: 'Every deployed trigger with its state (status, last event, cursor).',
        response: { 200: TriggerListSchema },
      },
    },
    async () => ({ triggers: await listTriggers(context.client, { taskQueue: context.taskQueue }) }),
  );

  const control = (action: 'pause' | 'resume', summary: string): void => {
    app.post(
      `/v1/triggers/${action}`,
      {
        schema: {
          tags: ['triggers'],
          operationId: `${action}Triggers`,
          summary,
          body: TriggerTargetSchema,
          response: { 200: TriggerListSchema },
        },
      },
      async (request) => ({ triggers: await controlled(context, request.body, { type: action }) }),
    );
  };
  control('pause', "Pause a definition's triggers on a connection (no new runs until resumed).");
  control('resume', "Resume a definition's paused triggers on a connection.");

  app.post(
    '/v1/triggers/backfill',
    {
      schema: {
        tags: ['triggers'],
        operationId: 'backfillTriggers',
        summary: 'Replay the events since `from` (pollers re-scan, schedules run their missed times).',
        body: TriggerBackfillSchema,
        response: { 200: TriggerListSchema },
      },
    },
    async (request) => {
      const { from, ...target } = request.body;
      return { triggers: await controlled(context, target, { type: 'backfill', from }) };
    },
  );
  app.post(
    '/v1/triggers/undeploy',
    {
      schema: {
        tags: ['triggers'],
        operationId: 'undeployTriggers',
        summary:
          "Remove a definition's triggers on a connection (pollers stopped, webhook subscription removed, schedules deleted).",
        body: TriggerTargetSchema,
        response: { 200: TriggerRemovalSchema },
      },
    },
    async (request) => {
      const { definition, connection, key } = request.body;
      const removed = await undeployTriggers(context.client, {
        taskQueue: context.taskQueue,
        definition,
        connection,
        ...(key ? { key } : {}),
      });
      if (removed.length === 0) throw triggerNotDeployed(definition, connection, key);
      return { removed };
    },
  );
  return Promise.resolve();
};

function controlled(
  context: Pick<ApiContext, 'client' | 'taskQueue'>,
  target: TriggerTarget,
  action: TriggerAction,
): ReturnType<typeof controlTriggers> {
  return controlTriggers(
    context.client,
    {
      taskQueue: context.taskQueue,
      definition: target.definition,
      connection: target.connection,
      ...(target.key ? { key: target.key } : {}),
    },
    action,
  );
}

export default triggers;
