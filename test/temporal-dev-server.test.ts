import { loadConfig } from '../config/load';
import { resolveTemporal } from '../temporal/connection';
import { isServing } from '../temporal/dev-server';

describe('resolveTemporal', () => {
  it('uses the server named by TEMPORAL_ADDRESS instead of starting one', async () => {
    const address = process.env['TEMPORAL_ADDRESS'];
    expect(address).toBeDefined();
    const loaded = loadConfig({ cwd: '/nonexistent-gongflow-dir', env: { TEMPORAL_ADDRESS: address } });
    const logs: string[] = [];
    const endpoint = await resolveTemporal(loaded, { log: (message) => logs.push(message) });
    expect(endpoint.address).toBe(address);
    expect(endpoint.devServer).toBeUndefined();
    expect(logs).toEqual([]);
    expect(await isServing(endpoint.address, 5_000)).toBe(true);
    await endpoint.close();
  });
});
