/**
 * Journey: an integration team serves two customers from one definition. Each customer's CRM token is a
 * secret of that customer's connection, set through the CLI (piped in) or the HTTP API, never read back.
 * The same definition sends each customer's own token; a connection without one gets the operator-wide
 * secret; a rotation applies to the next run. Asserted on what the CRM (a local HTTP receiver) received.
 */
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { GongflowClient } from '../../client/index';
import {
  apiClient,
  createProject,
  emulatorAdmin,
  startServer,
  type JourneyProject,
  type ServerProcess,
} from './project';

jest.setTimeout(240_000);

const OPERATOR_TOKEN = `operator-${randomUUID()}`;

let project: JourneyProject;
let server: ServerProcess;
let client: GongflowClient;
let crm: http.Server;
/** Authorization headers the CRM received, by the run that sent them (x-run header). */
const received = new Map<string, string>();
const suffix = randomUUID().slice(0, 8);
const acme = `acme-${suffix}`;
const globex = `globex-${suffix}`;
const initech = `initech-${suffix}`;

beforeAll(async () => {
  crm = http.createServer((request, response) => {
    received.set(String(request.headers['x-run']), String(request.headers['authorization']));
    request.resume();
    response.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
  });
  await new Promise<void>((resolve) => crm.listen(0, '127.0.0.1', resolve));
  const { port } = crm.address() as AddressInfo;
  // The CRM is on 127.0.0.1 here, which http steps may reach only when the operator allows it.
  project = createProject('httpSteps:\n  allow: [127.0.0.1]\n');
  project.define(
    'crm-sync.yaml',
    `name: crm-sync
version: 1
input:
  run: { type: string }
steps:
  - id: push
    http:
      method: POST
      url: http://127.0.0.1:${port}/events
      headers:
        authorization: '\${{ "Bearer " + secrets.crmToken }}'
        x-run: \${{ input.run }}
      body: { event: call.processed }
output:
  status: \${{ steps.push.output.status }}
`,
  );
  server = await startServer(project, { env: { GONGFLOW_SECRET_CRM_TOKEN: OPERATOR_TOKEN } });
  client = await apiClient(project, server, 'journey-secrets');
  // Three customers' Gong companies, each connected with its access key.
  const gong = emulatorAdmin(server.emulatorUrl);
  for (const connection of [acme, globex, initech]) {
    const company = await gong.call<{ apiBaseUrl: string; accessKey: string; accessKeySecret: string }>(
      'POST',
      '/companies',
      { name: connection, userCount: 2, callCount: 0 },
    );
    await succeeded(
      [
        'connections',
        'add-key',
        connection,
        '--base-url',
        company.apiBaseUrl,
        '--access-key',
        company.accessKey,
      ],
      { GONGFLOW_ACCESS_KEY_SECRET: company.accessKeySecret },
    );
  }
}, 240_000);

afterAll(async () => {
  await server?.stop();
  await new Promise((resolve) => crm?.close(resolve));
});

async function succeeded(args: string[], env?: Record<string, string>, input?: string): Promise<string> {
  const result = await project.gongflow(args, env, input);
  if (result.code !== 0)
    throw new Error(`gongflow ${args.join(' ')} failed:\n${result.stdout}${result.stderr}`);
  return result.stdout;
}

/** Runs crm-sync on a connection through the API; answers what the CRM received from that run. */
async function tokenSentBy(connection: string): Promise<string | undefined> {
  const run = randomUUID();
  const started = await client.startRun({ definition: 'crm-sync', connection, input: { run } });
  const result = await client.waitForResult(started.run.id);
  expect(result).toMatchObject({ status: 'completed', output: { status: 200 } });
  return received.get(run);
}

