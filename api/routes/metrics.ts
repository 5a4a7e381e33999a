import { z } from 'zod';
import type { ApiRoutes } from '../context';
import { processRegistry } from '../../observability/metrics';

/** Prometheus metrics (text exposition format). Needs an API key like every data endpoint. */
const metrics: ApiRoutes = (app, { context }) => {
  app.get(
    '/metrics',
    {
      schema: {
        tags: ['health'],
        operationId: 'getMetrics',
        summary:
          'Prometheus metrics: HTTP requests and latency by route, runs started by definition; Gong requests, 429s, budget waits and token refreshes of workers in this process.',
        response: { 200: z.string().describe('Prometheus text exposition format (text/plain).') },
      },
    },
    // The API's own families, then this process's workers' (Gong calls, budget waits, token refreshes).
    async (_request, reply) =>
      reply
        .type(context.metrics.registry.contentType)
        .send(`${await context.metrics.registry.metrics()}\n${await processRegistry.metrics()}`),
  );
  return Promise.resolve();
};

export default metrics;
