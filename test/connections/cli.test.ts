import { randomBytes } from 'node:crypto';
import { main } from '../../cli/main';
import type { CliOutput } from '../../cli/output';
import { ConnectLinks } from '../../connections/connect-link';
import { SecretBox } from '../../connections/secrets';
import { startConnectionsHarness, type ConnectionsHarness } from './harness';

function capture(): CliOutput & { lines: string[]; documents: unknown[] } {
  const lines: string[] = [];
  const documents: unknown[] = [];
  return {
    lines,
    documents,
    info: (message) => lines.push(message),
    error: (message) => lines.push(message),
    json: (value) => documents.push(value),
  };
}

describe('gongflow connections (CLI)', () => {
  let harness: ConnectionsHarness;
  const saved = { ...process.env };
  beforeAll(async () => {
    const key = randomBytes(32);
    harness = await startConnectionsHarness({ secrets: new SecretBox(key) });
    process.env['GONGFLOW_SECRETS_KEY'] = key.toString('base64');
    process.env['GONGFLOW_TASK_QUEUE'] = harness.taskQueue;
    // The harness's project data folder: the CLI encrypts with the same generated key as its client and worker.
    process.env['GONGFLOW_DATA_DIR'] = harness.dataDir;
    process.env['GONGFLOW_CONFIG'] = '';
  });
  afterAll(async () => {
    process.env = saved;
    await harness?.close();
  });

  it('add-key (tested), list, test, remove; a wrong secret is refused with a fix', async () => {
    const id = harness.uniqueId('cli');
    const company = harness.emulator.defaultCompany;
    const run = async (...args: string[]) => {
      const output = capture();
      const code = await main(['node', 'gongflow', 'connections', ...args], output);
      return { code, output };
    };
    const added = await run(
      'add-key',
      id,
      '--base-url',
      company.apiBaseUrl,
      '--access-key',
      company.accessKey,
      '--access-key-secret',
      company.accessKeySecret,
    );
    expect(added.output.lines.join('\n')).toContain(`Connected "${id}"`);
    expect(added.code).toBe(0);

    const bad = await run(
      'add-key',
      harness.uniqueId('clibad'),
      '--base-url',
      company.apiBaseUrl,
      '--access-key',
      company.accessKey,
      '--access-key-secret',
      'not-the-secret',
    );
    expect(bad.code).toBe(1);
    expect(bad.output.lines.join('\n')).toMatch(/CONNECTION_TEST_FAILED[\s\S]*fix:/);

    const tested = await run('test', id);
    expect(tested.output.lines.join('\n')).toContain('works');

    let listed = await run('list', '--json');
    for (let attempt = 0; attempt < 50; attempt++) {
      const connections = (listed.output.documents[0] as { connections: { id: string }[] }).connections;
      if (connections.some((connection) => connection.id === id)) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
      listed = await run('list', '--json');
    }
    expect(JSON.stringify(listed.output.documents[0])).toContain(`"id":"${id}"`);
    expect(JSON.stringify(listed.output.documents[0])).not.toContain(company.accessKeySecret);

    const removed = await run('remove', id);
    expect(removed.output.lines).toEqual([`Removed "${id}".`]);
  });

  it('connect: refused while no OAuth app is configured (the customer would land on an error page)', async () => {
    const output = capture();
    expect(
      await main(['node', 'gongflow', 'connections', 'connect', harness.uniqueId('noapp')], output),
    ).toBe(1);
    expect(output.lines.join('\n')).toContain('OAUTH_APP_NOT_CONFIGURED');
    expect(output.lines.join('\n')).not.toContain('/connect/gong?');
  });

  it('connect: a signed connect link that expires when asked', async () => {
    process.env['GONGFLOW_GONG_CLIENT_ID'] = harness.oauthApp.clientId;
    process.env['GONGFLOW_GONG_CLIENT_SECRET'] = harness.oauthApp.clientSecret;
    const customer = harness.uniqueId('clilink');
    const output = capture();
    const code = await main(
      [
        'node',
        'gongflow',
        'connections',
        'connect',
        customer,
        '--connection',
        `${customer}-eu`,
        '--expires-in',
        '2h',
        '--json',
      ],
      output,
    );
    expect(code).toBe(0);
    const link = output.documents[0] as { connectUrl: string; connectionId: string; expiresAt: string };
    expect(link.connectionId).toBe(`${customer}-eu`);
    expect(Math.abs(Date.parse(link.expiresAt) - Date.now() - 2 * 3_600_000)).toBeLessThan(60_000);
    // The link verifies with the deployment's key (the server's), for that connection and customer.
    const verified = new ConnectLinks({ secrets: harness.secrets, publicUrl: () => 'http://unused' }).verify(
      Object.fromEntries(new URL(link.connectUrl).searchParams),
    );
    expect(verified).toMatchObject({ connectionId: `${customer}-eu`, customer });

    const tooLong = capture();
    expect(
      await main(['node', 'gongflow', 'connections', 'connect', customer, '--expires-in', '90d'], tooLong),
    ).toBe(1);
    expect(tooLong.lines.join('\n')).toContain('CONNECT_LINK_TTL_INVALID');
  });
});
