import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startDevServer, type DevServer } from '../temporal/dev-server';
import { chromiumExecutablePath } from './support/browser';
import { freePort } from './support/ports';

/**
 * One Temporal dev server for the whole jest run. Tests find it through TEMPORAL_ADDRESS, exactly the
 * variable users set to point gongflow at a running server. An address already in the environment wins.
 */
export default async function globalSetup(): Promise<void> {
  // Unpacked once here: test files running side by side would otherwise unpack it at the same time.
  process.env['GONGFLOW_TEST_CHROMIUM'] = await chromiumExecutablePath();
  if (process.env['TEMPORAL_ADDRESS']) return;
  const port = await freePort();
  const uiPort = await freePort();
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'gongflow-test-temporal-'));
  const server = await startDevServer({
    ip: '127.0.0.1',
    port,
    uiPort,
    dbFile: path.join(dataDir, 'temporal.sqlite'),
    namespace: 'default',
    cliVersion: '1.9.1',
    log: (message) => process.stderr.write(`[test setup] ${message}\n`),
  });
  process.env['TEMPORAL_ADDRESS'] = server.address;
  // The UI listens on a free port, not the address's port + 1000 that gongflow guesses for a bare address.
  process.env['GONGFLOW_TEST_TEMPORAL_UI_URL'] = server.uiUrl;
  process.env['GONGFLOW_TEST_DEV_SERVER_DATA'] = dataDir;
  (globalThis as { __gongflowDevServer?: DevServer }).__gongflowDevServer = server;
}
