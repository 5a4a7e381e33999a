import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, openSync, closeSync } from 'node:fs';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { findOrInstallTemporalCli, noServerError } from './cli-binary';
import { SEARCH_ATTRIBUTES } from './search-attributes';

export interface DevServerOptions {
  ip: string;
  port: number;
  uiPort: number;
  /** Absolute path of the SQLite file that keeps workflows across restarts. */
  dbFile: string;
  namespace: string;
  cliVersion: string;
  /** Remote codec the Web UI calls to show encrypted payloads (`--ui-codec-endpoint`). */
  uiCodecEndpoint?: string;
  /**
   * Server dynamic configuration (`--dynamic-config-value key=value`, each value sent as JSON), e.g.
   * `{ 'limit.historyCount.suggestContinueAsNew': 40 }` for a test that needs continue-as-new suggested soon.
   * Only for a server this call starts: one already running on the port keeps its own.
   */
  dynamicConfig?: Readonly<Record<string, DynamicConfigValue>>;
  /** Leave the server running after this process exits (`npm start -- --keep`). */
  detached?: boolean;
  log: (message: string) => void;
  readinessTimeoutMs?: number;
}

export type DynamicConfigValue = string | number | boolean;

export interface DevServer {
  address: string;
  uiUrl: string;
  /** True when this process started the server (and so stops it), false when one was already running. */
  owned: boolean;
  stop(): Promise<void>;
}

/** Starts `temporal server start-dev` (or reuses one already answering on the port) and waits until it serves. */
export async function startDevServer(options: DevServerOptions): Promise<DevServer> {
  const address = `${options.ip}:${options.port}`;
  const uiUrl = `http://${options.ip === '0.0.0.0' ? '127.0.0.1' : options.ip}:${options.uiPort}`;
  if (await isServing(address, 1_500)) {
    options.log(`Using the Temporal dev server already running at ${address}.`);
    return { address, uiUrl, owned: false, stop: () => Promise.resolve() };
  }

  const binary = await findOrInstallTemporalCli({ version: options.cliVersion, log: options.log });
  mkdirSync(path.dirname(options.dbFile), { recursive: true });
  const logFile = path.join(path.dirname(options.dbFile), 'temporal-dev-server.log');
  const logFd = openSync(logFile, 'a');
  const args = [
    'server',
    'start-dev',
    '--ip',
    options.ip,
    '--port',
    String(options.port),
    '--ui-port',
    String(options.uiPort),
    '--db-filename',
    options.dbFile,
    '--namespace',
    options.namespace,
    '--log-level',
    'warn',
    ...(options.uiCodecEndpoint ? ['--ui-codec-endpoint', options.uiCodecEndpoint] : []),
    ...Object.entries(SEARCH_ATTRIBUTES).flatMap(([name, type]) => ['--search-attribute', `${name}=${type}`]),
    ...dynamicConfigArgs(options.dynamicConfig ?? {}),
  ];
  options.log(`Starting the Temporal dev server at ${address} (data: ${options.dbFile}) ...`);
  const child = spawn(binary, args, { stdio: ['ignore', logFd, logFd], detached: options.detached === true });
  closeSync(logFd);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  if (options.detached) child.unref();

  const deadline = Date.now() + (options.readinessTimeoutMs ?? 60_000);
  let exitCode: number | null | undefined;
  void exited.then((code) => {
    exitCode = code;
  });
  while (!(await isServing(address, 2_000))) {
    if (exitCode !== undefined) {
      throw noServerError(
        `the dev server exited with code ${exitCode} (see ${logFile}; is port ${options.port} or ${options.uiPort} taken?)`,
      );
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw noServerError(
        `the dev server did not answer at ${address} within ${(options.readinessTimeoutMs ?? 60_000) / 1000}s (see ${logFile})`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  options.log(`Temporal dev server ready at ${address}; UI at ${uiUrl}`);
  return { address, uiUrl, owned: true, stop: () => stopChild(child, exited) };
}

/** The CLI takes each value as JSON: a string must be quoted, or `true` would not be the string "true". */
function dynamicConfigArgs(values: Readonly<Record<string, DynamicConfigValue>>): string[] {
  return Object.entries(values).flatMap(([key, value]) => [
    '--dynamic-config-value',
    `${key}=${JSON.stringify(value)}`,
  ]);
}

async function stopChild(child: ChildProcess, exited: Promise<number | null>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

/** True when a Temporal frontend answers at `address`. */
export async function isServing(address: string, timeoutMs: number): Promise<boolean> {
  let connection: Connection | undefined;
  try {
    connection = await Connection.connect({ address, connectTimeout: timeoutMs });
    await connection.withDeadline(Date.now() + timeoutMs, () =>
      connection!.workflowService.getSystemInfo({}),
    );
    return true;
  } catch {
    return false;
  } finally {
    await connection?.close().catch(() => undefined);
  }
}
