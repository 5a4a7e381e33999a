import type { WorkflowHandle } from '@temporalio/client';
import { Worker } from '@temporalio/worker';
import type { StepPlan } from '../../definitions/plan';
import { workflowBundle } from '../../workers/bundle';
import { runMetricsSink } from '../../workers/run-metrics-sink';
import { followRun } from '../../runs/follow';
import { startTestEngine, type TestEngine } from '../support/engine';
import { progressOf, startPlan, testPlan, tx, waitForProgress, waitSignal } from './support';

jest.setTimeout(180_000); // the worker bundles workflows first; shared CI machines are slow

/**
 * A run decided by an update must replay: a waiting run is replayed after a worker restart or a cache
 * eviction, and a closed run's step log is read by replaying it. Approvals and signals with a timeout
 * cancel two timers in the update's workflow task (the wait's and the step's), so the history interleaves
 * the update's acceptance and completion with timer cancellations. Each run first gets a refused update
 * (refusals leave no history): that once made the live run and its replays order those commands
 * differently (workflows/tracing-interceptors.ts), so the run completed and `runs show` then had no steps.
 * Replayed here from the fetched history by a fresh worker, as a restarted worker would.
 */
describe('runs decided by an update replay', () => {
  let engine: TestEngine;
  beforeAll(async () => {
    engine = await startTestEngine({ cipher: null });
  });
  afterAll(async () => {
    await engine?.close();
  });

  const HOUR = 3_600_000;

  /** Replays the run's whole history as a fresh worker would (no cache): rejects on non-determinism. */
  async function replay(handle: WorkflowHandle): Promise<void> {
    const history = await handle.fetchHistory();
    // The span exporter sink is the worker's; a replay exports nothing.
    const sinks = { exporter: { export: { fn: () => undefined } }, runMetrics: runMetricsSink() };
    await Worker.runReplayHistory(
      { workflowBundle: await workflowBundle(), sinks },
      history,
      handle.workflowId,
    );
  }

  it('an approval with a timeout: the step log of the completed run still reads', async () => {
    const approve: StepPlan = {
      ...waitSignal('gate', 'gate', { approval: true, timeoutMs: HOUR }),
      approvers: ['ops@acme.example'],
    } as StepPlan;
    const plan = testPlan([approve], {
      output: tx('{"approved": steps.gate.output.approved, "by": steps.gate.output.by}'),
    });
    const handle = await startPlan(engine, plan);
    await waitForProgress(handle, (p) => p.steps.some((s) => s.waiting !== undefined));
    // Refused first (not an approver): the refusal is never written to history, the run keeps waiting.
    await expect(
      handle.executeUpdate('gongflow.approve', {
        args: [{ step: 'gate', approved: true, by: 'mallory@acme.example' }],
      }),
    ).rejects.toThrow();
    await handle.executeUpdate('gongflow.approve', {
      args: [{ step: 'gate', approved: true, by: 'ops@acme.example' }],
    });
    expect(await followRun(handle)).toMatchObject({
      status: 'completed',
      output: { approved: true, by: 'ops@acme.example' },
    });
    const log = await progressOf(handle);
    expect(log.steps.find((s) => s.id === 'gate')).toMatchObject({ status: 'completed' });
    await expect(replay(handle)).resolves.toBeUndefined();
  });

  it('a signal with a timeout: the step log of the completed run still reads', async () => {
    const plan = testPlan([waitSignal('got', 'go', { timeoutMs: HOUR })], {
      output: tx('steps.got.output'),
    });
    const handle = await startPlan(engine, plan);
    await waitForProgress(handle, (p) => p.steps.some((s) => s.waiting !== undefined));
    await expect(
      handle.executeUpdate('gongflow.sendSignal', { args: [{ name: 'nosuch', payload: {} }] }),
    ).rejects.toThrow();
    await handle.executeUpdate('gongflow.sendSignal', { args: [{ name: 'go', payload: { n: 1 } }] });
    expect(await followRun(handle)).toMatchObject({ status: 'completed', output: { n: 1 } });
    const log = await progressOf(handle);
    expect(log.steps.find((s) => s.id === 'got')).toMatchObject({ status: 'completed' });
    await expect(replay(handle)).resolves.toBeUndefined();
  });
});
