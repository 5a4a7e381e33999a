/**
 * Blobs on S3's API, against a real S3-compatible server (moto, test/support/s3-server.ts): two `gongflow
 * worker` processes with different data folders finish one run, the first writing a large result the second
 * reads; and retention deletes the blobs of closed runs while an open run keeps (and reads) its own.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import {
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import type { Client } from '@temporalio/client';
import { parseRunMarker } from '../activities/blob-store';
import { loadConfig } from '../config/load';
import { loadPlan } from '../definitions/load';
import { createGongflowClient } from '../runs/client';
import { startRun } from '../runs/start';
import { resolveTemporal } from '../temporal/connection';
import { blobRetentionScheduleId } from '../workers/blob-retention-schedule';
import { gongflowSignal } from '../workflows/interpreter/signals';
import { GONGFLOW_BIN } from './support/cli';
import { startTestEngine, type TestEngine } from './support/engine';
import { S3_TEST_CREDENTIALS, startS3Server, type S3TestServer } from './support/s3-server';
import { waitFor } from './support/wait';

jest.setTimeout(300_000);

const BUCKET = `gongflow-test-${randomUUID().slice(0, 8)}`;
const ROWS = 3_000;

let s3: S3TestServer;
let reports: http.Server;
let reportUrl: string;
const saved = { ...process.env };

beforeAll(async () => {
  s3 = await startS3Server();
  await s3.createBucket(BUCKET);
  // A report far above the 128 KB blob threshold; its rows carry the run that asked, so blobs differ per run.
  reports = http.createServer((request, response) => {
    const run = new URL(request.url ?? '/', 'http://x').searchParams.get('run') ?? '';
    const rows = Array.from({ length: ROWS }, (_, index) => ({ id: index + 1, run, note: 'x'.repeat(60) }));
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ rows }));
  });
  await new Promise<void>((resolve) => reports.listen(0, '127.0.0.1', resolve));
  reportUrl = `http://127.0.0.1:${(reports.address() as AddressInfo).port}/report`;
  Object.assign(process.env, S3_TEST_CREDENTIALS);
}, 300_000);

afterAll(async () => {
  process.env = saved;
  await new Promise((resolve) => reports?.close(resolve));
  await s3?.stop();
});

function definition(name: string): string {
  return `name: ${name}
version: 1
input:
  run: { type: string }
steps:
  - id: fetch
    http:
      url: ${reportUrl}
      query:
        run: \${{ input.run }}
  - id: go
    waitForSignal: go
    timeout: 1h
  - id: count
    set:
      rows: \${{ size(steps.fetch.output.body.rows) }}
      run: \${{ steps.fetch.output.body.rows[0].run }}
output:
  rows: \${{ vars.rows }}
  run: \${{ vars.run }}
`;
}

async function lastModified(key: string): Promise<number> {
  const head = await s3.client.send(new HeadObjectCommand({ Bucket: BUCKET, Key: key }));
  return head.LastModified!.getTime();
}

async function objectKeys(prefix: string): Promise<string[]> {
  const page = await s3.client.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: prefix }));
  return (page.Contents ?? []).map((object) => object.Key!.slice(prefix.length));
}

describe('two worker processes with separate data folders', () => {
  const prefix = `fleet-${randomUUID().slice(0, 8)}/`;
  const project = mkdtempSync(path.join(os.tmpdir(), 'gongflow-fleet-'));
  const taskQueue = `fleet-${randomUUID()}`;
  // A fleet shares one payload key (GONGFLOW_ENCRYPTION_KEYS), so blobs sealed by one worker open on another.
  const fleetEnv = {
    ...S3_TEST_CREDENTIALS,
    GONGFLOW_ENCRYPTION_KEYS: `fleet:${randomBytes(32).toString('base64')}`,
    GONGFLOW_CONFIG: '',
    GONGFLOW_FROM_SOURCES: '1',
  };
  let temporal: { client: Client; close(): Promise<void> };

  beforeAll(async () => {
    mkdirSync(path.join(project, 'definitions'));
    writeFileSync(path.join(project, 'definitions', 'big-report.yaml'), definition('big-report'));
    writeFileSync(
      path.join(project, 'temporal.yaml'),
      `worker:
  taskQueue: ${taskQueue}
httpSteps:
  allow: [127.0.0.1]
blobs:
  s3:
    bucket: ${BUCKET}
    prefix: ${prefix}
    endpoint: ${s3.endpoint}
    forcePathStyle: true
`,
    );
    process.env['GONGFLOW_ENCRYPTION_KEYS'] = fleetEnv.GONGFLOW_ENCRYPTION_KEYS;
    const loaded = loadConfig({ cwd: project, env: { TEMPORAL_ADDRESS: process.env['TEMPORAL_ADDRESS'] } });
    temporal = await createGongflowClient({
      endpoint: await resolveTemporal(loaded),
      config: loaded.config,
      dataDir: mkdtempSync(path.join(os.tmpdir(), 'gongflow-fleet-client-')),
    });
  });
  const workers: { stop(): Promise<void> }[] = [];
  afterAll(async () => {
    await Promise.all(workers.map((worker) => worker.stop()));
    await temporal?.close();
  });

  /** `gongflow worker` in the project, with a data folder of its own; resolves once it polls. */
  async function startWorker(dataDir: string): Promise<{ stop(): Promise<void> }> {
    const child: ChildProcess = spawn(process.execPath, [GONGFLOW_BIN, 'worker'], {
      cwd: project,
      env: { ...process.env, ...fleetEnv, GONGFLOW_DATA_DIR: dataDir },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    const worker = {
      async stop() {
        if (child.exitCode === null) child.kill('SIGINT');
        await exited;
      },
    };
    workers.push(worker);
    await waitFor(
      () => {
        if (child.exitCode !== null) throw new Error(`gongflow worker exited:\n${output}`);
        return Promise.resolve(output.includes('Worker polling'));
      },
      'gongflow worker to poll',
      180_000,
    );
    return worker;
  }

  it('complete a run whose blob one wrote and the other read, through the S3 server', async () => {
    const dataA = mkdtempSync(path.join(os.tmpdir(), 'gongflow-worker-a-'));
    const dataB = mkdtempSync(path.join(os.tmpdir(), 'gongflow-worker-b-'));
    const workerA = await startWorker(dataA);
    const run = `run-${randomUUID()}`;
    const handle = await startRun(temporal.client, {
      plan: loadPlan(path.join(project, 'definitions', 'big-report.yaml')),
      input: { run },
      taskQueue,
    });
    // Worker A fetched the report (and stored it as a blob); then it leaves and worker B takes over.
    await waitFor(async () => {
      const history = await handle.fetchHistory();
      return history.events?.some((event) => event.activityTaskCompletedEventAttributes);
    }, 'the fetch step to complete');
    await workerA.stop();

    await startWorker(dataB);
    await handle.signal(gongflowSignal, { name: 'go' });
    expect(await handle.result()).toEqual({ rows: ROWS, run });

    // Nothing went to either worker's own folder: the blob exists once, in the bucket, sealed, with the
    // marker of the run that wrote it.
    expect(existsSync(path.join(dataA, 'blobs'))).toBe(false);
    expect(existsSync(path.join(dataB, 'blobs'))).toBe(false);
    const keys = await objectKeys(prefix);
    expect(keys.filter((key) => parseRunMarker(key)?.workflowId === handle.workflowId)).toHaveLength(1);
    const blob = keys.find((key) => /^[0-9a-f]{64}$/.test(key))!;
    const stored = await s3.client.send(new GetObjectCommand({ Bucket: BUCKET, Key: `${prefix}${blob}` }));
    expect(Buffer.from(await stored.Body!.transformToByteArray()).toString('utf8')).not.toContain(run);
  });
});

