/**
 * A gongflow project as a user has one: a folder with temporal.yaml and definition files, and the
 * `gongflow` command run in it as a process. Journey tests drive gongflow only through such public entry
 * points (the command, the HTTP API through the typed client, the emulator's admin API playing Gong).
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { GongflowClient } from '../../client/index';
import { GONGFLOW_BIN, runGongflow, type CliResult } from '../support/cli';
import { freePort } from '../support/ports';
import { startListeningServer } from '../support/server-process';

export interface JourneyProject {
  dir: string;
  /** Writes `definitions/<file>` (YAML text) and answers its path. */
  define(file: string, text: string): string;
  /** `gongflow <args>` in the project folder; `input` is piped to its stdin. */
  gongflow(args: string[], env?: Record<string, string | undefined>, input?: string): Promise<CliResult>;
}

/** A project folder whose runs use a task queue of their own (the dev server is shared by test files). */
export function createProject(extraConfig = ''): JourneyProject {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gongflow-journey-'));
  mkdirSync(path.join(dir, 'definitions'));
  writeFileSync(
    path.join(dir, 'temporal.yaml'),
    `dataDir: .gongflow\nworker:\n  taskQueue: journey-${randomUUID()}\n${extraConfig}`,
  );
  return {
    dir,
    define(file, text) {
      const target = path.join(dir, 'definitions', file);
      writeFileSync(target, text);
      return target;
    },
    gongflow: (args, env, input) =>
      runGongflow(args, { cwd: dir, ...(env ? { env } : {}), ...(input !== undefined ? { input } : {}) }),
  };
}

export interface ServerProcess {
  url: string;
  /** The emulator's app host (admin API under /_emulator). */
  emulatorUrl: string;
  output(): string;
  stop(): Promise<void>;
}

/**
 * `gongflow server --emulator` in the project, resolved once it says where the API listens. `port` when the
 * project's temporal.yaml must name it beforehand (http.publicUrl, for Gong webhooks); `env` adds to its
 * environment (e.g. operator-wide secrets).
 */
export async function startServer(
  project: JourneyProject,
  options: { port?: number; env?: Record<string, string> } = {},
): Promise<ServerProcess> {
  const port = options.port ?? (await freePort());
  const server = await startListeningServer([GONGFLOW_BIN, 'server', '--emulator', '--port', String(port)], {
    cwd: project.dir,
    ...(options.env ? { env: options.env } : {}),
  });
  const emulatorUrl = /app host \(OAuth, admin API\): (http:\/\/\S+)/.exec(server.output())?.[1];
  if (!emulatorUrl) {
    await server.stop();
    throw new Error(`server printed no emulator admin URL:\n${server.output()}`);
  }
  return { ...server, emulatorUrl };
}

/** An API key created with `gongflow api-keys create`, and a typed client using it. */
export async function apiClient(project: JourneyProject, server: ServerProcess, name: string) {
  const created = await project.gongflow(['api-keys', 'create', '--name', name, '--json']);
  if (created.code !== 0) throw new Error(`api-keys create failed: ${created.stderr}`);
  const { key } = JSON.parse(created.stdout) as { key: string };
  return new GongflowClient({ baseUrl: server.url, apiKey: key });
}

/** The emulator's admin API, as a test plays Gong with it. */
export function emulatorAdmin(emulatorUrl: string) {
  const call = async <T>(method: string, route: string, body?: unknown): Promise<T> => {
    const response = await fetch(`${emulatorUrl}/_emulator${route}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    if (!response.ok) throw new Error(`${method} ${route}: ${response.status} ${await response.text()}`);
    return (await response.json()) as T;
  };
  return {
    call,
    async defaultCompanyId(): Promise<string> {
      const { companies } = await call<{ companies: Array<{ id: string }> }>('GET', '/companies');
      return companies[0]!.id;
    },
    /** Requests the company's API host received for a path (method, status, ...). */
    async requests(companyId: string, pathPrefix: string) {
      const query = new URLSearchParams({ host: companyId, path: pathPrefix });
      const { requests } = await call<{ requests: Array<{ method: string; path: string; status: number }> }>(
        'GET',
        `/requests?${query.toString()}`,
      );
      return requests;
    },
  };
}
