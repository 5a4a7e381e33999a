/**
 * What every benchmark needs, in one place: a Temporal server (TEMPORAL_ADDRESS, else a fresh dev server
 * started through temporal/connection.ts in a temporary folder), the engine of the tests (Gong emulator,
 * worker, client: test/support/engine.ts), command-line arguments and percentiles. Results go to
 * BENCHMARKS.md through sections.ts (`reportBenchmark`).
 */
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../config/load';
import { resolveTemporal } from '../temporal/connection';
import {
  registerEmulatedCompany,
  type EmulatedCompanyKey,
  startTestEngine,
  type TestEngine,
  type TestEngineOptions,
} from '../test/support/engine';
import { freePort } from '../test/support/ports';

export interface BenchServer {
  /** host:port of the Temporal frontend (also exported as TEMPORAL_ADDRESS for engines and child processes). */
  address: string;
  /** Stops the dev server when this process started it. */
  stop(): Promise<void>;
}

const log = (message: string) => process.stderr.write(`${message}\n`);

/**
 * The server a benchmark measures against: TEMPORAL_ADDRESS when set (the caller's server, left running),
 * otherwise a dev server of its own on free ports with an empty database, stopped by `stop()`.
 */
export async function startBenchServer(): Promise<BenchServer> {
  const configured = process.env['TEMPORAL_ADDRESS'];
  if (configured) return { address: configured, stop: () => Promise.resolve() };
  const loaded = loadConfig({ cwd: '/nonexistent-gongflow-bench-cwd', env: {} });
  const devServer = loaded.config.temporal.devServer;
  const endpoint = await resolveTemporal(
    {
      ...loaded,
      dataDir: mkdtempSync(path.join(os.tmpdir(), 'gongflow-bench-temporal-')),
      config: {
        ...loaded.config,
        temporal: {
          ...loaded.config.temporal,
          devServer: { ...devServer, port: await freePort(), uiPort: await freePort() },
        },
      },
    },
    { log },
  );
  process.env['TEMPORAL_ADDRESS'] = endpoint.address;
  return {
    address: endpoint.address,
    async stop() {
      await endpoint.close();
      delete process.env['TEMPORAL_ADDRESS'];
    },
  };
}

export interface BenchEngine extends TestEngine {
  server: BenchServer;
}

/** A server (see startBenchServer) and an in-process engine on it: emulator, one worker, a client. */
export async function startBenchEngine(options: TestEngineOptions = {}): Promise<BenchEngine> {
  const server = await startBenchServer();
  try {
    const engine = await startTestEngine(options);
    return {
      ...engine,
      server,
      async close() {
        try {
          await engine.close();
        } finally {
          await server.stop();
        }
      },
    };
  } catch (error) {
    await server.stop();
    throw error;
  }
}

/**
 * `count` key connections (`<prefix>-<n>`) to the emulator's default company, registered with the engine's
 * worker: one connection per trigger, as customers deploy them.
 */
export function registerKeyConnections(
  engine: TestEngine,
  prefix: string,
  count: number,
  company: EmulatedCompanyKey = engine.emulator.defaultCompany,
): string[] {
  return Array.from({ length: count }, (_, index) => {
    const id = `${prefix}-${index}`;
    registerEmulatedCompany(engine.connections, id, company);
    return id;
  });
}

/** `--name value` from the command line. */
export function argument(name: string): string | undefined {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

/**
 * A numeric command-line option (`--name 200`), or `fallback` when absent. A value that is not a finite number
 * of at least `min` stops the benchmark (exit 2) before it starts anything: a typo must not run rounds of NaN.
 */
export function numberArgument(name: string, fallback: number, min = 0): number {
  return parseNumber(name, argument(name) ?? String(fallback), min);
}

/** A comma-separated list of numbers (`--name 100,1000`), each checked as `numberArgument` checks one. */
export function numberListArgument(name: string, fallback: string, min = 1): number[] {
  return (argument(name) ?? fallback).split(',').map((item) => parseNumber(name, item, min));
}

function parseNumber(name: string, text: string, min: number): number {
  const value = Number(text);
  if (text.trim() !== '' && Number.isFinite(value) && value >= min) return value;
  return refuseOption(`--${name} ${text}: not a number of at least ${min}`);
}

/**
 * Stops the benchmark on a bad option (exit 2, the message alone). Exits rather than throws: options are read
 * as modules load, before `runBenchmark` could catch, and a stack trace would hide the message.
 */
export function refuseOption(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(2);
}

/** Re-exported: the benchmarks take it from here; pure modules (and their unit tests) from percentile.ts. */
export { percentile } from './percentile';

/** Runs a benchmark's main function: a failure prints its stack and exits non-zero. */
export function runBenchmark(main: () => Promise<void>): void {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  });
}
