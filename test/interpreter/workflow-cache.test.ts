import type { StepPlan } from '../../definitions/plan';
import { followRun } from '../../runs/follow';
import { startTestEngine, type TestEngine } from '../support/engine';
import { waitFor } from '../support/wait';
import { defaultMaxCachedWorkflows } from '../../workers/workflow-cache';
import { startPlan, testPlan, tx, waitForProgress, waitSignal } from './support';

/**
 * `worker.maxCachedWorkflows`: a worker keeps at most that many runs in memory; waiting runs past it are
 * evicted, and replayed from their history when their decision comes, with the same outcome.
 */
let engine: TestEngine;
const CACHE = 2;

beforeAll(async () => {
  engine = await startTestEngine({
    configure: (config) => ({
      ...config,
      worker: { ...config.worker, maxCachedWorkflows: CACHE, maxConcurrentWorkflowTaskExecutions: CACHE },
    }),
  });
});
afterAll(() => engine?.close());

test('runs waiting past the cache are evicted, and an evicted run approved later completes as it would', async () => {
  const approve = {
    ...waitSignal('approve', 'approve', { approval: true }),
    prompt: tx('"Go?"'),
  } as StepPlan;
  const plan = testPlan(
    [
      approve,
      {
        id: 'decide',
        kind: 'set',
        vars: { result: tx('"approved by " + steps.approve.output.by + " for run " + string(input.n)') },
      },
    ],
    { input: { n: { type: 'integer', required: true } }, output: tx('vars.result') },
  );
  const handles = [];
  for (let n = 0; n < 6; n += 1) handles.push(await startPlan(engine, plan, { input: { n } }));
  for (const handle of handles)
    await waitForProgress(handle, (progress) => progress.steps.some((step) => step.waiting !== undefined));
  // Six runs wait; the worker holds at most two of them.
  await waitFor(
    () => Promise.resolve(engine.worker.worker.getStatus().numCachedWorkflows <= CACHE),
    'the cache to hold its size',
    20_000,
  );
  expect(engine.worker.worker.getStatus().numCachedWorkflows).toBeLessThanOrEqual(CACHE);
  // The first run was evicted long ago: its approval replays it, then it goes on.
  await handles[0]!.executeUpdate('gongflow.approve', {
    args: [{ step: 'approve', approved: true, by: 'ann@acme.com' }],
  });
  const outcome = await followRun(handles[0]!);
  expect(outcome).toMatchObject({
    status: 'completed',
    output: 'approved by ann@acme.com for run 0',
  });
  for (const handle of handles.slice(1)) await handle.terminate('test over');
});

test('without worker.maxCachedWorkflows, a worker caches what fits its heap at CACHED_RUN_MIB a run', async () => {
  const defaults = await startTestEngine();
  try {
    const concurrency = defaults.config.worker.maxConcurrentWorkflowTaskExecutions;
    expect(defaults.config.worker.maxCachedWorkflows).toBeUndefined();
    // Not Temporal's default (600 runs a GiB of heap), which ran a worker holding ~2,000 pollers out of heap.
    expect(defaults.worker.worker.options.maxCachedWorkflows).toBe(defaultMaxCachedWorkflows(concurrency));
  } finally {
    await defaults.close();
  }
});
