import path from 'node:path';
import { OpenTelemetryWorkflowClientInterceptor } from '@temporalio/interceptors-opentelemetry/lib/client';
import { Client, Connection, defaultGrpcRetryOptions, makeGrpcRetryInterceptor } from '@temporalio/client';
import type { GongflowConfig } from '../config/schema';
import type { TemporalEndpoint } from '../temporal/connection';
import { explainConnectionFailure } from '../temporal/connection-errors';
import { dataConverterFor, resolveCipher, type Cipher } from '../workers/payload-codec';

export interface GongflowClientOptions {
  endpoint: Pick<TemporalEndpoint, 'connectionOptions' | 'namespace'>;
  config: Pick<GongflowConfig, 'encryption' | 'dataDir'>;
  /** Absolute data folder (for a generated key); default: config.dataDir against the working directory. */
  dataDir?: string;
  /** Payload encryption; default: from config.encryption and GONGFLOW_ENCRYPTION_KEYS. `null`: off. */
  cipher?: Cipher | null;
  /**
   * `fail-fast`: give up on an unreachable Temporal after about a second instead of retrying for ~20 s
   * (the SDK's default). For servers answering requests: their callers should hear 503 at once.
   */
  retries?: 'default' | 'fail-fast';
  /** How long to try to connect before failing (the SDK's default: 10 s). */
  connectTimeoutMs?: number;
}

/** Four attempts (backoff 0.1, 0.2, 0.4 s): enough for a connection that is coming back, not an outage. */
const FAIL_FAST_RETRIES = defaultGrpcRetryOptions({ maxAttempts: 4, factor: 2 });

/**
 * A Temporal client that reads and writes payloads the way gongflow's workers do (encrypted unless
 * `encryption.enabled: false`). Every client that starts, queries or signals runs must come from here:
 * a plain Client would write plaintext into history and could not read encrypted results.
 */
export async function createGongflowClient(
  options: GongflowClientOptions,
): Promise<{ client: Client; close(): Promise<void> }> {
  const dataDir = options.dataDir ?? path.resolve(options.config.dataDir);
  const cipher = resolveCipher(options.cipher, options.config.encryption, dataDir);
  const connection = await Connection.connect({
    ...options.endpoint.connectionOptions,
    ...(options.connectTimeoutMs !== undefined ? { connectTimeout: options.connectTimeoutMs } : {}),
    ...(options.retries === 'fail-fast'
      ? { interceptors: [makeGrpcRetryInterceptor(FAIL_FAST_RETRIES)] }
      : {}),
  }).catch(async (error: unknown) => {
    // A refused certificate or API key becomes an error that names the setting to fix.
    throw await explainConnectionFailure(error, options.endpoint.connectionOptions);
  });
  const dataConverter = dataConverterFor(cipher);
  const client = new Client({
    connection,
    namespace: options.endpoint.namespace,
    dataConverter,
    // A run started inside a traced request (API) continues that trace (observability/tracing.ts).
    interceptors: { workflow: [new OpenTelemetryWorkflowClientInterceptor()] },
  });
  return { client, close: () => connection.close() };
}
