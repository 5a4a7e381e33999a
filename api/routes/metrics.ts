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
          "Prometheus metrics: HTTP requests and latency by route, runs started by definition, webhook deliveries; of the workers in this process: Gong requests, 429s, budget waits, the daily budget left per company, token refreshes, polls, runs begun and ended by definition and status. Temporal's SDK metrics are on worker.sdkMetricsAddress.",
        response: { 200: z.string().describe('Prometheus text exposition format (text/plain).') },
      },
    },
    // The API's own families, then this process's (its workers': Gong calls, budget, runs; webhook deliveries).
    async (_request, reply) =>
      reply
        .type(context.metrics.registry.contentType)
        .send(`${await context.metrics.registry.metrics()}\n${await processRegistry.metrics()}`),
  );
  return Promise.resolve();
};

export default metrics;
