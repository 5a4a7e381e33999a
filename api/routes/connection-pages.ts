import type { ApiRoutes } from '../context';
import { connectionsPage } from '../pages/connections-page';
import { HTML, HTML_PAGE } from '../pages/data-page-parts';

/**
 * The connections page. Public like the settings and runs pages, for the same reason: it holds no data;
 * its script reads /v1/connections with the API key the operator types in.
 */
const connectionPages: ApiRoutes = (app) => {
  app.get(
    '/connections',
    {
      config: { public: true },
      schema: {
        tags: ['pages'],
        summary: 'Web page: every Gong connection with its status, and a test button.',
        response: { 200: HTML_PAGE },
      },
    },
    (_request, reply) => {
      reply.type(HTML);
      return connectionsPage();
    },
  );
  return Promise.resolve();
};

export default connectionPages;
