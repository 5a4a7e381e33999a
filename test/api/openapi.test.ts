import { compileErrors, validate } from '@readme/openapi-parser';
import Ajv2020 from 'ajv/dist/2020';
import type { Client } from '@temporalio/client';
import type { FastifyInstance } from 'fastify';
import { createApiServer } from '../../api/server';
import { GongflowConfigSchema } from '../../config/schema';
import { StaticConnectionRegistry } from '../../connections/registry';
import { definitionsFixture } from './support';

type Media = { schema?: unknown; example?: unknown };
type Operation = {
  operationId?: string;
  tags?: string[];
  summary?: string;
  parameters?: Array<{ in: string; name: string; required?: boolean }>;
  requestBody?: { content?: Record<string, Media> };
  responses?: Record<string, { description?: string; content?: Record<string, Media> }>;
  security?: unknown[];
};
type OpenApiDocument = {
  openapi: string;
  info: { title: string; version: string };
  paths: Record<string, Record<string, Operation>>;
  components: { schemas?: Record<string, unknown>; securitySchemes: Record<string, unknown> };
  security: Array<Record<string, unknown>>;
  servers?: Array<{ url: string; description?: string }>;
  tags?: Array<{ name: string; description?: string }>;
};

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'options', 'head', 'trace'];

describe('the OpenAPI document', () => {
  // The document is built from the routes alone: no Temporal call is made, so a stand-in client will do.
  let app: FastifyInstance;
  let baseUrl: string;
  let document: OpenApiDocument;
  beforeAll(async () => {
    app = await createApiServer({
      config: GongflowConfigSchema.parse({}),
      client: {} as Client,
      namespace: 'default',
      taskQueue: 'openapi-test',
      connections: new StaticConnectionRegistry(),
      definitionsDir: definitionsFixture(),
      apiKeys: { verify: () => Promise.resolve(undefined) },
    });
    // Over a real socket: fastify's inject() loads an ESM-only dependency jest cannot require.
    baseUrl = await app.listen({ host: '127.0.0.1', port: 0 });
    const response = await fetch(`${baseUrl}/openapi.json`);
    expect(response.status).toBe(200);
    document = (await response.json()) as OpenApiDocument;
  });
  afterAll(async () => {
    await app?.close();
  });

  it('validates against the OpenAPI 3.1 specification (@readme/openapi-parser)', async () => {
    // validate() dereferences what it is given: hand it a copy.
    const result = await validate(structuredClone(document) as never);
    if (!result.valid) throw new Error(compileErrors(result));
    expect(result).toMatchObject({ valid: true, specification: 'OpenAPI' });

    // The validator is not a rubber stamp: a broken copy of the same document fails.
    const broken = structuredClone(document) as unknown as {
      paths: Record<string, Record<string, { responses?: unknown }>>;
    };
    delete broken.paths['/v1/runs']!['get']!.responses;
    (broken.paths['/v1/runs/{id}']!['get'] as { parameters?: unknown[] }).parameters = [];
    const refused = await validate(broken as never);
    expect(refused.valid).toBe(false);
  });

  it('is a structurally valid OpenAPI 3.1 document', () => {
    expect(document.openapi).toMatch(/^3\.1\.\d+$/);
    expect(document.info).toMatchObject({
      title: expect.any(String) as unknown,
      version: expect.any(String) as unknown,
    });
    expect(document.components.securitySchemes['apiKey']).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(document.security).toEqual([{ apiKey: [] }]);

    const operationIds: string[] = [];
    for (const [path, item] of Object.entries(document.paths)) {
      expect(path.startsWith('/')).toBe(true);
      const templated = [...path.matchAll(/\{([^}]+)\}/g)].map((match) => match[1]);
      for (const [method, operation] of Object.entries(item)) {
        expect(METHODS).toContain(method);
        if (operation.operationId) operationIds.push(operation.operationId);
        const pathParameters = (operation.parameters ?? []).filter((parameter) => parameter.in === 'path');
        expect(pathParameters.map((parameter) => parameter.name).sort()).toEqual([...templated].sort());
        expect(pathParameters.every((parameter) => parameter.required === true)).toBe(true);
        const statuses = Object.keys(operation.responses ?? {});
        expect(statuses.some((status) => /^(2|3|default)/.test(status))).toBe(true);
        // Every JSON operation (all but pages, redirects and raw webhooks) documents the one error shape.
        const media = [operation.requestBody, ...Object.values(operation.responses ?? {})];
        if (media.some((part) => part?.content?.['application/json'])) {
          expect(statuses).toEqual(expect.arrayContaining(['4XX', '5XX']));
        }
        for (const status of statuses) expect(status).toMatch(/^([1-5]\d\d|[1-5]XX|default)$/);
      }
    }
    expect(new Set(operationIds).size).toBe(operationIds.length);

    // Every $ref points at a component that exists.
    const refs = JSON.stringify(document).match(/"\$ref":"[^"]+"/g) ?? [];
    for (const ref of refs) {
      const target = /"#\/components\/schemas\/([^"]+)"/.exec(ref.replace('"$ref":', ''));
      expect(target).not.toBeNull();
      expect(document.components.schemas?.[decodeURIComponent(target![1]!)]).toBeDefined();
    }
  });

  it('lists exactly the routes the server registered, public ones without a key requirement', () => {
    const documented = Object.entries(document.paths).flatMap(([path, item]) =>
      Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`),
    );
    const registered = app.gongflow.routes
      .filter((route) => !route.hidden)
      .map((route) => `${route.method} ${route.url.replace(/:([A-Za-z0-9_]+)/g, '{$1}')}`);
    expect(documented.sort()).toEqual([...new Set(registered)].sort());
    expect(documented).toEqual(
      expect.arrayContaining([
        'GET /healthz',
        'GET /readyz',
        'GET /metrics',
        'GET /v1/definitions',
        'POST /v1/definitions/validate',
        'GET /v1/definitions/{name}',
        'POST /v1/runs',
        'GET /v1/runs',
        'GET /v1/runs/{id}',
        'GET /v1/runs/{id}/result',
        'GET /v1/runs/{id}/steps',
        'POST /v1/runs/{id}/cancel',
        'POST /v1/runs/{id}/terminate',
        'POST /v1/runs/{id}/signals/{name}',
        'POST /v1/runs/{id}/approvals/{step}',
        'GET /v1/triggers',
        'POST /v1/triggers/pause',
        'POST /v1/triggers/resume',
        'POST /v1/triggers/backfill',
      ]),
    );
    for (const route of app.gongflow.routes.filter((entry) => !entry.hidden)) {
      const operation =
        document.paths[route.url.replace(/:([A-Za-z0-9_]+)/g, '{$1}')]?.[route.method.toLowerCase()];
      if (route.public) expect(operation?.security).toEqual([]);
      else expect(operation?.security).toBeUndefined();
    }
    expect(document.paths['/v1/runs']?.['post']?.parameters).toEqual(
      expect.arrayContaining([expect.objectContaining({ in: 'header', name: 'idempotency-key' })]),
    );
    expect(documented).toEqual(expect.arrayContaining(['GET /runs', 'GET /runs/{id}']));
  });

  it("matches Fastify's own router both ways, and every documented operation answers over HTTP", async () => {
    const operations = Object.entries(document.paths).flatMap(([path, item]) =>
      Object.keys(item).map((method) => ({
        method: method.toUpperCase(),
        path,
        url: path.replace(/\{([^}]+)\}/g, ':$1'),
      })),
    );
    // Documented -> routed, asked of Fastify's router itself (not the list the server keeps).
    for (const { method, url } of operations) {
      expect({ method, url, routed: app.hasRoute({ method: method, url }) }).toMatchObject({
        routed: true,
      });
    }
    // Routed -> documented: every route but those hidden on purpose (the document itself, the codec's UI routes).
    const routed = app.gongflow.routes.filter((route) => !route.hidden);
    expect(routed.length).toBeGreaterThan(30);
    for (const route of routed) {
      expect(operations).toContainEqual(
        expect.objectContaining({ method: route.method, url: route.url }) as unknown,
      );
    }
    // Over HTTP, no documented operation is unknown to the server (it may refuse the request, of course).
    for (const { method, path } of operations) {
      const url = path.replace(/\{([^}]+)\}/g, 'x');
      const response = await fetch(`${baseUrl}${url}`, {
        method,
        redirect: 'manual',
        signal: AbortSignal.timeout(10_000),
        ...(method === 'GET' ? {} : { headers: { 'content-type': 'application/json' }, body: '{}' }),
      });
      const text = await response.text();
      expect({ method, path, notFound: text.includes('API_ROUTE_NOT_FOUND') }).toEqual({
        method,
        path,
        notFound: false,
      });
    }
    const unknown = await fetch(`${baseUrl}/v1/not-documented`);
    expect(((await unknown.json()) as { error: { code: string } }).error.code).toBe('API_ROUTE_NOT_FOUND');
  });

  it('documents every operation: id, tag, summary, what each answer means, and where the server is', () => {
    expect(document.servers).toEqual([{ url: baseUrl, description: expect.any(String) as unknown }]);
    const lacking: string[] = [];
    for (const [path, item] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(item)) {
        const name = `${method.toUpperCase()} ${path}`;
        if (!operation.operationId) lacking.push(`${name}: operationId`);
        if (!operation.tags?.length) lacking.push(`${name}: tag`);
        for (const tag of operation.tags ?? []) {
          if (!document.tags?.some((declared) => declared.name === tag))
            lacking.push(`${name}: tag ${tag} declared`);
        }
        if (!operation.summary) lacking.push(`${name}: summary`);
        for (const [status, response] of Object.entries(operation.responses ?? {})) {
          if (!response.description || response.description === 'Default Response') {
            lacking.push(`${name}: description of ${status}`);
          }
        }
      }
    }
    expect(lacking).toEqual([]);
  });

  it('has request and response examples, and every example matches its schema', () => {
    // The examples are checked against the document's own schemas ($refs into components resolved).
    const ajv = new Ajv2020({ strict: false, validateFormats: false, allErrors: true });
    const check = (schema: unknown, example: unknown): string | undefined => {
      const validate = ajv.compile({ ...(schema as object), components: document.components });
      return validate(example) ? undefined : ajv.errorsText(validate.errors);
    };
    const problems: string[] = [];
    let checked = 0;
    for (const [path, item] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(item)) {
        const name = `${method.toUpperCase()} ${path}`;
        const body = operation.requestBody?.content?.['application/json'];
        const media: Array<[string, Media]> = body ? [['request', body]] : [];
        for (const [status, response] of Object.entries(operation.responses ?? {})) {
          const json = response.content?.['application/json'];
          if (json && status.startsWith('2')) media.push([status, json]);
        }
        for (const [what, { schema, example }] of media) {
          if (example === undefined) {
            problems.push(`${name} ${what}: no example`);
            continue;
          }
          const invalid = check(schema, example);
          if (invalid) problems.push(`${name} ${what}: ${invalid}`);
          checked += 1;
        }
      }
    }
    expect(problems).toEqual([]);
    expect(checked).toBeGreaterThan(40);
    // The check is not a rubber stamp: an example missing a required field is refused.
    const run = document.paths['/v1/runs/{id}']!['get']!.responses!['200']!.content!['application/json']!;
    expect(check(run.schema, { run: { id: 'x' } })).toContain('must have required property');
  });

  it('documents run listing pages and the idempotency conflict', () => {
    const list = document.paths['/v1/runs']?.['get'] as Operation & {
      responses: Record<
        string,
        { content: Record<string, { schema: { properties: Record<string, unknown> } }> }
      >;
    };
    expect(list.parameters).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ in: 'query', name: 'pageToken' }),
        expect.objectContaining({ in: 'query', name: 'limit' }),
      ]),
    );
    expect(Object.keys(list.responses['200']!.content['application/json']!.schema.properties)).toEqual(
      expect.arrayContaining(['runs', 'nextPageToken']),
    );
    const start = JSON.stringify(document.paths['/v1/runs']?.['post']);
    expect(start).toContain('RUN_IDEMPOTENCY_KEY_REUSED');
  });
});