describe('retention', () => {
  const prefix = `retention-${randomUUID().slice(0, 8)}/`;
  let engine: TestEngine;

  beforeAll(async () => {
    engine = await startTestEngine({
      configure: (config) => ({
        ...config,
        blobs: {
          s3: { bucket: BUCKET, prefix, endpoint: s3.endpoint, region: 'us-east-1', forcePathStyle: true },
          // Runs closed before the sweep expire at once; the sweep itself is triggered below.
          retention: { closedRunDays: 0, sweepEveryHours: 24 },
        },
      }),
    });
  });
  afterAll(async () => {
    await engine?.close();
  });

  it('deletes the blobs of closed runs; an open run keeps its blob and reads it later', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'gongflow-retention-'));
    writeFileSync(path.join(dir, 'report.yaml'), definition('report'));
    const plan = loadPlan(path.join(dir, 'report.yaml'));
    const closed = await startRun(engine.client, {
      plan,
      input: { run: 'closed' },
      taskQueue: engine.taskQueue,
    });
    const open = await startRun(engine.client, { plan, input: { run: 'open' }, taskQueue: engine.taskQueue });
    const markersOf = async (workflowId: string) =>
      (await objectKeys(prefix)).filter((key) => parseRunMarker(key)?.workflowId === workflowId);
    await waitFor(async () => (await markersOf(closed.workflowId)).length === 1, 'the closed run to store');
    await waitFor(async () => (await markersOf(open.workflowId)).length === 1, 'the open run to store');
    await closed.signal(gongflowSignal, { name: 'go' });
    expect(await closed.result()).toEqual({ rows: ROWS, run: 'closed' });
    const blobOf = async (workflowId: string) => parseRunMarker((await markersOf(workflowId))[0]!)!.blobId;
    const closedBlob = await blobOf(closed.workflowId);
    const openBlob = await blobOf(open.workflowId);

    // The sweep keeps blobs written in the second it starts (S3 keeps write times to the second, and that
    // may be a new run writing the same content): wait until the store's clock has left that second.
    const written = await lastModified(`${prefix}${closedBlob}`);
    await waitFor(async () => {
      await s3.client.send(
        new PutObjectCommand({ Bucket: BUCKET, Key: 'clock-probe', Body: new Uint8Array() }),
      );
      return (await lastModified('clock-probe')) > written;
    }, "the S3 server's clock to pass the blob's write time");

    // The schedule the worker created, triggered now instead of at its next interval.
    const schedule = engine.client.schedule.getHandle(blobRetentionScheduleId(engine.taskQueue));
    await schedule.trigger();
    const sweep = await waitFor(async () => {
      const action = (await schedule.describe()).info.recentActions[0]?.action;
      return action?.type === 'startWorkflow' ? action.workflow.workflowId : undefined;
    }, 'the retention sweep to start');
    expect(await engine.client.workflow.getHandle(sweep).result()).toMatchObject({ blobsDeleted: 1 });

    const left = await objectKeys(prefix);
    expect(left).not.toContain(closedBlob);
    expect(await markersOf(closed.workflowId)).toEqual([]);
    expect(left).toContain(openBlob);
    await open.signal(gongflowSignal, { name: 'go' });
    expect(await open.result()).toEqual({ rows: ROWS, run: 'open' });
  });
});
