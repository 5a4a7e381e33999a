import { z } from 'zod';
import type { ApiRoutes } from '../context';
import { HTML, HTML_PAGE } from '../pages/data-page-parts';
import { runPage, runsPage } from '../pages/runs-pages';
import { RunIdParamsSchema, RunStatusSchema } from '../schemas';

const RunsPageQuerySchema = z.object({
  definition: z.string().max(200).optional().describe('Start with this definition filter.'),
  status: RunStatusSchema.optional().describe('Start with this status filter.'),
  limit: z.coerce.number().int().min(1).max(1000).optional().describe('Runs per page.'),
});

/**
 * The recent-runs pages. Public like the app settings page, and for the same reason: they hold no data;
 * their scripts read /v1/runs with the API key the operator types in.
 */
const runPages: ApiRoutes = (app) => {
  const tags = ['pages'];
  app.get(
    '/runs',
    {
      config: { public: true },
      schema: {
        tags,
        summary: 'Web page: recent runs, filtered by definition and status, page by page.',
        querystring: RunsPageQuerySchema,
        response: { 200: HTML_PAGE },
      },
    },
    (request, reply) => {
      reply.type(HTML);
      return runsPage({
        ...(request.query.definition ? { definition: request.query.definition } : {}),
        ...(request.query.status ? { status: request.query.status } : {}),
        ...(request.query.limit ? { limit: request.query.limit } : {}),
      });
    },
  );

  app.get(
    '/runs/:id',
    {
      config: { public: true },
      schema: {
        tags,
        summary: 'Web page: one run, its step log and result, and its link to the Temporal UI.',
        params: RunIdParamsSchema,
        response: { 200: HTML_PAGE },
      },
    },
    (request, reply) => {
      reply.type(HTML);
      return runPage({ id: request.params.id });
    },
  );
  return Promise.resolve();
};

export default runPages;
