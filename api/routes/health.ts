import { z } from 'zod';
import type { ApiRoutes } from '../context';
import { API_ERROR_CODES, ApiErrorSchema, errorBody } from '../errors';

const READINESS_TIMEOUT_MS = 3_000;

/** Liveness and readiness: public, for load balancers and orchestrators. */
const health: ApiRoutes = (app, { context }) => {
  app.get(
    '/healthz',
    {
      config: { public: true },
      schema: {
        tags: ['health'],
        summary: 'Liveness: the process answers.',
        response: { 200: z.object({ status: z.literal('ok') }) },
      },
    },
    () => ({ status: 'ok' as const }),
  );

  app.get(
    '/readyz',
    {
      config: { public: true },
      schema: {
        tags: ['health'],
        summary: 'Readiness: Temporal answers.',
        response: {
          200: z.object({ status: z.literal('ready'), temporal: z.string() }),
          503: ApiErrorSchema,
        },
      },
    },
    async (_request, reply) => {
      try {
        await context.client.connection.withDeadline(Date.now() + READINESS_TIMEOUT_MS, () =>
          context.client.workflowService.getSystemInfo({}),
        );
        return { status: 'ready' as const, temporal: 'reachable' };
      } catch (error) {
        return reply.code(503).send(
          errorBody(
            API_ERROR_CODES.temporalUnavailable,
            `Temporal is not reachable: ${(error as Error).message}`,
            {
              hint: 'Check that the Temporal server is running (temporal.address / TEMPORAL_ADDRESS).',
            },
          ),
        );
      }
    },
  );
  return Promise.resolve();
};

export default health;
