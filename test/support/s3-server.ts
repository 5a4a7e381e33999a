/**
 * A real S3-compatible server for tests: moto's server mode (PyPI `moto[server]`), installed on first use
 * into a project-local virtualenv (.tools/moto-<version>/, like the Temporal CLI) and started per test file
 * on a free port. Why moto: it implements S3's REST API itself (SigV4-signed requests, XML errors such as
 * NoSuchKey, ListObjectsV2 paging, the SDK's checksums), installs from a registry package with no download
 * of its own, is kept current with S3 (5.2.5, 2026), and starts in seconds. MinIO, the most faithful, ships
 * as a binary download, not a registry package; npm's s3rver (3.7.1) covers less of the API and is no longer
 * maintained.
 * `npx tsx test/support/s3-server.ts install` installs it ahead of time (CI).
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { PROJECT_ROOT } from '../../temporal/project-root';
import { freePort } from './ports';
import { waitFor } from './wait';

const run = promisify(execFile);

export const MOTO_VERSION = '5.2.5';
const VENV = path.join(PROJECT_ROOT, '.tools', `moto-${MOTO_VERSION}`);
const SERVER = path.join(VENV, 'bin', 'moto_server');

/** Credentials the SDK signs with (moto accepts any); tests pass them to worker processes as AWS_* variables. */
export const S3_TEST_CREDENTIALS = {
  AWS_ACCESS_KEY_ID: 'gongflow-test',
  AWS_SECRET_ACCESS_KEY: 'gongflow-test-secret',
};

export async function installS3Server(): Promise<string> {
  if (existsSync(SERVER)) return SERVER;
  await run('python3', ['-m', 'venv', VENV]);
  await run(
    path.join(VENV, 'bin', 'python'),
    ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', `moto[server]==${MOTO_VERSION}`],
    { maxBuffer: 16 * 1024 * 1024 },
  );
  if (!existsSync(SERVER))
    throw new Error(`moto[server]==${MOTO_VERSION} installed but ${SERVER} is missing`);
  return SERVER;
}

export interface S3TestServer {
  endpoint: string;
  /** A client of the server (path-style, test credentials). */
  client: S3Client;
  /** Creates a bucket of this name. */
  createBucket(name: string): Promise<void>;
  stop(): Promise<void>;
}

export async function startS3Server(): Promise<S3TestServer> {
  const binary = await installS3Server();
  const port = await freePort();
  const child: ChildProcess = spawn(binary, ['-H', '127.0.0.1', '-p', String(port)], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let output = '';
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const endpoint = `http://127.0.0.1:${port}`;
  await waitFor(
    async () => {
      if (child.exitCode !== null) throw new Error(`moto_server exited: ${output}`);
      return (await fetch(`${endpoint}/moto-api/`).catch(() => undefined))?.ok;
    },
    'the S3 test server to answer',
    60_000,
  );
  process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';
  const client = new S3Client({
    endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: {
      accessKeyId: S3_TEST_CREDENTIALS.AWS_ACCESS_KEY_ID,
      secretAccessKey: S3_TEST_CREDENTIALS.AWS_SECRET_ACCESS_KEY,
    },
  });
  return {
    endpoint,
    client,
    async createBucket(name) {
      await client.send(new CreateBucketCommand({ Bucket: name }));
    },
    async stop() {
      client.destroy();
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

if (require.main === module && process.argv[2] === 'install') {
  installS3Server().then(
    (binary) => process.stdout.write(`S3 test server (moto ${MOTO_VERSION}): ${binary}\n`),
    (error: unknown) => {
      process.stderr.write(`installing moto[server] failed: ${String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
