/**
 * gongflow on a Temporal server that requires TLS, mTLS or an API key (as a self-hosted cluster or Temporal
 * Cloud does): the tests' dev server behind a TLS-terminating gRPC proxy (test/support/tls-proxy.ts) with
 * certificates generated for this run. A project's temporal.yaml, written the way docs/deploy.md tells
 * users to, points at the proxy; `gongflow dev` (a worker and a client in one process, the Gong emulator)
 * runs a definition through it end to end, and a misconfigured connection fails with a clear error.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import { createProject, type JourneyProject } from './journeys/project';
import type { CliResult } from './support/cli';
import { writeWorkflowBundle, BUNDLE_FILE_VARIABLE } from '../workers/bundle';
import { generateTestPki, type TestPki } from './support/tls-certs';
import { startTlsProxy, type ProxyMode, type TlsProxy } from './support/tls-proxy';

jest.setTimeout(120_000);

const API_KEY = 'tls-test-api-key-6f1c2a';
const WRONG_API_KEY = 'tls-test-api-key-revoked-93be';

const DEFINITION = `
name: tls-check
version: 1
steps:
  - id: users
    action: gong.users.list
    with: { maxItems: 2 }
output:
  listed: \${{ size(steps.users.output.users) }}
`;

let pki: TestPki;
let bundleFile: string;
const proxies: TlsProxy[] = [];

beforeAll(async () => {
  // The server certificate carries the name the documented block gives in temporal.tls.serverName.
  pki = await generateTestPki(
    String((documentedConfig('TLS with your own CA')['tls'] as { serverName: string }).serverName),
  );
  // One workflow bundle for every `gongflow dev` process of this file (bundling is the slow part).
  bundleFile = path.join(mkdtempSync(path.join(os.tmpdir(), 'gongflow-tls-bundle-')), 'workflows.js');
  await writeWorkflowBundle(bundleFile);
});

afterAll(async () => {
  await Promise.all(proxies.map((proxy) => proxy.close()));
});

async function proxyFor(mode: ProxyMode): Promise<TlsProxy> {
  const proxy = await startTlsProxy({
    upstream: process.env['TEMPORAL_ADDRESS']!,
    cert: pki.pem.serverCert,
    key: pki.pem.serverKey,
    mode,
  });
  proxies.push(proxy);
  return proxy;
}

/** The `temporal.yaml` blocks of docs/deploy.md's Temporal Cloud / TLS section, by their first comment. */
function documentedConfig(kind: 'mTLS' | 'API key' | 'TLS with your own CA'): Record<string, unknown> {
  const doc = readFileSync(path.resolve(__dirname, '../docs/deploy.md'), 'utf8');
  const fence = /^```yaml\n# ([^:\n]+)[^\n]*\n([\s\S]*?)^```/gm;
  for (let match = fence.exec(doc); match; match = fence.exec(doc)) {
    if (match[1] === kind) return (parse(match[2]!) as { temporal: Record<string, unknown> }).temporal;
  }
  throw new Error(`docs/deploy.md has no temporal.yaml block "# ${kind}: ..."`);
}

/**
 * A project with the documented block as its temporal.yaml: the address is the proxy's, the namespace the
 * tests' server's; `trustTestCa` adds the test CA to a block that relies on public CAs. The generated PEM
 * files are copied to the relative paths the documentation uses (certs/...).
 */
function documentedProject(
  kind: Parameters<typeof documentedConfig>[0],
  proxy: TlsProxy,
  adjust: (tls: Record<string, string>) => Record<string, string> = (tls) => tls,
): JourneyProject {
  const { namespace: _namespace, tls, ...temporal } = documentedConfig(kind);
  const documentedTls = (tls ?? {}) as Record<string, string>;
  const trusted = documentedTls['serverRootCACertFile']
    ? documentedTls
    : { serverName: pki.serverName, serverRootCACertFile: 'certs/ca.pem', ...documentedTls };
  const project = createProject(
    stringify({ temporal: { ...temporal, address: proxy.address, tls: adjust(trusted) } }),
  );
  mkdirSync(path.join(project.dir, 'certs'));
  copyFileSync(pki.caCertFile, path.join(project.dir, 'certs/ca.pem'));
  copyFileSync(pki.clientCertFile, path.join(project.dir, 'certs/client.pem'));
  copyFileSync(pki.clientKeyFile, path.join(project.dir, 'certs/client.key'));
  project.define('tls-check.yaml', DEFINITION);
  return project;
}

/** `gongflow dev` on the project's definition, with the tests' address taken out of the environment. */
function dev(project: JourneyProject, env: Record<string, string | undefined> = {}) {
  return project.gongflow(['dev', 'definitions/tls-check.yaml'], {
    TEMPORAL_ADDRESS: undefined,
    TEMPORAL_API_KEY: undefined,
    [BUNDLE_FILE_VARIABLE]: bundleFile,
    ...env,
  });
}

const WORKFLOW_SERVICE = '/temporal.api.workflowservice.v1.WorkflowService';

