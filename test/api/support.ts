import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { TemporalApiKeyStore } from '../../api/auth/api-keys';
import { createApiServer } from '../../api/server';
import { GongflowClient } from '../../client/index';
import type { ConnectionResolver } from '../../connections/registry';
import type { TestEngine } from '../support/engine';

export const LIST_USERS = path.resolve(__dirname, '../../definitions/examples/list-users.yaml');

/** A definitions folder with the list-users example and one broken definition. */
export function definitionsFixture(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gongflow-api-definitions-'));
  copyFileSync(LIST_USERS, path.join(dir, 'list-users.yaml'));
  writeFileSync(
    path.join(dir, 'broken.yaml'),
    'name: broken\nversion: 1\nsteps:\n  - id: first\n    action: gong.nope.list\n',
  );
  return dir;
}

export interface TestApi {
  app: FastifyInstance;
  baseUrl: string;
  keys: TemporalApiKeyStore;
  apiKey: string;
  client: GongflowClient;
}

/** The API server in process, over the test engine's Temporal client, worker task queue and connections. */
export async function startTestApi(
  engine: TestEngine,
  options: {
    taskQueue?: string;
    definitionsDir?: string;
    stepLogTimeoutMs?: number;
    uiUrl?: string;
    /** Default: the engine's static registry (connection "emulator"). */
    connections?: ConnectionResolver;
    unknownKeyLimit?: { windowMs: number; maxFailures: number };
  } = {},
): Promise<TestApi> {
  const taskQueue = options.taskQueue ?? engine.taskQueue;
  // No verification cache in tests, so a revoked key is refused at once.
  const keys = new TemporalApiKeyStore(engine.client, { taskQueue, cacheTtlMs: 0 });
  const app = await createApiServer({
    config: engine.config,
    client: engine.client,
    namespace: engine.endpoint.namespace,
    taskQueue,
    // The shared test dev server's real Web UI (global-setup), so run links can be followed.
    uiUrl: options.uiUrl ?? process.env['GONGFLOW_TEST_TEMPORAL_UI_URL'] ?? engine.endpoint.uiUrl,
    connections: options.connections ?? engine.connections,
    definitionsDir: options.definitionsDir ?? definitionsFixture(),
    // Secrets the server keeps (connection keys) go to a private folder, never the working directory.
    dataDir: mkdtempSync(path.join(os.tmpdir(), 'gongflow-api-data-')),
    apiKeys: keys,
    ...(options.stepLogTimeoutMs !== undefined ? { stepLogTimeoutMs: options.stepLogTimeoutMs } : {}),
    ...(options.unknownKeyLimit ? { unknownKeyLimit: options.unknownKeyLimit } : {}),
  });
  const baseUrl = await app.listen({ host: '127.0.0.1', port: 0 });
  const { key } = await keys.create('api test');
  return { app, baseUrl, keys, apiKey: key, client: new GongflowClient({ baseUrl, apiKey: key }) };
}

/** Polls until `check` returns a value (visibility is eventually consistent); no fixed sleeps. */
export async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
