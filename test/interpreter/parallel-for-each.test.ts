import { startTestEngine, type TestEngine } from '../support/engine';
import {
  fail,
  lit,
  progressOf,
  runPlan,
  set,
  signal,
  sleepStep,
  startPlan,
  testPlan,
  tx,
  expr,
  waitForProgress,
  waitSignal,
} from './support';
import type { StepPlan } from '../../definitions/plan';
import { followRun } from '../../runs/follow';

jest.setTimeout(180_000); // the worker bundles workflows first; shared CI machines are slow

const forEach = (
  id: string,
  items: string,
  steps: StepPlan[],
  extra: Record<string, unknown> = {},
): StepPlan => ({
  id,
  kind: 'forEach',
  items: expr(items),
  as: 'item',
  concurrency: 4,
  maxItems: 100,
  steps,
  ...extra,
});

describe('interpreter: parallel and forEach', () => {
  let engine: TestEngine;
  beforeAll(async () => {
    engine = await startTestEngine();
  });
  afterAll(async () => {
    await engine?.close();
  });

  it('parallel all: every branch runs, output keyed by branch, branch outputs visible as steps', async () => {
    const plan = testPlan(
      [
        {
          id: 'both',
          kind: 'parallel',
          mode: 'all',
          branches: [
            { id: 'a', steps: [sleepStep('waitA', 20), set('setA', { a: lit(1) })] },
            { id: 'b', steps: [set('setB', { b: lit(2) })] },
          ],
        },
      ],
      { output: tx('{"both": steps.both.output, "a": steps.setA.output.a, "vars": vars}') },
    );
    const outcome = await runPlan(engine, plan, {}, 'parallel-all');
    expect(outcome).toMatchObject({
      status: 'completed',
      output: { both: { a: { a: 1 }, b: { b: 2 } }, a: 1, vars: { a: 1, b: 2 } },
    });
  });

  it('parallel all: the first failure cancels the other branches and fails the step with its type', async () => {
    const plan = testPlan([
      {
        id: 'both',
        kind: 'parallel',
        mode: 'all',
        branches: [
          { id: 'slow', steps: [waitSignal('forever', 'never')] },
          { id: 'bad', steps: [sleepStep('pause', 10), fail('boom', 'BranchError', 'branch b failed')] },
        ],
      },
    ]);
    const outcome = await runPlan(engine, plan, {}, 'parallel-all-failure');
    expect(outcome).toMatchObject({ status: 'failed', failureType: 'BranchError' });
    const progress = await progressOf(outcome.handle);
    expect(progress.steps.find((step) => step.id === 'forever')).toMatchObject({
      status: 'failed',
      errorType: 'CancelledError',
    });
  });

  it('parallel race: the first branch to finish wins and the others are cancelled', async () => {
    const plan = testPlan(
      [
        {
          id: 'race',
          kind: 'parallel',
          mode: 'race',
          branches: [
            { id: 'slow', steps: [waitSignal('forever', 'never')] },
            { id: 'fast', steps: [sleepStep('pause', 10), set('won', { winner: lit('fast') })] },
          ],
        },
      ],
      { output: tx('steps.race.output') },
    );
    const outcome = await runPlan(engine, plan, {}, 'parallel-race');
    expect(outcome).toMatchObject({
      status: 'completed',
      output: { winner: 'fast', output: { winner: 'fast' } },
    });
    const progress = await progressOf(outcome.handle);
    expect(progress.steps.find((step) => step.id === 'forever')).toMatchObject({
      errorType: 'CancelledError',
    });
  });

  it('parallel settled: waits for every branch and reports each outcome', async () => {
    const plan = testPlan(
      [
        {
          id: 'all',
          kind: 'parallel',
          mode: 'settled',
          branches: [
            { id: 'bad', steps: [fail('boom', 'BranchError', 'nope')] },
            { id: 'good', steps: [sleepStep('pause', 10), set('ok', { ok: lit(true) })] },
          ],
        },
      ],
      { output: tx('steps.all.output') },
    );
    const outcome = await runPlan(engine, plan, {}, 'parallel-settled');
    expect(outcome).toMatchObject({
      status: 'completed',
      output: {
        bad: { status: 'failed', error: { type: 'BranchError', message: 'nope' } },
        good: { status: 'completed', output: { ok: true } },
      },
    });
  });

  it('forEach: outputs in item order with item and index bound; iterations have their own vars', async () => {
    const plan = testPlan(
      [
        set('init', { total: lit(0) }),
        forEach('double', 'input.items', [set('calc', { total: tx('item * 2') })], {
          output: tx('{"i": itemIndex, "v": vars.total}'),
        }),
      ],
      {
        input: { items: { type: 'array', required: true } },
        output: tx('{"each": steps.double.output, "total": vars.total}'),
      },
    );
    const outcome = await runPlan(engine, plan, { input: { items: [3, 1, 2] } }, 'for-each');
    expect(outcome).toMatchObject({
      status: 'completed',
      output: {
        each: [
          { i: 0, v: 6 },
          { i: 1, v: 2 },
          { i: 2, v: 4 },
        ],
        total: 0,
      },
    });
  });

  it('forEach: never more than `concurrency` iterations at once', async () => {
    const plan = testPlan([forEach('each', 'input.items', [waitSignal('gate', 'go')], { concurrency: 2 })], {
      input: { items: { type: 'array', required: true } },
      output: tx('size(steps.each.output)'),
    });
    const handle = await startPlan(engine, plan, { input: { items: [1, 2, 3, 4, 5] } });
    const waiting = await waitForProgress(
      handle,
      (progress) =>
        progress.steps.filter((step) => step.id === 'gate' && step.status === 'running').length === 2,
    );
    expect(waiting.steps.filter((step) => step.id === 'gate').length).toBe(2);
    for (let index = 0; index < 5; index++) await signal(handle, 'go', { index });
    const outcome = await followRun(handle);
    expect(outcome).toMatchObject({ status: 'completed', output: 5 });
    const progress = await progressOf(handle);
    expect(progress.steps.filter((step) => step.id === 'gate' && step.status === 'completed').length).toBe(5);
  });

  it('forEach: more items than maxItems fail before any iteration; a failing iteration fails the step', async () => {
    const tooMany = testPlan([forEach('each', '[1, 2, 3]', [set('x', { x: tx('item') })], { maxItems: 2 })]);
    expect(await runPlan(engine, tooMany)).toMatchObject({
      status: 'failed',
      failureType: 'ForEachLimitError',
    });

    const failing = testPlan([
      forEach('each', '[1, 2, 3, 4]', [
        { ...fail('boom', 'ItemError', 'item 3 is bad'), when: expr('item == 3') },
      ]),
    ]);
    expect(await runPlan(engine, failing)).toMatchObject({ status: 'failed', failureType: 'ItemError' });
  });

  it('forEach over more items than the batch size runs batches in child workflows, outputs in order', async () => {
    const plan = testPlan(
      [forEach('each', 'input.items', [set('calc', { v: tx('item + 100') })], { output: tx('vars.v') })],
      { input: { items: { type: 'array', required: true } }, output: tx('steps.each.output') },
    );
    const items = Array.from({ length: 10 }, (_, index) => index);
    const outcome = await runPlan(
      engine,
      plan,
      { input: { items }, limits: { forEachBatchSize: 3 } },
      'for-each-batches',
    );
    expect(outcome).toMatchObject({ status: 'completed', output: items.map((item) => item + 100) });
    const history = await outcome.handle.fetchHistory();
    const children =
      history.events?.filter((event) => event.startChildWorkflowExecutionInitiatedEventAttributes) ?? [];
    expect(
      children.map((event) => event.startChildWorkflowExecutionInitiatedEventAttributes?.workflowType?.name),
    ).toEqual(['forEachBatch', 'forEachBatch', 'forEachBatch', 'forEachBatch']);
  });
});