/** The worker (polls, native connection) and the client (start) both reached Temporal through the proxy. */
function expectWorkerAndClientThrough(proxy: TlsProxy): void {
  expect(proxy.forwarded.get(`${WORKFLOW_SERVICE}/PollWorkflowTaskQueue`)).toBeGreaterThan(0);
  expect(proxy.forwarded.get(`${WORKFLOW_SERVICE}/StartWorkflowExecution`)).toBeGreaterThan(0);
}

/** A failed start: exit 1, the error's code, its fix, and no secret in anything printed. */
function expectFailure(result: CliResult, code: string, fix: RegExp): void {
  const printed = result.stdout + result.stderr;
  expect({ code: result.code, printed }).toMatchObject({ code: 1 });
  expect(printed).toContain(`error ${code}: `);
  expect(printed).toMatch(new RegExp(`fix: .*${fix.source}`));
  expect(printed).not.toContain(API_KEY);
  expect(printed).not.toContain(WRONG_API_KEY);
  expect(printed).not.toMatch(/PRIVATE KEY|unexpectedly/);
}

describe('gongflow on a Temporal server that requires TLS, as docs/deploy.md configures it', () => {
  let tlsProxy: TlsProxy;
  let mtlsProxy: TlsProxy;
  let apiKeyProxy: TlsProxy;

  beforeAll(async () => {
    tlsProxy = await proxyFor({ kind: 'tls' });
    mtlsProxy = await proxyFor({ kind: 'mtls', clientCa: pki.pem.ca });
    apiKeyProxy = await proxyFor({ kind: 'api-key', apiKey: API_KEY });
  });

  test('TLS with your own CA: a run completes through the proxy', async () => {
    const result = await dev(documentedProject('TLS with your own CA', tlsProxy));
    expect(result).toMatchObject({ code: 0 });
    expect(result.stdout).toContain('"listed": 2');
    expectWorkerAndClientThrough(tlsProxy);
  });

  test('mTLS: a run completes with the client certificate', async () => {
    const result = await dev(documentedProject('mTLS', mtlsProxy));
    expect(result).toMatchObject({ code: 0 });
    expect(result.stdout).toContain('"listed": 2');
    expectWorkerAndClientThrough(mtlsProxy);
    expect([...mtlsProxy.clientNames]).toEqual(['gongflow-worker']);
  });

  test('API key: a run completes with TEMPORAL_API_KEY', async () => {
    const result = await dev(documentedProject('API key', apiKeyProxy), { TEMPORAL_API_KEY: API_KEY });
    expect(result).toMatchObject({ code: 0 });
    expect(result.stdout).toContain('"listed": 2');
    expectWorkerAndClientThrough(apiKeyProxy);
    expect(apiKeyProxy.refused).toBe(0);
  });

  test('a CA that did not sign the server certificate: TEMPORAL_TLS_UNTRUSTED', async () => {
    const project = documentedProject('TLS with your own CA', tlsProxy, (tls) => ({
      ...tls,
      serverRootCACertFile: pki.otherCaCertFile,
    }));
    expectFailure(await dev(project), 'TEMPORAL_TLS_UNTRUSTED', /serverRootCACertFile/);
  });

  test('a serverName the certificate does not hold: TEMPORAL_TLS_NAME_MISMATCH', async () => {
    const project = documentedProject('TLS with your own CA', tlsProxy, (tls) => ({
      ...tls,
      serverName: 'elsewhere.internal',
    }));
    expectFailure(await dev(project), 'TEMPORAL_TLS_NAME_MISMATCH', /serverName/);
  });

  test('mTLS without a client certificate: TEMPORAL_TLS_CLIENT_CERT_REQUIRED', async () => {
    const project = documentedProject('TLS with your own CA', mtlsProxy);
    expectFailure(await dev(project), 'TEMPORAL_TLS_CLIENT_CERT_REQUIRED', /clientCertFile/);
  });

  test('a wrong API key: TEMPORAL_UNAUTHENTICATED, the key never printed', async () => {
    const project = documentedProject('API key', apiKeyProxy);
    const result = await dev(project, { TEMPORAL_API_KEY: WRONG_API_KEY });
    expectFailure(result, 'TEMPORAL_UNAUTHENTICATED', /TEMPORAL_API_KEY/);
    // The CLI's client path (`gongflow run`) says the same.
    const run = await project.gongflow(['run', 'definitions/tls-check.yaml'], {
      TEMPORAL_ADDRESS: undefined,
      TEMPORAL_API_KEY: WRONG_API_KEY,
    });
    expectFailure(run, 'TEMPORAL_UNAUTHENTICATED', /TEMPORAL_API_KEY/);
  });

  test('an unreadable or non-PEM certificate file: CONFIG_TLS_FILE', async () => {
    const missing = documentedProject('mTLS', mtlsProxy, (tls) => ({
      ...tls,
      clientKeyFile: 'certs/absent.key',
    }));
    expectFailure(await dev(missing), 'CONFIG_TLS_FILE', /clientKeyFile/);
    const notPem = documentedProject('mTLS', mtlsProxy);
    writeFileSync(path.join(notPem.dir, 'certs/client.pem'), 'not a certificate');
    const result = await dev(notPem);
    expectFailure(result, 'CONFIG_TLS_FILE', /PEM/);
    expect(result.stderr).toContain('clientCertFile');
  });
});
