import path from 'node:path';
import { loadPlan } from '../../definitions/load';
import { connectionWorkflowId } from '../../connections/model';
import { connectionQuery } from '../../workflows/connection-messages';
import { followRun } from '../../runs/follow';
import { startRun } from '../../runs/start';
import {
  connectHeadless,
  decodedHistoryText,
  startConnectionsHarness,
  type ConnectionsHarness,
} from './harness';

const LIST_USERS = path.resolve(__dirname, '../../definitions/examples/list-users.yaml');

describe('OAuth connections kept in Temporal', () => {
  let harness: ConnectionsHarness;
  beforeAll(async () => {
    harness = await startConnectionsHarness({ accessTokenTtlSeconds: 3 });
  });
  afterAll(async () => {
    await harness?.close();
  });

  it('installs, refreshes before expiry, and runs succeed; no plaintext secret in history', async () => {
    const customer = harness.uniqueId('acme');
    const summary = await connectHeadless(harness, customer);
    expect(summary).toMatchObject({
      id: customer,
      customer,
      authType: 'oauth',
      status: 'active',
      apiBaseUrl: harness.emulator.defaultCompany.apiBaseUrl,
      clientId: harness.oauthApp.clientId,
    });
    expect(summary.scopes).toEqual(['api:users:read', 'api:calls:read:basic']);
    expect(await harness.runtime.resolver.grantedScopes(customer)).toEqual([
      'api:users:read',
      'api:calls:read:basic',
    ]);

    const plan = loadPlan(LIST_USERS);
    for (let round = 0; round < 3; round++) {
      const handle = await startRun(harness.client, {
        plan,
        connectionId: customer,
        taskQueue: harness.taskQueue,
        connections: harness.runtime.resolver,
      });
      const outcome = await followRun(handle, { pollIntervalMs: 50 });
      expect(outcome).toMatchObject({ status: 'completed' });
      // Tokens live 3 s: the next round needs a refreshed one.
      await new Promise((resolve) => setTimeout(resolve, 2_500));
    }
    const view = await harness.client.workflow
      .getHandle(connectionWorkflowId(customer))
      .query(connectionQuery);
    expect(view?.summary.refreshes).toBeGreaterThanOrEqual(2);
    const tokenCalls = harness.emulator.admin.requestLog({ path: '/oauth2/generate-customer-token' });
    expect(tokenCalls.filter((entry) => entry.status !== 200)).toEqual([]);

    // The secrets never appear in plaintext in the connection's history.
    const accessToken = harness.secrets.open(view!.current!.authorization);
    const history = await decodedHistoryText(
      harness.client,
      harness.client.workflow.getHandle(connectionWorkflowId(customer)),
    );
    expect(history).toContain('"refreshToken":"gfs1.');
    expect(history).not.toContain(accessToken);
    expect(history).not.toMatch(/"(accessToken|refreshToken|authorization)":"(?!gfs1\.)/);
  });
});
