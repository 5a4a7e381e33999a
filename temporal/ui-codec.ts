import type { LoadedConfig } from '../config/load';
import { loadCipher } from '../workers/payload-codec';

/**
 * The codec endpoint the Temporal UI should use to show encrypted payloads: `gongflow server`'s
 * `/v1/codec/ui/<token>` (api/routes/codec.ts), at http.publicUrl or the configured listen address.
 * Undefined when encryption is off or the address is not known in advance (port 0).
 */
export function temporalUiCodecEndpoint(
  loaded: Pick<LoadedConfig, 'config' | 'dataDir'>,
  listen: { host?: string; port?: number } = {},
): string | undefined {
  const cipher = loadCipher({ settings: loaded.config.encryption, dataDir: loaded.dataDir });
  if (!cipher) return undefined;
  const { http } = loaded.config;
  const port = listen.port ?? http.port;
  const host = listen.host ?? http.host;
  const base =
    http.publicUrl?.replace(/\/+$/, '') ??
    (port === 0 ? undefined : `http://${host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host}:${port}`);
  return base ? `${base}/v1/codec/ui/${cipher.uiCodecToken()}` : undefined;
}
