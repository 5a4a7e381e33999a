import type { ApiRoutes } from '../context';
import { generateDefinitionSchema, DEFINITION_SCHEMA_ID } from '../../definitions/json-schema/definition';
import { generateFixturesSchema, FIXTURES_SCHEMA_ID } from '../../definitions/json-schema/fixtures';
import type { JsonObject } from '../../definitions/json-schema/convert';

/**
 * The editor schemas (docs/editors.md) at the path of their `$id`, so an editor pointed at this server
 * (`$schema=http://host:port/schema/definition.schema.json`) gets the schema of the catalog it runs.
 * Public: they describe the language, not an account. Generated once, on first request, from the same
 * code as the committed files (definitions/generate-schema.ts).
 */
const SCHEMAS: Array<{ id: string; generate: () => JsonObject }> = [
  { id: DEFINITION_SCHEMA_ID, generate: generateDefinitionSchema },
  { id: FIXTURES_SCHEMA_ID, generate: generateFixturesSchema },
];

const schemas: ApiRoutes = (app) => {
  for (const { id, generate } of SCHEMAS) {
    let body: string | undefined;
    app.get(
      new URL(id).pathname,
      // Not an API operation: hidden from /openapi.json like that document itself.
      { schema: { hide: true }, config: { public: true } },
      (_request, reply) => {
        body ??= JSON.stringify(generate());
        return reply
          .type('application/schema+json; charset=utf-8')
          .header('cache-control', 'public, max-age=300')
          .send(body);
      },
    );
  }
  return Promise.resolve();
};

export default schemas;
