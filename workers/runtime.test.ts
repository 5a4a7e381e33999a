import net from 'node:net';
import { GongflowError } from '../core/errors';
import { installWorkerRuntime, jsonLogLine, shouldLog } from './runtime';

/** A port another process holds stops the worker with a stable code and what to do, not a native stack. */
it('refuses an SDK metrics address already in use with SDK_METRICS_UNAVAILABLE', async () => {
  const taken = net.createServer();
  await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
  const address = `127.0.0.1:${(taken.address() as net.AddressInfo).port}`;
  try {
    let thrown: unknown;
    try {
      installWorkerRuntime({ logLevel: 'WARN', sdkMetricsAddress: address });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(GongflowError);
    expect(thrown).toMatchObject({
      code: 'SDK_METRICS_UNAVAILABLE',
      message: expect.stringContaining(address) as unknown,
      hint: expect.stringContaining('worker.sdkMetricsAddress') as unknown,
    });
  } finally {
    await new Promise((resolve) => taken.close(resolve));
  }
});

describe('worker log lines', () => {
  it('leaves out the per-run failure lines only when asked to', () => {
    for (const message of ['Activity failed', 'Workflow failed']) {
      expect(shouldLog({ message }, { omitRunFailures: true })).toBe(false);
      expect(shouldLog({ message }, { omitRunFailures: false })).toBe(true);
      expect(shouldLog({ message }, {})).toBe(true);
    }
    expect(shouldLog({ message: 'Workflow task failed' }, { omitRunFailures: true })).toBe(true);
  });

  it('writes JSON lines with errors as name and message, not their stack', () => {
    const line = jsonLogLine({
      level: 'WARN',
      message: 'Activity failed',
      timestampNanos: 1_700_000_000_000_000_000n,
      meta: { workflowId: 'w-1', error: new TypeError('boom'), attempt: 2n },
    });
    expect(JSON.parse(line)).toEqual({
      workflowId: 'w-1',
      error: { name: 'TypeError', message: 'boom' },
      attempt: '2',
      time: '2023-11-14T22:13:20.000Z',
      level: 'WARN',
      message: 'Activity failed',
    });
  });
});
