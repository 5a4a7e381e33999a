/**
 * The environment variables gongflow reads, in one place. Each maps onto a key of `temporal.yaml` and wins
 * over it, so secrets never need to be written in the file.
 */
export interface EnvOverride {
  variable: string;
  path: readonly string[];
  kind: 'string' | 'port';
}

export const ENV_OVERRIDES: readonly EnvOverride[] = [
  { variable: 'TEMPORAL_ADDRESS', path: ['temporal', 'address'], kind: 'string' },
  { variable: 'TEMPORAL_NAMESPACE', path: ['temporal', 'namespace'], kind: 'string' },
  { variable: 'TEMPORAL_API_KEY', path: ['temporal', 'apiKey'], kind: 'string' },
  { variable: 'TEMPORAL_TLS_SERVER_NAME', path: ['temporal', 'tls', 'serverName'], kind: 'string' },
  { variable: 'TEMPORAL_TLS_CA', path: ['temporal', 'tls', 'serverRootCACertFile'], kind: 'string' },
  { variable: 'TEMPORAL_TLS_CERT', path: ['temporal', 'tls', 'clientCertFile'], kind: 'string' },
  { variable: 'TEMPORAL_TLS_KEY', path: ['temporal', 'tls', 'clientKeyFile'], kind: 'string' },
  { variable: 'GONGFLOW_DATA_DIR', path: ['dataDir'], kind: 'string' },
  { variable: 'GONGFLOW_TASK_QUEUE', path: ['worker', 'taskQueue'], kind: 'string' },
  { variable: 'GONGFLOW_LOG_FORMAT', path: ['worker', 'logFormat'], kind: 'string' },
  { variable: 'GONGFLOW_HTTP_PORT', path: ['http', 'port'], kind: 'port' },
  { variable: 'GONGFLOW_GONG_CLIENT_ID', path: ['gong', 'oauthApp', 'clientId'], kind: 'string' },
  { variable: 'GONGFLOW_GONG_CLIENT_SECRET', path: ['gong', 'oauthApp', 'clientSecret'], kind: 'string' },
];

/** Secret of a key-based connection declared in temporal.yaml, e.g. GONGFLOW_CONNECTION_ACME_EU_ACCESS_KEY_SECRET. */
export function connectionSecretVariable(connectionId: string): string {
  return `GONGFLOW_CONNECTION_${connectionId.toUpperCase().replace(/-/g, '_')}_ACCESS_KEY_SECRET`;
}

export const CONFIG_FILE_VARIABLE = 'GONGFLOW_CONFIG';