async function api(
  method: string,
  route: string,
  body?: unknown,
): Promise<{ status: number; json: unknown }> {
  const created = await project.gongflow([
    'api-keys',
    'create',
    '--name',
    `secrets-${randomUUID()}`,
    '--json',
  ]);
  const { key } = JSON.parse(created.stdout) as { key: string };
  const response = await fetch(`${server.url}${route}`, {
    method,
    headers: {
      authorization: `Bearer ${key}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, json: await response.json() };
}

test('two connections send their own secret from the same definition; others get the operator-wide one', async () => {
  const acmeToken = `acme-token-${randomUUID()}`;
  const globexToken = `globex-token-${randomUUID()}`;
  // acme's through the CLI, piped in as a user would (printf %s "$TOKEN" | gongflow ...).
  await succeeded(['connections', 'secrets', 'set', acme, 'crmToken'], undefined, `${acmeToken}\n`);
  // globex's through the HTTP API.
  const put = await api('PUT', `/v1/connections/${globex}/secrets/crmToken`, { value: globexToken });
  expect(put.status).toBe(200);

  expect(await tokenSentBy(acme)).toBe(`Bearer ${acmeToken}`);
  expect(await tokenSentBy(globex)).toBe(`Bearer ${globexToken}`);
  expect(await tokenSentBy(initech)).toBe(`Bearer ${OPERATOR_TOKEN}`);

  // Never readable back: names and update times only, from the CLI and the API.
  const listed = await succeeded(['connections', 'secrets', 'list', acme, '--json']);
  const { secrets } = JSON.parse(listed) as { secrets: Array<Record<string, unknown>> };
  expect(secrets.map((secret) => Object.keys(secret).sort())).toEqual([['name', 'updatedAt']]);
  expect(secrets[0]?.['name']).toBe('crmToken');
  expect(secrets[0]?.['updatedAt']).toMatch(/^\d{4}-\d\d-\d\dT/);
  const fromApi = await api('GET', `/v1/connections/${globex}/secrets`);
  expect(JSON.stringify(fromApi.json)).not.toContain(globexToken);
  const apiSecrets = (fromApi.json as { secrets: Array<Record<string, unknown>> }).secrets;
  expect(apiSecrets.map((secret) => Object.keys(secret).sort())).toEqual([['name', 'updatedAt']]);
  expect(server.output()).not.toContain(acmeToken);
  expect(server.output()).not.toContain(globexToken);
});

test('a rotation applies to the next run; a removed secret falls back to the operator-wide one', async () => {
  const first = `first-${randomUUID()}`;
  const rotated = `rotated-${randomUUID()}`;
  await succeeded(['connections', 'secrets', 'set', acme, 'crmToken', '--from-env', 'CRM_TOKEN'], {
    CRM_TOKEN: first,
  });
  expect(await tokenSentBy(acme)).toBe(`Bearer ${first}`);
  await succeeded(['connections', 'secrets', 'set', acme, 'crmToken'], undefined, rotated);
  expect(await tokenSentBy(acme)).toBe(`Bearer ${rotated}`);

  await succeeded(['connections', 'secrets', 'remove', acme, 'crmToken']);
  expect(await succeeded(['connections', 'secrets', 'list', acme])).toContain('has no secrets');
  expect(await tokenSentBy(acme)).toBe(`Bearer ${OPERATOR_TOKEN}`);
  const viaApi = await api('PUT', `/v1/connections/${acme}/secrets/crmToken`, { value: first });
  expect(viaApi.status).toBe(200);
  const removed = await api('DELETE', `/v1/connections/${acme}/secrets/crmToken`);
  expect(removed).toEqual({ status: 200, json: { secrets: [] } });
  const again = await api('DELETE', `/v1/connections/${acme}/secrets/crmToken`);
  expect(again.status).toBe(404);
  expect(again.json).toMatchObject({ error: { code: 'CONNECTION_SECRET_NOT_FOUND' } });
});

test('values never come from the command line, and bad names are refused with a fix', async () => {
  const noValue = await project.gongflow(['connections', 'secrets', 'set', acme, 'crmToken']);
  expect(noValue.code).toBe(1);
  expect(noValue.stderr).toContain('CLI_SECRET_MISSING');
  const unknownOption = await project.gongflow([
    'connections',
    'secrets',
    'set',
    acme,
    'crmToken',
    'the-value',
  ]);
  expect(unknownOption.code).not.toBe(0);
  const badName = await project.gongflow(
    ['connections', 'secrets', 'set', acme, 'crm-token'],
    undefined,
    'x',
  );
  expect(badName.code).toBe(1);
  expect(badName.stderr).toMatch(/CONNECTION_SECRET_INVALID[\s\S]*fix:/);
  const unknown = await api('PUT', `/v1/connections/nobody-${suffix}/secrets/crmToken`, { value: 'x' });
  expect(unknown.status).toBe(404);
  expect(unknown.json).toMatchObject({ error: { code: 'CONNECTION_NOT_FOUND' } });
});
