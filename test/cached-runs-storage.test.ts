import path from 'node:path';
import { compileDefinition } from '../definitions/compile';
import { startRun } from '../runs/start';
import { startTestEngine, type TestEngine } from './support/engine';
import type { promiseStorageFootprint } from './support/storage-footprint-workflows';
import { waitFor } from './support/wait';

const CACHED_RUNS = 40;

/**
 * Each cached run enables two or three AsyncLocalStorages (cancellation scope, tracing context, ...). With
 * Node's storages, every promise of the thread then carries a store per storage of every cached run: heap
 * and CPU per run grew with the number of runs cached. Shared (workflows/async-local-storage.ts), a promise
 * carries a few whatever that number. Memory itself is measured in `npm run bench` (Cached run memory).
 */
describe('runs cached by a worker', () => {
  let engine: TestEngine;
  beforeAll(async () => {
    engine = await startTestEngine({
      workflowsPath: path.join(__dirname, 'support', 'storage-footprint-workflows.ts'),
    });
  }, 120_000);
  afterAll(async () => {
    await engine?.close();
  });

  it(`do not make a promise carry one store per cached run (${CACHED_RUNS} runs waiting on approvals)`, async () => {
    const compiled = compileDefinition(
      `name: cached-storage\nversion: 1\nsteps:\n  - id: decision\n    approval: Go on?\n    timeout: 1d\n    onTimeout: fail\n`,
      'cached-storage.yaml',
    );
    if (!compiled.ok) throw new Error(JSON.stringify(compiled.problems));
    const handles = await Promise.all(
      Array.from({ length: CACHED_RUNS }, () =>
        startRun(engine.client, { plan: compiled.plan, input: {}, taskQueue: engine.taskQueue }),
      ),
    );
    // Every run has reached its approval (its first workflow task done): all are cached by the worker.
    await waitFor(async () => {
      const lengths = await Promise.all(
        handles.map(async (handle) => (await handle.describe()).historyLength),
      );
      return lengths.every((length) => length >= 5);
    }, 'every run waiting on its approval');

    const footprint = await engine.client.workflow.execute<typeof promiseStorageFootprint>(
      'promiseStorageFootprint',
      {
        workflowId: `storage-footprint-${Date.now()}`,
        taskQueue: engine.taskQueue,
      },
    );
    // Node's own storages: 2-3 per cached run, so 80 or more here.
    expect(footprint).toBeGreaterThanOrEqual(1);
    expect(footprint).toBeLessThanOrEqual(4);
    await Promise.all(handles.map((handle) => handle.terminate('test done')));
  }, 120_000);
});
