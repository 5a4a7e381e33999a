import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { StepPlan } from '../../definitions/plan';
import { followRun } from '../../runs/follow';
import { createGongflowWorker } from '../../workers/worker';
import { startTestEngine, type TestEngine } from '../support/engine';
import { signal, startWorkerProcess, testPlan, tx, waitForProgress, waitSignal } from './support';
import { StaticConnectionRegistry } from '../../connections/registry';

jest.setTimeout(300_000); // a worker process bundles workflows on start; shared CI machines are slow

const retry = { maximumAttempts: 5, initialIntervalMs: 100, backoffCoefficient: 1, maximumIntervalMs: 100 };
const call = (id: string, url: string): StepPlan => ({
  id,
  kind: 'http',
  request: { t: 'lit', v: { method: 'POST', url } },
  activity: { startToCloseTimeoutMs: 10_000, retry },
});

describe('interpreter: a worker killed mid-run', () => {
  let engine: TestEngine;
  let server: http.Server;
  let base = '';
  const hits = new Map<string, number>();
  beforeAll(async () => {
    // The engine's own worker polls another task queue: only the process below runs this test's runs.
    engine = await startTestEngine();
    server = http.createServer((request, response) => {
      const key = request.url ?? '';
      hits.set(key, (hits.get(key) ?? 0) + 1);
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ call: key, count: hits.get(key) }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await engine?.close();
    await new Promise((resolve) => server?.close(resolve));
  });

  it('finishes exactly once on a new worker after SIGKILL: completed steps are not run again', async () => {
    const taskQueue = `crash-${Date.now()}`;
    const first = await startWorkerProcess(taskQueue, engine.dataDir);
    const plan = testPlan(
      [call('before', `${base}/before`), waitSignal('gate', 'go'), call('after', `${base}/after`)],
      { output: tx('{"before": steps.before.output.body.count, "after": steps.after.output.body.count}') },
    );
    const handle = await engine.client.workflow.start('orchestration', {
      taskQueue,
      workflowId: `crash-${taskQueue}`,
      args: [{ plan }],
    });
    await waitForProgress(handle, (progress) => progress.current?.includes('gate') === true, 120_000);
    first.kill('SIGKILL');
    await new Promise((resolve) => first.once('exit', resolve));

    const replacement = await createGongflowWorker({
      endpoint: engine.endpoint,
      config: engine.config,
      connections: new StaticConnectionRegistry(),
      taskQueue,
      logLevel: 'WARN',
      dataDir: engine.dataDir,
    });
    const running = replacement.run();
    try {
      await signal(handle, 'go');
      const outcome = await followRun(handle);
      expect(outcome).toEqual({ status: 'completed', output: { before: 1, after: 1 } });
      expect(hits.get('/before')).toBe(1);
      expect(hits.get('/after')).toBe(1);
    } finally {
      await replacement.shutdown();
      await running;
    }
  });
});
