import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import type { TLSConfig } from '@temporalio/common/lib/internal-non-workflow';
import { temporal } from '@temporalio/proto';
import { GongflowError, readFailureReason } from '../core/errors';
import type { LoadedConfig } from '../config/load';
import { startDevServer, type DevServer } from './dev-server';
import { SEARCH_ATTRIBUTES } from './search-attributes';
import { temporalUiCodecEndpoint } from './ui-codec';

export interface TemporalConnectionOptions {
  address: string;
  tls?: TLSConfig;
  apiKey?: string;
}

/** Where Temporal is, decided in one place: a configured server, or the embedded dev server. */
export interface TemporalEndpoint {
  address: string;
  namespace: string;
  /** Options for both `Connection.connect` (client) and `NativeConnection.connect` (worker). */
  connectionOptions: TemporalConnectionOptions;
  /** Base URL of the Temporal Web UI, when known. */
  uiUrl: string | undefined;
  /** Set when gongflow runs (or reuses) the embedded dev server. */
  devServer: DevServer | undefined;
  /** Stops the dev server if this process started it. */
  close(): Promise<void>;
}

export interface ResolveTemporalOptions {
  log?: (message: string) => void;
  /** Keep an embedded dev server running after this process exits. */
  keepDevServer?: boolean;
  /**
   * Codec endpoint for the embedded dev server's Web UI; default: `gongflow server`'s at the configured
   * HTTP address (so the UI shows decrypted payloads while the API runs), none when encryption is off.
   */
  uiCodecEndpoint?: string;
}

export async function resolveTemporal(
  loaded: LoadedConfig,
  options: ResolveTemporalOptions = {},
): Promise<TemporalEndpoint> {
  const log = options.log ?? (() => undefined);
  const settings = loaded.config.temporal;
  const namespace = settings.namespace;

  if (settings.address) {
    const connectionOptions = { address: settings.address, ...securityOptions(loaded) };
    return {
      address: settings.address,
      namespace,
      connectionOptions,
      uiUrl: uiUrlForAddress(settings.address),
      devServer: undefined,
      close: () => Promise.resolve(),
    };
  }

  const dev = settings.devServer;
  const uiCodecEndpoint = options.uiCodecEndpoint ?? temporalUiCodecEndpoint(loaded);
  const devServer = await startDevServer({
    ip: dev.ip,
    port: dev.port,
    uiPort: dev.uiPort,
    dbFile: path.resolve(loaded.dataDir, dev.dbFile),
    namespace,
    cliVersion: dev.cliVersion,
    detached: options.keepDevServer === true,
    log,
    ...(uiCodecEndpoint ? { uiCodecEndpoint } : {}),
  });
  if (!devServer.owned) await registerSearchAttributes(devServer.address, namespace, log);
  return {
    address: devServer.address,
    namespace,
    connectionOptions: { address: devServer.address },
    uiUrl: devServer.uiUrl,
    devServer,
    close: () => (options.keepDevServer ? Promise.resolve() : devServer.stop()),
  };
}

function securityOptions(loaded: LoadedConfig): Omit<TemporalConnectionOptions, 'address'> {
  const { tls, apiKey } = loaded.config.temporal;
  const read = (file: string, key: string): Buffer => {
    const where = path.resolve(loaded.file ? path.dirname(loaded.file) : process.cwd(), file);
    let content: Buffer;
    try {
      content = readFileSync(where);
    } catch (error) {
      throw new GongflowError(
        'CONFIG_TLS_FILE',
        `Cannot read the file of temporal.tls.${key} (${where}): ${readFailureReason(error)}.`,
        {
          hint: `Check the path in temporal.tls.${key} (or its environment variable) and that gongflow may read it.`,
        },
      );
    }
    // The SDK's own error for a file that is not PEM names no setting; its content is never echoed.
    if (!content.includes('-----BEGIN ')) {
      throw new GongflowError(
        'CONFIG_TLS_FILE',
        `The file of temporal.tls.${key} (${where}) is not in PEM format.`,
        {
          hint: 'Give the PEM file (text starting with -----BEGIN ...), as issued with the certificate.',
        },
      );
    }
    return content;
  };
  if ((tls?.clientCertFile === undefined) !== (tls?.clientKeyFile === undefined)) {
    throw new GongflowError(
      'CONFIG_TLS_CLIENT_PAIR',
      'temporal.tls needs both clientCertFile and clientKeyFile for mTLS.',
      {
        hint: 'Set both temporal.tls.clientCertFile and temporal.tls.clientKeyFile (TEMPORAL_TLS_CERT / TEMPORAL_TLS_KEY), or neither.',
      },
    );
  }
  const useTls = tls !== undefined || apiKey !== undefined;
  if (!useTls) return {};
  return {
    tls: {
      serverNameOverride: tls?.serverName,
      serverRootCACertificate: tls?.serverRootCACertFile
        ? read(tls.serverRootCACertFile, 'serverRootCACertFile')
        : undefined,
      clientCertPair:
        tls?.clientCertFile && tls.clientKeyFile
          ? { crt: read(tls.clientCertFile, 'clientCertFile'), key: read(tls.clientKeyFile, 'clientKeyFile') }
          : undefined,
    },
    ...(apiKey ? { apiKey } : {}),
  };
}

function uiUrlForAddress(address: string): string | undefined {
  // A local server started with `temporal server start-dev` serves its UI on the gRPC port + 1000.
  const match = /^(localhost|127\.0\.0\.1):(\d+)$/.exec(address);
  if (!match) return undefined;
  return `http://${match[1]}:${Number(match[2]) + 1000}`;
}

/** Registers gongflow's search attributes on a server gongflow did not start (already-registered is fine). */
export async function registerSearchAttributes(
  address: string,
  namespace: string,
  log: (message: string) => void,
): Promise<void> {
  const connection = await Connection.connect({ address });
  try {
    const indexed = temporal.api.enums.v1.IndexedValueType;
    await connection.operatorService.addSearchAttributes({
      namespace,
      searchAttributes: Object.fromEntries(
        Object.keys(SEARCH_ATTRIBUTES).map((name) => [name, indexed.INDEXED_VALUE_TYPE_KEYWORD]),
      ),
    });
  } catch (error) {
    const message = (error as Error).message;
    if (!/already exists/i.test(message)) log(`Could not register search attributes: ${message}`);
  } finally {
    await connection.close();
  }
}

/** Link to one run in the Temporal Web UI. */
export function runUiUrl(
  endpoint: Pick<TemporalEndpoint, 'uiUrl' | 'namespace'>,
  workflowId: string,
  runId: string,
): string | undefined {
  if (!endpoint.uiUrl) return undefined;
  return `${endpoint.uiUrl}/namespaces/${encodeURIComponent(endpoint.namespace)}/workflows/${encodeURIComponent(workflowId)}/${encodeURIComponent(runId)}/history`;
}
