import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Client, WorkflowHandle } from '@temporalio/client';
import type { Payload } from '@temporalio/common';
import { loadConfig } from '../../config/load';
import type { GongflowConfig } from '../../config/schema';
import { AppSettingsStore } from '../../connections/app-settings';
import { GongInstallFlow } from '../../connections/install';
import { createConnectionsRuntime, type ConnectionsRuntime } from '../../connections/runtime';
import { SecretBox } from '../../connections/secrets';
import { startEmulator, type GongEmulator } from '../../emulator';
import { createGongflowClient } from '../../runs/client';
import { CONNECTION_SETTINGS_WORKFLOW_ID } from '../../workflows/connection-settings';
import { resolveTemporal, type TemporalEndpoint } from '../../temporal/connection';
import { createGongflowWorker, type GongflowWorker } from '../../workers/worker';

export const TEST_SCOPES = ['api:users:read', 'api:calls:read:basic', 'api:workspaces:read'];

export interface ConnectionsHarness {
  endpoint: TemporalEndpoint;
  config: GongflowConfig;
  emulator: GongEmulator;
  oauthApp: { clientId: string; clientSecret: string };
  callbackUrl: string;
  client: Client;
  secrets: SecretBox;
  runtime: ConnectionsRuntime;
  settings: AppSettingsStore;
  install: GongInstallFlow;
  taskQueue: string;
  /** The project data folder: the generated payload encryption key (worker processes use it too). */
  dataDir: string;
  /** Unique per harness: connection ids must not collide across test files on the shared dev server. */
  uniqueId(prefix: string): string;
  close(): Promise<void>;
}

export interface HarnessOptions {
  accessTokenTtlSeconds?: number;
  /** Base URL the API server will listen at: the callback URL registered in the Gong app derives from it. */
  publicUrl?: string;
  /** Start an in-process worker (default true). */
  worker?: boolean;
  secrets?: SecretBox;
  emulator?: GongEmulator;
}

/**
 * The emulator with an OAuth app, the shared Temporal dev server, connections kept in Temporal, and a
 * worker whose resolver is the composite one: wired the way a deployment wires it.
 */
export async function startConnectionsHarness(options: HarnessOptions = {}): Promise<ConnectionsHarness> {
  const loaded = loadConfig({
    cwd: '/nonexistent-gongflow-test-cwd',
    env: { TEMPORAL_ADDRESS: process.env['TEMPORAL_ADDRESS'] },
  });
  const endpoint = await resolveTemporal(loaded);
  const emulator =
    options.emulator ??
    (await startEmulator({ port: 0, rateLimits: { perSecond: 10_000, perDay: 1_000_000 } }));
  const publicUrl = options.publicUrl ?? 'http://127.0.0.1:9';
  const callbackUrl = `${publicUrl}/connect/gong/callback`;
  const app = emulator.admin.createOAuthApp({
    name: 'gongflow tests',
    redirectUris: [callbackUrl],
    scopes: TEST_SCOPES,
    accessTokenTtlSeconds: options.accessTokenTtlSeconds ?? null,
  });
  const config: GongflowConfig = {
    ...loaded.config,
    http: { ...loaded.config.http, publicUrl },
    gong: {
      ...loaded.config.gong,
      budget: { ...loaded.config.gong.budget, requestsPerSecond: 1_000, requestsPerDay: 10_000_000 },
      oauthApp: {
        clientId: app.clientId,
        clientSecret: app.clientSecret,
        authorizeUrl: `${emulator.appUrl}/oauth2/authorize`,
        tokenUrl: `${emulator.appUrl}/oauth2/generate-customer-token`,
        scopes: ['api:users:read', 'api:calls:read:basic'],
      },
    },
  };
  const taskQueue = `test-connections-${randomUUID()}`;
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'gongflow-connections-'));
  // Encrypting like every gongflow client (key generated into dataDir): tokens never reach history in clear.
  const temporal = await createGongflowClient({ endpoint, config, dataDir });
  const { client } = temporal;
  const secrets = options.secrets ?? SecretBox.random();
  const runtime = createConnectionsRuntime({
    config,
    dataDir,
    client,
    taskQueue,
    secrets,
  });
  const settings = new AppSettingsStore({
    client,
    secrets,
    taskQueue,
    defaultApp: config.gong.oauthApp,
    callbackUrl,
    workflowId: `${CONNECTION_SETTINGS_WORKFLOW_ID}-${taskQueue}`,
  });
  const install = new GongInstallFlow({ connections: runtime.durable, settings, secrets });
  let worker: GongflowWorker | undefined;
  let running: Promise<void> | undefined;
  if (options.worker !== false) {
    worker = await createGongflowWorker({
      endpoint,
      config,
      connections: runtime.resolver,
      taskQueue,
      logLevel: 'WARN',
      dataDir,
    });
    running = worker.run();
  }
  const suffix = randomUUID().slice(0, 8);
  return {
    endpoint,
    config,
    emulator,
    oauthApp: { clientId: app.clientId, clientSecret: app.clientSecret },
    callbackUrl,
    client,
    secrets,
    runtime,
    settings,
    install,
    taskQueue,
    dataDir,
    uniqueId: (prefix) => `${prefix}-${suffix}`,
    async close() {
      await worker?.shutdown();
      await running;
      await temporal.close();
      if (!options.emulator) await emulator.close();
    },
  };
}

/** Installs the test app for `customer` headlessly: begin -> the emulator approves -> callback. */
export async function connectHeadless(
  harness: ConnectionsHarness,
  customer: string,
  scopes?: string[],
): Promise<Awaited<ReturnType<GongInstallFlow['complete']>>> {
  const { authorizeUrl, state } = await harness.install.begin({ customer });
  const requested = new URL(authorizeUrl).searchParams.get('scope')?.split(' ') ?? [];
  const { code } = harness.emulator.admin.authorize({
    clientId: harness.oauthApp.clientId,
    companyId: harness.emulator.defaultCompany.id,
    redirectUri: harness.callbackUrl,
    scopes: scopes ?? requested,
  });
  return harness.install.complete({ code, state });
}

/**
 * Every payload of a workflow's history as text, decoded by the client's payload codecs (payload
 * encryption): what the workflow's state holds, to check that the secrets in it are sealed.
 */
export async function decodedHistoryText(client: Client, handle: WorkflowHandle): Promise<string> {
  const payloads: Payload[] = [];
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (!node || typeof node !== 'object' || node instanceof Uint8Array) return;
    const record = node as Record<string, unknown>;
    if (record['metadata'] && record['data'] instanceof Uint8Array) payloads.push(record);
    else Object.values(record).forEach(visit);
  };
  visit(await handle.fetchHistory());
  let decoded = payloads;
  for (const codec of [...client.options.loadedDataConverter.payloadCodecs].reverse()) {
    decoded = await codec.decode(decoded);
  }
  return decoded.map((payload) => Buffer.from(payload.data ?? new Uint8Array()).toString('utf8')).join('\n');
}
