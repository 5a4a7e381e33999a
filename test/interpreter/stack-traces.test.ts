import { randomUUID } from 'node:crypto';
import type { WorkflowHandle } from '@temporalio/client';
import { followRun } from '../../runs/follow';
import { startTestEngine, type TestEngine } from '../support/engine';
import { signal, startPlan, startWorkerProcess, testPlan, tx, waitForProgress, waitSignal } from './support';

jest.setTimeout(300_000); // a worker process bundles workflows on start; shared CI machines are slow

/** Temporal's built-in query behind the UI's "Stack Trace" tab. */
const STACK_TRACE_QUERY = '__stack_trace';

/**
 * Temporal's SDK records the stack of every promise a workflow creates, for the stack trace query alone; on
 * gongflow's interpreter that was a fifth to a third of a workflow task's CPU ("Workflow stack traces" in
 * BENCHMARKS.md). gongflow turns it off (patches/@temporalio+worker+*.patch, applied at install) unless the
 * worker's environment has GONGFLOW_WORKFLOW_STACK_TRACES=1 (docs/observability.md).
 */
describe('workflow stack traces', () => {
  let engine: TestEngine;
  beforeAll(async () => {
    engine = await startTestEngine();
  });
  afterAll(async () => {
    await engine?.close();
  });

  const gatedPlan = () => testPlan([waitSignal('gate', 'go')], { output: tx('"passed"') });

  async function waitAtGate(handle: WorkflowHandle): Promise<void> {
    await waitForProgress(handle, (progress) => progress.current?.includes('gate') === true, 120_000);
  }

  it('are off by default: the query is refused, and the run moves on when signalled', async () => {
    const handle = await startPlan(engine, gatedPlan());
    await waitAtGate(handle);
    // The worker's message ("Workflow stack traces are not enabled on this worker") is encoded, as every
    // failure message of a gongflow worker is (workers/failure-converter.ts).
    await expect(handle.query(STACK_TRACE_QUERY)).rejects.toThrow();
    await signal(handle, 'go');
    expect(await followRun(handle)).toEqual({ status: 'completed', output: 'passed' });
  });

  it('are on in a worker started with GONGFLOW_WORKFLOW_STACK_TRACES=1: the query shows where the run waits', async () => {
    const taskQueue = `stack-traces-${randomUUID()}`;
    const worker = await startWorkerProcess(taskQueue, engine.dataDir, {
      GONGFLOW_WORKFLOW_STACK_TRACES: '1',
    });
    try {
      const handle = await engine.client.workflow.start('orchestration', {
        taskQueue,
        workflowId: `stack-traces-${taskQueue}`,
        args: [{ plan: gatedPlan() }],
      });
      await waitAtGate(handle);
      const stack = await handle.query<string>(STACK_TRACE_QUERY);
      // The waiting signal step, in gongflow's interpreter.
      expect(stack).toContain('workflows/interpreter/');
      expect(stack).toContain('condition');
      await signal(handle, 'go');
      expect(await followRun(handle)).toEqual({ status: 'completed', output: 'passed' });
    } finally {
      worker.kill('SIGTERM');
      await new Promise((resolve) => worker.once('exit', resolve));
    }
  });
});
