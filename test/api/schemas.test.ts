import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import type { FastifyInstance } from 'fastify';
import { createApiServer } from '../../api/server';
import { GongflowConfigSchema } from '../../config/schema';
import { StaticConnectionRegistry } from '../../connections/registry';
import { definitionsFixture } from './support';

const SCHEMA_DIR = path.join(__dirname, '..', '..', 'definitions', 'schema');

describe('the editor schemas served by `gongflow server`', () => {
  // Serving the schemas makes no Temporal call, so a stand-in client will do.
  let app: FastifyInstance;
  let baseUrl: string;
  beforeAll(async () => {
    app = await createApiServer({
      config: GongflowConfigSchema.parse({}),
      client: {} as Client,
      namespace: 'default',
      taskQueue: 'schemas-test',
      connections: new StaticConnectionRegistry(),
      definitionsDir: definitionsFixture(),
      apiKeys: { verify: () => Promise.resolve(undefined) },
    });
    baseUrl = await app.listen({ host: '127.0.0.1', port: 0 });
  });
  afterAll(async () => {
    await app?.close();
  });

  it.each(['definition.schema.json', 'fixtures.schema.json'])(
    'serves %s at the path of its $id, without an API key, equal to the published file',
    async (file) => {
      const published = JSON.parse(readFileSync(path.join(SCHEMA_DIR, file), 'utf8')) as { $id: string };
      const path_ = new URL(published.$id).pathname;
      expect(path_).toBe(`/schema/${file}`);
      const response = await fetch(`${baseUrl}${path_}`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^application\/schema\+json/);
      expect(await response.json()).toEqual(published);
    },
  );
});
