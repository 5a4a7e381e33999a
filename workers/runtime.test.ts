import net from 'node:net';
import { GongflowError } from '../core/errors';
import { installWorkerRuntime } from './runtime';

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
