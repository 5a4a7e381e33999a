/**
 * The API while its Temporal server is down, and after it is back: a clear 503 TEMPORAL_UNAVAILABLE within
 * seconds (not a 500 after the client's retries), and the first request after recovery succeeds. This file
 * runs its own dev server (same SQLite file across the restart), not the shared one.
 */
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../config/load';
import { TemporalApiKeyStore } from '../../api/auth/api-keys';
import { createApiServer } from '../../api/server';
import { StaticConnectionRegistry } from '../../connections/registry';
import { GongflowClient } from '../../client/index';
import { createGongflowClient } from '../../runs/client';
import { resolveTemporal } from '../../temporal/connection';
import { startDevServer, type DevServer } from '../../temporal/dev-server';
import { freePort } from '../support/ports';
import { definitionsFixture } from './support';

jest.setTimeout(180_000);

describe('the API when Temporal is down', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gongflow-outage-'));
  let port: number;
  let uiPort: number;
  let server: DevServer;
  const start = () =>
    startDevServer({
      ip: '127.0.0.1',
      port,
      uiPort,
      dbFile: path.join(dir, 'temporal.sqlite'),
      namespace: 'default',
      cliVersion: '1.9.1',
      log: () => undefined,
    });

  beforeAll(async () => {
    port = await freePort();
    uiPort = await freePort();
    server = await start();
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('answers 503 TEMPORAL_UNAVAILABLE quickly while it is down, and serves again once it is back', async () => {
    const loaded = loadConfig({ cwd: dir, env: { TEMPORAL_ADDRESS: server.address } });
    const endpoint = await resolveTemporal(loaded);
    const temporal = await createGongflowClient({
      endpoint,
      config: loaded.config,
      dataDir: dir,
      retries: 'fail-fast',
    });
    const taskQueue = 'outage';
    const keys = new TemporalApiKeyStore(temporal.client, { taskQueue, cacheTtlMs: 0 });
    const app = await createApiServer({
      config: loaded.config,
      client: temporal.client,
      namespace: 'default',
      taskQueue,
      uiUrl: undefined,
      connections: new StaticConnectionRegistry(),
      definitionsDir: definitionsFixture(),
      dataDir: dir,
      apiKeys: keys,
    });
    try {
      const baseUrl = await app.listen({ host: '127.0.0.1', port: 0 });
      const { key } = await keys.create('outage test');
      // The client gives up after 10 s: the server must answer well before.
      const client = new GongflowClient({ baseUrl, apiKey: key, timeoutMs: 10_000 });
      expect(await client.listRuns()).toEqual([]);

      await server.stop();
      for (const attempt of [client.listRuns(), client.startRun({ definition: 'list-users' })]) {
        await expect(attempt).rejects.toMatchObject({ status: 503, code: 'TEMPORAL_UNAVAILABLE' });
      }

      server = await start();
      // The very first request after recovery succeeds (no failed request while the connection heals).
      await expect(client.listRuns()).resolves.toEqual([]);
    } finally {
      await app.close();
      await temporal.close();
    }
  });
});
