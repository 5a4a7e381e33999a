import { z } from 'zod';
import type { ApiRoutes } from '../context';

/** Prometheus metrics (text exposition format). Needs an API key like every data endpoint. */
const metrics: ApiRoutes = (app, { context }) => {
  app.get(
    '/metrics',
    {
      schema: {
        tags: ['health'],
        operationId: 'getMetrics',
        summary: 'Prometheus metrics: HTTP requests and latency by route, runs started by definition.',
        response: { 200: z.string().describe('Prometheus text exposition format (text/plain).') },
      },
    },
    async (_request, reply) =>
      reply.type(context.metrics.registry.contentType).send(await context.metrics.registry.metrics()),
  );
  return Promise.resolve();
};

export default metrics;
