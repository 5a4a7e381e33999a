import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { connectionWorkflowId } from '../../connections/model';
import { loadPlan } from '../../definitions/load';
import { followRun } from '../../runs/follow';
import { startRun } from '../../runs/start';
import { connectionQuery } from '../../workflows/connection-messages';
import { connectHeadless, startConnectionsHarness, type ConnectionsHarness } from './harness';

const LIST_USERS = path.resolve(__dirname, '../../definitions/examples/list-users.yaml');

/** A definition that needs api:calls:read:basic. */
function listCallsPlan() {
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'gongflow-scope-')), 'list-calls.yaml');
  writeFileSync(
    file,
    [
      'name: list-calls',
      'version: 1',
      'steps:',
      '  - id: calls',
      '    action: gong.calls.list',
      '    with:',
      "      fromDateTime: '2024-01-01T00:00:00Z'",
      "      toDateTime: '2024-02-01T00:00:00Z'",
      '',
    ].join('\n'),
  );
  return loadPlan(file);
}

describe('connection lifecycle: scopes, revocation, re-auth', () => {
  let harness: ConnectionsHarness;
  beforeAll(async () => {
    harness = await startConnectionsHarness();
  });
  afterAll(async () => {
    await harness?.close();
  });

  it('a run needing a scope the connection lacks fails before it starts, naming scope and fix', async () => {
    const customer = harness.uniqueId('narrow');
    await harness.settings.save(customer, { credentials: { kind: 'ours' }, additionalScopes: [] });
    const connection = await connectHeadless(harness, customer);
    expect(connection.scopes).toEqual(['api:users:read']);
    const plan = listCallsPlan();
    expect(plan.requiredScopes).toContain('api:calls:read:basic');
    const start = startRun(harness.client, {
      plan,
      connectionId: customer,
      taskQueue: harness.taskQueue,
      connections: harness.runtime.resolver,
    });
    await expect(start).rejects.toMatchObject({ code: 'RUN_MISSING_SCOPE' });
    await expect(start).rejects.toThrow(/api:calls:read:basic/);
    await expect(start).rejects.toHaveProperty(
      'hint',
      expect.stringMatching(/app settings.*Gong app.*reconnect/),
    );
  });

  it('a revoked connection: runs are refused at start, and fail typed if started anyway', async () => {
    const customer = harness.uniqueId('revoked');
    await connectHeadless(harness, customer);
    const revoked = await harness.runtime.durable.revoke(customer, 'customer offboarded');
    expect(revoked).toMatchObject({ status: 'revoked', statusReason: 'customer offboarded' });

    const plan = loadPlan(LIST_USERS);
    await expect(
      startRun(harness.client, {
        plan,
        connectionId: customer,
        taskQueue: harness.taskQueue,
        connections: harness.runtime.resolver,
      }),
    ).rejects.toMatchObject({ code: 'CONNECTION_REVOKED' });
    // Without the start check (e.g. a trigger that raced the revocation) the step fails, not retried.
    const handle = await startRun(harness.client, {
      plan,
      connectionId: customer,
      taskQueue: harness.taskQueue,
    });
    const outcome = await followRun(handle, { pollIntervalMs: 50 });
    expect(outcome).toMatchObject({ status: 'failed', failureType: 'ConnectionError' });
    expect((outcome as { message: string }).message).toContain('revoked');

    // Reconnecting brings it back.
    expect(await connectHeadless(harness, customer)).toMatchObject({ status: 'active' });
  });

  it('Gong refusing the refresh token: needs_reauth, typed error, status visible', async () => {
    const customer = harness.uniqueId('reauth');
    await connectHeadless(harness, customer);
    await harness.runtime.resolver.credentials(customer); // caches the token
    // The Gong admin uninstalls the app: every token of the installation dies.
    harness.emulator.admin.revokeOAuth({
      clientId: harness.oauthApp.clientId,
      companyId: harness.emulator.defaultCompany.id,
    });
    await expect(harness.runtime.resolver.reportExpired(customer)).rejects.toMatchObject({
      code: 'CONNECTION_NEEDS_REAUTH',
    });
    const view = await harness.client.workflow
      .getHandle(connectionWorkflowId(customer))
      .query(connectionQuery);
    expect(view?.summary).toMatchObject({ status: 'needs_reauth' });
    expect(view?.summary.statusReason).toContain('invalid_grant');
    await expect(harness.runtime.resolver.credentials(customer)).rejects.toMatchObject({
      code: 'CONNECTION_NEEDS_REAUTH',
    });
    // A run on it (a trigger that raced the refusal) fails as docs/gong-setup.md says: GongAuthError,
    // which `catch: [GongAuthError]` matches, with the way out said once.
    const handle = await startRun(harness.client, {
      plan: loadPlan(LIST_USERS),
      connectionId: customer,
      taskQueue: harness.taskQueue,
    });
    const outcome = await followRun(handle, { pollIntervalMs: 50 });
    expect(outcome).toMatchObject({ status: 'failed', failureType: 'GongAuthError' });
    const message = (outcome as { message: string }).message;
    expect(message.match(/Reconnect it/g)).toHaveLength(1);
    const invalidGrants = harness.emulator.admin
      .requestLog({ path: '/oauth2/generate-customer-token' })
      .filter((entry) => entry.status === 400);
    expect(invalidGrants).toHaveLength(1); // spent once, never retried

    const listed = await harness.runtime.durable.list();
    // Visibility is eventually consistent: the memo catches up within moments.
    for (
      let attempt = 0;
      attempt < 50 && !listed.some((c) => c.id === customer && c.status === 'needs_reauth');
      attempt++
    ) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      listed.splice(0, listed.length, ...(await harness.runtime.durable.list()));
    }
    expect(listed.find((c) => c.id === customer)?.status).toBe('needs_reauth');
  });

  it('unknown connection: CONNECTION_NOT_FOUND', async () => {
    await expect(harness.runtime.resolver.credentials('nobody-here')).rejects.toMatchObject({
      code: 'CONNECTION_NOT_FOUND',
    });
  });
});
