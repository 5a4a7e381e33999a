import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { GongflowError } from '../core/errors';
import { loadConfig } from './load';

function configFile(text: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gongflow-config-'));
  const file = path.join(dir, 'temporal.yaml');
  writeFileSync(file, text);
  return file;
}

function loadError(text: string, env: NodeJS.ProcessEnv = {}): GongflowError {
  try {
    loadConfig({ file: configFile(text), env });
  } catch (error) {
    if (error instanceof GongflowError) return error;
    throw error;
  }
  throw new Error('expected the configuration to be rejected');
}

describe('loadConfig', () => {
  it('uses embedded defaults when there is no file', () => {
    const loaded = loadConfig({ cwd: path.join(os.tmpdir(), 'gongflow-no-such-dir'), env: {} });
    expect(loaded.file).toBeUndefined();
    expect(loaded.config.temporal.address).toBeUndefined();
    expect(loaded.config.temporal.devServer.port).toBe(7233);
    expect(loaded.dataDir).toBe(path.join(os.tmpdir(), 'gongflow-no-such-dir', '.gongflow'));
  });

  it('rejects an unknown key, naming it, its line and the keys that exist', () => {
    const error = loadError('temporal:\n  namespace: prod\n  adress: localhost:7233\n');
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.problems).toHaveLength(1);
    expect(error.problems[0]).toMatchObject({
      code: 'CONFIG_UNKNOWN_KEY',
      path: 'temporal.adress',
      line: 3,
      column: 3,
    });
    expect(error.problems[0]?.hint).toContain('address');
  });

  it('rejects a value of the wrong type with its path and position', () => {
    const error = loadError('http:\n  port: "eighty"\nworker:\n  maxConcurrentActivityTaskExecutions: -1\n');
    const byPath = Object.fromEntries(
      error.problems.map((problem) => [problem.path ?? '', problem] as const),
    );
    expect(byPath['http.port']).toMatchObject({ code: 'CONFIG_INVALID_VALUE', line: 2, column: 9 });
    expect(byPath['worker.maxConcurrentActivityTaskExecutions']).toMatchObject({
      code: 'CONFIG_INVALID_VALUE',
      line: 4,
    });
  });

  it('takes the SDK metrics address as host:port, and says so for anything else', () => {
    const load = (value: string) =>
      loadConfig({ file: configFile(`worker:\n  sdkMetricsAddress: '${value}'\n`), env: {} }).config.worker;
    expect(load('0.0.0.0:9465').sdkMetricsAddress).toBe('0.0.0.0:9465');
    expect(load('[::]:9465').sdkMetricsAddress).toBe('[::]:9465');
    const error = loadError("worker:\n  sdkMetricsAddress: 'http://0.0.0.0:9465/metrics'\n");
    expect(error.problems[0]).toMatchObject({
      code: 'CONFIG_INVALID_VALUE',
      path: 'worker.sdkMetricsAddress',
      message: expect.stringContaining('host:port') as unknown,
    });
  });

  it('takes a workflow cache size no smaller than the workflow task concurrency (0: no cache)', () => {
    expect(
      loadConfig({ file: configFile('worker:\n  maxCachedWorkflows: 500\n'), env: {} }).config.worker,
    ).toMatchObject({
      maxCachedWorkflows: 500,
    });
    expect(
      loadConfig({ file: configFile('worker:\n  maxCachedWorkflows: 0\n'), env: {} }).config.worker
        .maxCachedWorkflows,
    ).toBe(0);
    const error = loadError('worker:\n  maxConcurrentWorkflowTaskExecutions: 40\n  maxCachedWorkflows: 20\n');
    expect(error.problems[0]).toMatchObject({ path: 'worker.maxCachedWorkflows', line: 3 });
    expect(error.problems[0]?.message).toContain('maxConcurrentWorkflowTaskExecutions (40)');
  });

  it('takes a company lease length of 0 (off) or 1 to 30 s, and says so for anything else', () => {
    const budget = (text: string) =>
      loadConfig({ file: configFile(`gong:\n  budget:\n    ${text}\n`), env: {} }).config.gong.budget;
    const empty = mkdtempSync(path.join(os.tmpdir(), 'gongflow-config-'));
    expect(loadConfig({ env: {}, cwd: empty }).config.gong.budget.companyLeaseMs).toBe(5_000);
    expect(budget('companyLeaseMs: 0').companyLeaseMs).toBe(0);
    expect(budget('companyLeaseMs: 10000').companyLeaseMs).toBe(10_000);
    const error = loadError('gong:\n  budget:\n    companyLeaseMs: 500\n');
    expect(error.problems[0]).toMatchObject({
      code: 'CONFIG_INVALID_VALUE',
      path: 'gong.budget.companyLeaseMs',
      line: 3,
      message: expect.stringContaining('0 (no leases) or from 1000 to 30000') as unknown,
    });
  });

  it('refuses private http step destinations by default and checks the allowlist entries', () => {
    const defaults = loadConfig({ cwd: path.join(os.tmpdir(), 'gongflow-no-such-dir'), env: {} });
    expect(defaults.config.httpSteps).toEqual({
      allow: [],
      maxRedirects: 5,
      maxResponseBytes: 5 * 1024 * 1024,
    });
    const allowed = loadConfig({
      file: configFile(
        "httpSteps:\n  allow: [crm.internal, '*.corp.example', 10.0.0.0/8, 'fd00::/8', 127.0.0.1]\n",
      ),
      env: {},
    });
    expect(allowed.config.httpSteps.allow).toHaveLength(5);
    const error = loadError('httpSteps:\n  allow: [10.0.0.0/33, bad_name]\n');
    expect(error.problems).toMatchObject([
      { code: 'CONFIG_INVALID_VALUE', path: 'httpSteps.allow.0', line: 2, column: 11 },
      { code: 'CONFIG_INVALID_VALUE', path: 'httpSteps.allow.1', line: 2, column: 24 },
    ]);
    expect(error.problems[0]?.message).toContain(
      'a host name (crm.internal, *.corp.example), an IP address or a CIDR',
    );
  });

  it('reports a missing secret with the environment variable that provides it', () => {
    const error = loadError(
      'connections:\n  acme-eu:\n    type: key\n    baseUrl: https://eu-1.api.gong.io\n    accessKey: AK1\n',
    );
    expect(error.code).toBe('CONFIG_MISSING_SECRET');
    expect(error.problems[0]).toMatchObject({ path: 'connections.acme-eu.accessKeySecret', line: 3 });
    expect(error.problems[0]?.hint).toContain('GONGFLOW_CONNECTION_ACME_EU_ACCESS_KEY_SECRET');
  });

  it('takes secrets and the Temporal address from the environment', () => {
    const file = configFile(
      'connections:\n  acme:\n    type: key\n    baseUrl: https://us-1.api.gong.io\n    accessKey: AK1\n',
    );
    const loaded = loadConfig({
      file,
      env: {
        GONGFLOW_CONNECTION_ACME_ACCESS_KEY_SECRET: 's3cret',
        TEMPORAL_ADDRESS: 'temporal.internal:7233',
        GONGFLOW_HTTP_PORT: '8088',
      },
    });
    expect(loaded.config.connections['acme']?.accessKeySecret).toBe('s3cret');
    expect(loaded.config.temporal.address).toBe('temporal.internal:7233');
    expect(loaded.config.http.port).toBe(8088);
  });

  it('asks for the OAuth client secret when a client id is configured', () => {
    const error = loadError('gong:\n  oauthApp:\n    clientId: my-app\n');
    expect(error.problems[0]).toMatchObject({
      code: 'CONFIG_MISSING_SECRET',
      path: 'gong.oauthApp.clientSecret',
    });
    expect(error.problems[0]?.hint).toContain('GONGFLOW_GONG_CLIENT_SECRET');
  });

  it('reports YAML syntax errors with their position', () => {
    const error = loadError('temporal:\n  namespace: [unclosed\n');
    expect(error.code).toBe('CONFIG_SYNTAX');
    expect(error.problems[0]?.line).toBeGreaterThanOrEqual(2);
  });

  it('names a missing explicit config file', () => {
    expect(() => loadConfig({ file: '/nonexistent/temporal.yaml', env: {} })).toThrow(/does not exist/);
  });
});
