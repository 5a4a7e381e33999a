import { randomBytes } from 'node:crypto';
import { testGongCredentials } from '../../connections/access-keys';
import { GongInstallFlow } from '../../connections/install';
import { connectionWorkflowId, type Sealed } from '../../connections/model';
import { SecretBox } from '../../connections/secrets';
import { TemporalConnections } from '../../connections/temporal-connections';
import { connectionQuery, reportExpiredUpdate } from '../../workflows/connection-messages';
import { decodedHistoryText, startConnectionsHarness, type ConnectionsHarness } from './harness';

jest.setTimeout(120_000);

const OLD_KEY = randomBytes(32);
const NEW_KEY = randomBytes(32);

/** The key id a sealed secret names (`gfs1.<keyId>.<iv>.<body>`). */
function keyIdOf(sealed: string): string | undefined {
  return sealed.split('.')[1];
}

function thrown(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}

/**
 * What the connection entity must keep through its own life: continueAsNew (its state, sealed tokens
 * included, moves to the next run, and refreshes stay single-flight there) and a secrets-key rotation
 * (tokens sealed with the previous key still open; everything sealed afterwards uses the new key).
 */
describe('connection state across continueAsNew and key rotation', () => {
  let harness: ConnectionsHarness;
  /** The rotated deployment: new key first, the old one in GONGFLOW_SECRETS_PREVIOUS_KEYS. */
  const rotated = SecretBox.fromEnvironment({
    dataDir: '/nonexistent-gongflow-secrets',
    env: {
      GONGFLOW_SECRETS_KEY: NEW_KEY.toString('base64'),
      GONGFLOW_SECRETS_PREVIOUS_KEYS: ` ${OLD_KEY.toString('base64')} `,
    },
  });
  const before = new SecretBox(OLD_KEY);

  beforeAll(async () => {
    harness = await startConnectionsHarness({ secrets: rotated });
  });
  afterAll(async () => {
    await harness?.close();
  });

  /** Installs `connectionId` through `connections`, its tokens sealed by `secrets`. */
  async function install(connections: TemporalConnections, connectionId: string, secrets: SecretBox) {
    const flow = new GongInstallFlow({ connections, settings: harness.settings, secrets });
    const { authorizeUrl, state } = await flow.begin({ customer: connectionId });
    const { code } = harness.emulator.admin.authorize({
      clientId: harness.oauthApp.clientId,
      companyId: harness.emulator.defaultCompany.id,
      redirectUri: harness.callbackUrl,
      scopes: new URL(authorizeUrl).searchParams.get('scope')?.split(' ') ?? [],
    });
    return flow.complete({ code, state });
  }

  function refreshesOf(refreshToken?: string) {
    return harness.emulator.admin
      .requestLog({ path: '/oauth2/generate-customer-token' })
      .filter(
        (entry) =>
          entry.query['grant_type'] === 'refresh_token' &&
          (refreshToken === undefined || entry.query['refresh_token'] === refreshToken),
      );
  }

  it('continueAsNew carries the sealed tokens over; refreshes stay single-flight in the new run', async () => {
    const connectionId = harness.uniqueId('can');
    // A short history limit: every refresh adds about ten events, so the entity continues as new often.
    const connections = new TemporalConnections({
      client: harness.client,
      secrets: rotated,
      taskQueue: harness.taskQueue,
      ...(harness.runtime.durable.oauth ? { oauth: harness.runtime.durable.oauth } : {}),
      continueAsNewAfterEvents: 25,
    });
    const installed = await install(connections, connectionId, rotated);
    const handle = harness.client.workflow.getHandle(connectionWorkflowId(connectionId));
    const firstRunId = (await handle.describe()).runId;

    // Refresh (as a 401 "expired" would) until the entity has continued as new at least twice.
    const runIds = new Set([firstRunId]);
    for (let round = 0; round < 10 && runIds.size < 3; round++) {
      await connections.credentials(connectionId);
      await connections.reportExpired(connectionId);
      runIds.add((await handle.describe()).runId);
    }
    expect(runIds.size).toBeGreaterThanOrEqual(3);

    const carried = (await handle.query(connectionQuery))!;
    expect(carried.summary).toMatchObject({
      id: connectionId,
      customer: connectionId,
      status: 'active',
      createdAt: installed.createdAt,
      scopes: installed.scopes,
      apiBaseUrl: installed.apiBaseUrl,
    });
    expect(carried.summary.refreshes).toBeGreaterThanOrEqual(2);
    // The carried access token is the one Gong issued last, and it works.
    const accessToken = rotated.open(carried.current!.authorization);
    expect(
      await testGongCredentials({
        baseUrl: carried.summary.apiBaseUrl,
        authorization: `Bearer ${accessToken}`,
      }),
    ).toMatchObject({ ok: true });
    // The new run started from sealed state only.
    const currentRun = harness.client.workflow.getHandle(connectionWorkflowId(connectionId));
    const history = await decodedHistoryText(harness.client, currentRun);
    expect(history).toContain('"refreshToken":"gfs1.');
    expect(history).not.toContain(accessToken);
    expect(history).not.toMatch(/"(accessToken|refreshToken|authorization)":"(?!gfs1\.)/);

    // Single-flight in the continued run: twenty "worker processes" (each its own cache) are handed the
    // same token, then all report it expired at once, while the entity may be continuing as new again.
    // Gong sees exactly one refresh, and every process ends up with the one new token.
    const generation = carried.current!.generation;
    const processes = Array.from(
      { length: 20 },
      () =>
        new TemporalConnections({ client: harness.client, secrets: rotated, taskQueue: harness.taskQueue }),
    );
    await Promise.all(processes.map((cache) => cache.credentials(connectionId)));
    const refreshesBefore = refreshesOf().length;
    await Promise.all(processes.map((cache) => cache.reportExpired(connectionId)));
    const headers = await Promise.all(
      processes.map(async (cache) => (await cache.credentials(connectionId)).authorization()),
    );
    expect(new Set(headers)).toEqual(
      new Set([`Bearer ${rotated.open((await handle.query(connectionQuery))!.current!.authorization)}`]),
    );
    expect((await handle.query(connectionQuery))!.current!.generation).toBe(generation + 1);
    const after = refreshesOf().slice(refreshesBefore);
    expect(after).toHaveLength(1);
    expect(after[0]).toMatchObject({ status: 200 });
    expect(refreshesOf().filter((entry) => entry.status !== 200)).toEqual([]);
  });

  it('key rotation: tokens sealed with the previous key still open; new seals use the new key', async () => {
    const connectionId = harness.uniqueId('rotate');
    // Installed before the rotation: the tokens are sealed with the old key.
    const old = new TemporalConnections({
      client: harness.client,
      secrets: before,
      taskQueue: harness.taskQueue,
    });
    await install(old, connectionId, before);
    const handle = harness.client.workflow.getHandle(connectionWorkflowId(connectionId));
    const sealedBefore = (await handle.query(connectionQuery))!.current!;
    expect(keyIdOf(sealedBefore.authorization)).toBe(before.keyId);
    expect(keyIdOf(sealedBefore.authorization)).not.toBe(rotated.keyId);

    // After the rotation (this process, and the harness worker, hold the new key plus the old one):
    // the old-sealed access token opens and Gong accepts it...
    const credentials = await harness.runtime.resolver.credentials(connectionId);
    expect(
      await testGongCredentials({
        baseUrl: credentials.baseUrl,
        authorization: await credentials.authorization(),
      }),
    ).toMatchObject({ ok: true });
    // ...and the worker spends the old-sealed refresh token, sealing the new pair with the new key.
    const refreshed = await handle.executeUpdate(reportExpiredUpdate, {
      args: [{ generation: sealedBefore.generation }],
    });
    expect(refreshed.generation).toBe(sealedBefore.generation + 1);
    expect(keyIdOf(refreshed.authorization)).toBe(rotated.keyId);
    expect(thrown(() => before.open(refreshed.authorization))).toMatchObject({ code: 'SECRET_KEY_UNKNOWN' });
    const history = await decodedHistoryText(harness.client, handle);
    const refreshTokens = [...history.matchAll(/"refreshToken":"(gfs1\.[^"]+)"/g)].map((match) => match[1]!);
    expect(keyIdOf(refreshTokens.at(-1)!)).toBe(rotated.keyId);
    expect(rotated.open(refreshTokens.at(-1)! as Sealed)).toBeTruthy();
    expect(refreshesOf().filter((entry) => entry.status !== 200)).toEqual([]);

    // New secrets are sealed with the new key; a process that only has the new key cannot open old ones
    // (the reason GONGFLOW_SECRETS_PREVIOUS_KEYS exists), one with both opens either.
    const sealedNow = rotated.seal('a client secret');
    expect(keyIdOf(sealedNow)).toBe(rotated.keyId);
    const newOnly = new SecretBox(NEW_KEY);
    expect(thrown(() => newOnly.open(sealedBefore.authorization))).toMatchObject({
      code: 'SECRET_KEY_UNKNOWN',
      hint: expect.stringContaining('GONGFLOW_SECRETS_PREVIOUS_KEYS') as unknown,
    });
    expect(rotated.open(before.seal('sealed before'))).toBe('sealed before');
  });
});
