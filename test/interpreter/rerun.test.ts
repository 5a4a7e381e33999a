import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { HttpStepPlan, Plan, StepPlan } from '../../definitions/plan';
import { followRun } from '../../runs/follow';
import { rerunSource } from '../../runs/rerun';
import { startTestEngine, type TestEngine } from '../support/engine';
import { expr, lit, progressOf, saveHistory, set, sleepStep, startPlan, testPlan, tx } from './support';

jest.setTimeout(180_000); // the worker bundles workflows first; shared CI machines are slow

/**
 * Reruns reuse what completed and run the rest: every http step calls a local service that counts calls
 * per path, and the paths named `*-flaky` answer 500 to their first call only (`*-twice`: to the first two;
 * one attempt per step), so
 * each run fails at the next flaky step and the call counts show exactly which steps ran again.
 */
async function startService(): Promise<{ url: string; hits: Map<string, number>; close(): Promise<void> }> {
  const hits = new Map<string, number>();
  const server = http.createServer((request, response) => {
    const path = request.url ?? '';
    const count = (hits.get(path) ?? 0) + 1;
    hits.set(path, count);
    const failing = (path.endsWith('-flaky') && count === 1) || (path.endsWith('-twice') && count <= 2);
    response.writeHead(failing ? 500 : 200, { 'content-type': 'application/json' });
    response.end(JSON.stringify(failing ? { error: 'first call fails' } : { path, call: count }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    hits,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

const once = { maximumAttempts: 1, initialIntervalMs: 10, backoffCoefficient: 1, maximumIntervalMs: 10 };

/** GET <input.base><path>: `path` is a CEL expression. */
const get = (id: string, path: string): StepPlan => {
  const step: HttpStepPlan = {
    id,
    kind: 'http',
    request: { t: 'obj', f: { url: { t: 'expr', e: expr(`input.base + ${path}`) } } },
    activity: { startToCloseTimeoutMs: 10_000, retry: once },
  };
  return step;
};

const base = { input: { base: { type: 'string' as const, required: true } } };

describe('interpreter: rerun from the failed step', () => {
  let engine: TestEngine;
  let service: Awaited<ReturnType<typeof startService>>;
  beforeAll(async () => {
    engine = await startTestEngine();
    service = await startService();
  });
  afterAll(async () => {
    await engine?.close();
    await service?.close();
  });

  /** Runs (or reruns `of`) and waits for the end. */
  async function run(plan: Plan, of?: string, record?: string) {
    const source = of ? await rerunSource(engine.client, of, (query) => query()) : undefined;
    const handle = await startPlan(engine, plan, {
      input: { base: service.url },
      ...(source ? { rerun: source.rerun } : {}),
    });
    const outcome = await followRun(handle, { pollIntervalMs: 200 });
    if (record && process.env['GONGFLOW_RECORD_HISTORIES'] === '1') await saveHistory(handle, record);
    return { ...outcome, id: handle.workflowId, progress: await progressOf(handle) };
  }

  const calls = (path: string): number => service.hits.get(path) ?? 0;

  it('reuses completed steps inside if, parallel branches, forEach iterations and sub-flows, run after run', async () => {
    const child = testPlan([get('c1', '"/child-1"'), get('c2', '"/child-2-flaky"')], {
      ...base,
      name: 'child',
      output: tx('{"c1": steps.c1.output.body.call, "c2": steps.c2.output.body.call}'),
    });
    const plan = testPlan(
      [
        get('first', '"/first"'),
        set('counter', { n: lit(1) }),
        {
          id: 'pick',
          kind: 'if',
          condition: expr('vars.n == 1'),
          then: [get('inner', '"/inner"'), set('branch', { branch: lit('then') })],
          else: [],
        },
        {
          id: 'both',
          kind: 'parallel',
          mode: 'all',
          branches: [
            { id: 'left', steps: [get('l1', '"/left"')] },
            // The pause lets the left branch finish before the right one fails (which cancels it).
            {
              id: 'right',
              steps: [get('r1', '"/right-1"'), sleepStep('pause', 300), get('r2', '"/right-2-flaky"')],
            },
          ],
        },
        {
          id: 'each',
          kind: 'forEach',
          items: expr('[0, 1, 2]'),
          as: 'item',
          concurrency: 1,
          maxItems: 10,
          steps: [
            get('e1', '"/each-" + string(item)'),
            get('e2', '"/check-" + string(item) + (item == 1 ? "-flaky" : "")'),
          ],
          output: tx('steps.e2.output.body.call'),
        },
        { id: 'sub', kind: 'run', plan: child, input: tx('{"base": input.base}') },
        get('last', '"/last"'),
      ],
      {
        ...base,
        output: tx(
          '{"n": vars.n, "branch": vars.branch, "inner": steps.inner.output.body.call, "each": steps.each.output, "sub": steps.sub.output, "last": steps.last.output.body.call}',
        ),
      },
    );

    const original = await run(plan);
    expect(original).toMatchObject({ status: 'failed', failureType: 'HttpStepError' });
    expect(calls('/right-2-flaky')).toBe(1);

    // Rerun 1: everything up to the parallel step is reused; r2 runs again (and passes); item 1 fails.
    const first = await run(plan, original.id, 'rerun');
    expect(first).toMatchObject({ status: 'failed', failureType: 'HttpStepError' });
    expect(first.progress).toMatchObject({ rerunOf: original.id });
    const reused = first.progress.steps.filter((step) => (step as { reused?: boolean }).reused);
    expect(reused.map((step) => step.path ?? step.id)).toEqual(
      expect.arrayContaining([
        'first',
        'counter',
        'pick',
        'both.left/l1',
        'both.right/r1',
        'both.right/pause',
      ]),
    );

    // Rerun 2, of rerun 1: the loop reuses item 0 and item 1's first step; the sub-flow fails in its step 2.
    const second = await run(plan, first.id);
    expect(second).toMatchObject({ status: 'failed', failureType: 'HttpStepError' });

    // Rerun 3: the sub-flow's rerun reuses its step 1; the run completes with every output in place.
    const third = await run(plan, second.id);
    expect(third).toMatchObject({
      status: 'completed',
      output: { n: 1, branch: 'then', inner: 1, each: [1, 2, 1], sub: { c1: 1, c2: 2 }, last: 1 },
    });

    // Each step called its endpoint once, flaky ones twice: nothing that completed ran again.
    expect(Object.fromEntries(service.hits)).toEqual({
      '/first': 1,
      '/inner': 1,
      '/left': 1,
      '/right-1': 1,
      '/right-2-flaky': 2,
      '/each-0': 1,
      '/check-0': 1,
      '/each-1': 1,
      '/check-1-flaky': 2,
      '/each-2': 1,
      '/check-2': 1,
      '/child-1': 1,
      '/child-2-flaky': 2,
      '/last': 1,
    });
  });

  it('a forEach run in batches reuses the batches that completed and the iterations inside the failed one', async () => {
    service.hits.clear();
    const plan = testPlan(
      [
        {
          id: 'many',
          kind: 'forEach',
          items: expr('[0, 1, 2, 3, 4]'),
          as: 'item',
          concurrency: 1,
          maxItems: 10,
          steps: [get('touch', '"/item-" + string(item) + (item == 3 ? "-flaky" : "")')],
          output: tx('steps.touch.output.body.call'),
        },
      ],
      { ...base, output: tx('steps.many.output') },
    );
    const limits = { forEachBatchSize: 2 };
    const handle = await startPlan(engine, plan, { input: { base: service.url }, limits });
    const original = await followRun(handle, { pollIntervalMs: 200 });
    expect(original).toMatchObject({ status: 'failed' });
    const source = await rerunSource(engine.client, handle.workflowId, (query) => query());
    const rerun = await startPlan(engine, plan, {
      input: { base: service.url },
      limits,
      rerun: source.rerun,
    });
    expect(await followRun(rerun, { pollIntervalMs: 200 })).toMatchObject({
      status: 'completed',
      output: [1, 1, 1, 2, 1],
    });
    expect(Object.fromEntries(service.hits)).toEqual({
      '/item-0': 1,
      '/item-1': 1,
      '/item-2': 1,
      '/item-3-flaky': 2,
      '/item-4': 1,
    });
  });

  it('onFailure steps run again when the rerun fails again; a completed wait is not waited again', async () => {
    service.hits.clear();
    const plan = testPlan(
      [sleepStep('coolOff', 200), get('call', '"/call-twice"'), get('after', '"/after"')],
      { ...base, onFailure: [get('notify', '"/notify"')] },
    );
    const original = await run(plan);
    expect(original).toMatchObject({ status: 'failed' });
    const again = await run(plan, original.id);
    expect(again).toMatchObject({ status: 'failed' });
    const passed = await run(plan, again.id);
    expect(passed).toMatchObject({ status: 'completed' });
    for (const rerun of [again, passed]) {
      expect(rerun.progress.steps.find((step) => step.id === 'coolOff')).toMatchObject({ reused: true });
    }
    expect(Object.fromEntries(service.hits)).toEqual({ '/call-twice': 3, '/notify': 2, '/after': 1 });
  });
});
