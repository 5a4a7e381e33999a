/**
 * Runs by definition and status, as the worker's /metrics counts them: each run once when it begins and once
 * when it ends (completed, failed, cancelled), whatever the number of executions it continued into, and never
 * again when its history is replayed (a query on a closed run, a fresh worker replaying it).
 */
import type { WorkflowHandle } from '@temporalio/client';
import { Worker } from '@temporalio/worker';
import { processRegistry } from '../../observability/metrics';
import { followRun } from '../../runs/follow';
import { workflowBundle } from '../../workers/bundle';
import { workerSinks } from '../../workers/sinks';
import { startTestEngine, type TestEngine } from '../support/engine';
import { metricValue } from '../support/metrics';
import { waitFor } from '../support/wait';
import { fail, progressOf, set, sleepStep, startPlan, testPlan, tx } from '../interpreter/support';

jest.setTimeout(180_000);

let engine: TestEngine;

beforeAll(async () => {
  engine = await startTestEngine({ cipher: null });
});

afterAll(async () => {
  await engine?.close();
});

async function scrape(): Promise<string> {
  return processRegistry.metrics();
}

const ended = (text: string, definition: string, status: string): number =>
  metricValue(text, 'gongflow_runs_ended_total', { definition, status });
const begun = (text: string, definition: string): number =>
  metricValue(text, 'gongflow_runs_begun_total', { definition });

it('counts runs that ended by definition and status, once each, and not again on replay', async () => {
  const passes = testPlan([set('one', { a: tx('1') })], { name: 'metrics-passes' });
  // Three top-level steps, continuing as new between them: three executions, one run.
  const continues = testPlan([sleepStep('first', 1), sleepStep('second', 1), sleepStep('third', 1)], {
    name: 'metrics-passes',
  });
  const fails = testPlan([fail('boom', 'Boom', 'it failed on purpose')], { name: 'metrics-passes' });
  const waits = testPlan([sleepStep('nap', 3_600_000)], { name: 'metrics-waits' });

  const completed = await startPlan(engine, passes);
  const continued = await startPlan(engine, continues, { limits: { continueAsNewAfterEvents: 1 } });
  const failed = await startPlan(engine, fails);
  const cancelled = await startPlan(engine, waits);
  expect(await followRun(completed)).toMatchObject({ status: 'completed' });
  expect(await followRun(continued)).toMatchObject({ status: 'completed' });
  expect((await progressOf(continued)).continuedAsNew).toBe(2);
  expect(await followRun(failed)).toMatchObject({ status: 'failed' });
  await waitFor(
    async () => ((await progressOf(cancelled)).current?.length ?? 0) > 0,
    'the waiting run to be at its sleep',
  );
  await cancelled.cancel();
  await expect(cancelled.result()).rejects.toThrow();
  expect((await cancelled.describe()).status.name).toBe('CANCELLED');

  const counted = await scrape();
  expect(ended(counted, 'metrics-passes', 'completed')).toBe(2);
  expect(ended(counted, 'metrics-passes', 'failed')).toBe(1);
  expect(ended(counted, 'metrics-waits', 'cancelled')).toBe(1);
  expect(begun(counted, 'metrics-passes')).toBe(3);
  expect(begun(counted, 'metrics-waits')).toBe(1);

  // A query on a closed run replays its whole history on the live worker; a fresh worker replays it too.
  for (const handle of [completed, continued, failed, cancelled]) await progressOf(handle);
  for (const handle of [completed, cancelled]) await replay(handle);
  expect(await scrape()).toBe(counted);
});

/** Replays a run's history as a restarted worker would, with the worker's real sink. */
async function replay(handle: WorkflowHandle): Promise<void> {
  await Worker.runReplayHistory(
    { workflowBundle: await workflowBundle(), sinks: workerSinks() },
    await handle.fetchHistory(),
    handle.workflowId,
  );
}
