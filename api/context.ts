import type { Client } from '@temporalio/client';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { GongflowConfig } from '../config/schema';
import type { ConnectionResolver } from '../connections/registry';
import type { ApiKeyVerifier } from './auth/api-keys';
import type { SessionSealer } from './console/session';
import type { ApiMetrics } from './metrics';
import type { DefinitionCatalog } from './services/definitions';
import type { RunService } from './services/runs';

/** Everything route plugins may use. Built once per server by createApiServer. */
export interface ApiContext {
  config: GongflowConfig;
  /** Temporal: the only stateful dependency. */
  client: Client;
  namespace: string;
  taskQueue: string;
  uiUrl: string | undefined;
  connections: ConnectionResolver;
  definitions: DefinitionCatalog;
  runs: RunService;
  apiKeys: ApiKeyVerifier;
  metrics: ApiMetrics;
  /** Absolute data folder (dataDir resolved against the configuration file's folder). */
  dataDir: string;
  /** Seals and opens the console's session cookies. */
  sessions: SessionSealer;
  /** Base URL users and Gong reach this server at (http.publicUrl, else the listen address). */
  publicUrl: () => string;
}

/**
 * The plug-in shape of the API: every `api/routes/*.ts` file default-exports one of these, and the server
 * registers them all (sorted by file name). Routes require an API key unless they opt out with
 * `config: { public: true }` (health, OAuth callback, webhooks: they verify their own way).
 */
export type ApiRoutes = FastifyPluginAsyncZod<{ context: ApiContext }>;
