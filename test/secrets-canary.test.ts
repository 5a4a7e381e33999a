import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import {
  apiClient,
  createProject,
  startServer,
  type JourneyProject,
  type ServerProcess,
} from './journeys/project';
import { freePort } from './support/ports';

/**
 * The canary: definitions put one unique random secret in an http step's URL, headers, query and body, and
 * fail in every way an http step can (plus one that succeeds with the secret echoed back). Runs go through
 * `gongflow server` (API + worker in one process, as users run it, in a project folder) on the tests' dev server. Then every
 * place an operator or attacker could read is searched for the secret: the dev server's SQLite files, raw
 * history fetched without the codec, the server's own log (worker at DEBUG), the CLI's output, and the API's
 * answers (result, step log, run). The secret must appear 0 times.
 */

jest.setTimeout(300_000); // a server process bundles workflows; each CLI command is a fresh node + tsx process

const CANARY = `cnry${randomBytes(16).toString('hex')}`;
const MAX_RESPONSE_BYTES = 64 * 1024;
const REQUEST_TIMEOUT_MS = 1_500;

/** The forms the canary could take in stored bytes: as is, and base64 at each alignment. */
function spellings(secret: string): string[] {
  const forms = [secret];
  for (let shift = 0; shift < 3; shift++) {
    const encoded = Buffer.from(`${'x'.repeat(shift)}${secret}`).toString('base64');
    forms.push(encoded.slice(Math.ceil((shift * 4) / 3) + 1, encoded.length - 4));
  }
  return forms;
}

function hits(where: string, data: Buffer | string): string[] {
  const bytes = typeof data === 'string' ? Buffer.from(data) : data;
  return spellings(CANARY).flatMap((form) => {
    const found: string[] = [];
    for (let at = bytes.indexOf(form); at !== -1; at = bytes.indexOf(form, at + 1))
      found.push(`${where} @${at}: …${bytes.subarray(Math.max(0, at - 60), at + 60).toString('latin1')}…`);
    return found;
  });
}

interface Mode {
  /** Definition name suffix and the secret that holds its URL (secrets.url<Name>). */
  name: string;
  url: (service: string, closedPort: number) => string;
  expected: { status: 'completed' } | { status: 'failed'; type: string };
  /** Steps after the http step. */
  after?: string;
}

const MODES: Mode[] = [
  {
    name: 'ConnectionRefused',
    url: (_service, closed) => `http://127.0.0.1:${closed}/hook/${CANARY}`,
    expected: { status: 'failed', type: 'HttpStepError' },
  },
  {
    name: 'Timeout',
    url: (service) => `${service}/hang/${CANARY}`,
    expected: { status: 'failed', type: 'HttpStepError' },
  },
  {
    name: 'Status4xx',
    url: (service) => `${service}/status/400/${CANARY}`,
    expected: { status: 'failed', type: 'HttpStepError' },
  },
  {
    name: 'Status5xx',
    url: (service) => `${service}/status/503/${CANARY}`,
    expected: { status: 'failed', type: 'HttpStepError' },
  },
  {
    name: 'InvalidJson',
    url: (service) => `${service}/bad-json/${CANARY}`,
    expected: { status: 'completed' },
  },
  {
    name: 'RedirectLoop',
    url: (service) => `${service}/loop/${CANARY}`,
    expected: { status: 'failed', type: 'HttpRedirectError' },
  },
  {
    name: 'DnsFailure',
    url: () => `http://${CANARY}.invalid/hook/${CANARY}`,
    expected: { status: 'failed', type: 'HttpStepError' },
  },
  {
    name: 'RefusedDestination',
    url: () => `http://10.20.30.40/hook/${CANARY}`,
    expected: { status: 'failed', type: 'HttpDestinationRefusedError' },
  },
  {
    name: 'TooLarge',
    url: (service) => `${service}/big/${CANARY}`,
    expected: { status: 'failed', type: 'HttpResponseTooLargeError' },
  },
  {
    name: 'ExpressionAfter',
    url: (service) => `${service}/echo/${CANARY}`,
    // Looks the echoed header up as a key: the expression's own error names the missing key.
    after: `
  - id: lookup
    set:
      found: '\${{ {"known": 1}[steps.call.output.body.headers["x-canary"]] }}'`,
    expected: { status: 'failed', type: 'ExpressionError' },
  },
  {
    name: 'Echoed',
    url: (service) => `${service}/echo/${CANARY}`,
    expected: { status: 'completed' },
  },
];

function definitionOf(mode: Mode): string {
  return `name: canary-${mode.name.toLowerCase()}
version: 1
steps:
  - id: call
    http:
      method: POST
      url: \${{ secrets.url${mode.name} }}
      headers:
        authorization: \${{ "Bearer " + secrets.canary }}
        x-canary: \${{ secrets.canary }}
      query: { token: '\${{ secrets.canary }}' }
      body: { token: '\${{ secrets.canary }}', note: plain }
    retry: { maximumAttempts: 2, initialInterval: 1s, backoffCoefficient: 1 }${mode.after ?? ''}
output: \${{ steps.call.output }}
`;
}

/** The service the steps call: echoes the request (headers, URL, body) in every answer, and in a header. */
async function startService(): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      const route = (request.url ?? '').split('/')[1] ?? '';
      const echo = JSON.stringify({
        method: request.method,
        url: request.url,
        headers: request.headers,
        body,
      });
      const headers = { 'content-type': 'application/json', 'x-echo': String(request.headers['x-canary']) };
      if (route === 'hang') return; // never answers
      if (route === 'status') {
        const status = Number((request.url ?? '').split('/')[2]);
        return response.writeHead(status, headers).end(echo);
      }
      if (route === 'bad-json') return response.writeHead(200, headers).end(`${echo.slice(0, -1)},`);
      if (route === 'loop') return response.writeHead(302, { ...headers, location: request.url }).end(echo);
      if (route === 'big') return response.writeHead(200, headers).end(echo.repeat(MAX_RESPONSE_BYTES / 100));
      response.writeHead(200, headers).end(echo);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * Every file under a folder with its bytes, for a byte search. The dev server keeps writing meanwhile: a file
 * gone between listing and reading (SQLite's journal) held nothing the database file does not.
 */
function filesUnder(dir: string): Array<{ file: string; bytes: Buffer }> {
  return readdirSync(dir).flatMap((name) => {
    const file = path.join(dir, name);
    try {
      return statSync(file).isDirectory() ? filesUnder(file) : [{ file, bytes: readFileSync(file) }];
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
  });
}

describe('secrets canary: a secret used by http steps that fail every way appears nowhere', () => {
  let service: Awaited<ReturnType<typeof startService>>;
  let project: JourneyProject;
  let server: ServerProcess | undefined;
  const runs = new Map<string, string>(); // mode -> run id
  const apiAnswers: string[] = [];
  let cliOutput = '';
  const savedEnv: Record<string, string | undefined> = {};

  beforeAll(async () => {
    service = await startService();
    const closedPort = await freePort();
    // The worker logs at DEBUG: whatever it could say about a failure is in the log searched below.
    project = createProject(
      [
        '  logLevel: DEBUG',
        `gong: { requestTimeoutMs: ${REQUEST_TIMEOUT_MS} }`,
        `httpSteps: { allow: [127.0.0.1], maxResponseBytes: ${MAX_RESPONSE_BYTES} }`,
        '',
      ].join('\n'),
    );
    for (const mode of MODES) project.define(`canary-${mode.name.toLowerCase()}.yaml`, definitionOf(mode));
    // The secrets, as an operator gives them to the server's worker: environment variables.
    const secrets: Record<string, string> = { GONGFLOW_SECRET_CANARY: CANARY };
    for (const mode of MODES)
      secrets[`GONGFLOW_SECRET_URL_${mode.name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase()}`] =
        mode.url(service.url, closedPort);
    for (const [variable, value] of Object.entries(secrets)) {
      savedEnv[variable] = process.env[variable];
      process.env[variable] = value;
    }
    server = await startServer(project);
  });
  afterAll(async () => {
    await server?.stop();
    await service?.close();
    for (const [variable, value] of Object.entries(savedEnv)) {
      if (value === undefined) delete process.env[variable];
      else process.env[variable] = value;
    }
  });

  it('runs every failure mode to its typed end, through the API', async () => {
    const api = await apiClient(project, server!, 'canary');
    await Promise.all(
      MODES.map(async (mode) => {
        const { run } = await api.startRun({ definition: `canary-${mode.name.toLowerCase()}` });
        runs.set(mode.name, run.id);
        const result = await api.waitForResult(run.id, { timeoutMs: 120_000 });
        const expected =
          mode.expected.status === 'completed'
            ? { status: 'completed' }
            : { status: 'failed', failure: { type: mode.expected.type } };
        expect({ mode: mode.name, result }).toMatchObject({ mode: mode.name, result: expected });
        apiAnswers.push(
          JSON.stringify(result),
          JSON.stringify(await api.stepLog(run.id)),
          JSON.stringify(await api.getRun(run.id)),
        );
      }),
    );
    // The CLI reads the same runs (collected first: the search in the next test covers its output too).
    for (const id of [runs.get('Status4xx')!, runs.get('ExpressionAfter')!, runs.get('Echoed')!]) {
      const shown = await project.gongflow(['runs', 'show', id]);
      expect(shown.code).toBe(0);
      cliOutput += `${shown.stdout}\n${shown.stderr}\n`;
    }
    // The answers say what happened, with the secret replaced: not a blank.
    const answers = apiAnswers.join('\n');
    expect(answers).toContain('connection refused');
    expect(answers).toContain('timed out after 1500 ms');
    expect(answers).toContain('answered 400 Bad Request');
    expect(answers).toContain('more than 5 redirects');
    expect(answers).toContain('host name not found');
    expect(answers).toContain('No such key: [redacted]');
    expect(answers).toContain('(url from secrets.urlStatus4xx)');
    expect(answers).toContain('"x-echo":"[redacted]"');
    expect(cliOutput).toContain('[redacted]');
  });

  it('finds the secret 0 times: API answers, CLI output, server log, raw history, SQLite', async () => {
    expect(runs.size).toBe(MODES.length);
    const found: string[] = [];
    found.push(...hits('API answers', apiAnswers.join('\n')));
    found.push(...hits('CLI output', cliOutput));

    // Raw history, as Temporal serves it to anyone with access (no codec).
    const plainFailures: string[] = [];
    const connection = await Connection.connect({ address: process.env['TEMPORAL_ADDRESS']! });
    try {
      const plain = new Client({ connection });
      for (const [mode, id] of runs) {
        const history = await plain.workflow.getHandle(id).fetchHistory();
        const bytes = Buffer.from(temporal.api.history.v1.History.encode(history).finish());
        found.push(...hits(`raw history of ${mode}`, bytes));
        if (
          !bytes.includes('Encoded failure') &&
          MODES.find((each) => each.name === mode)?.expected.status === 'failed'
        )
          plainFailures.push(mode);
      }
    } finally {
      await connection.close();
    }

    // The server's log (API server and worker at DEBUG), including its shutdown.
    await server!.stop();
    const log = server!.output();
    expect(log).toContain('Activity started'); // DEBUG: the most the worker says
    expect(log).toContain('Activity failed'); // the log did record the failures
    found.push(...hits('server log', log));

    // The dev server's database files (committed pages sit in the -wal file until a checkpoint).
    const dataDir = process.env['GONGFLOW_TEST_DEV_SERVER_DATA'];
    if (dataDir) {
      const files = filesUnder(dataDir);
      // The runs are in there (their ids are stored in plain text): the search looks at the right bytes.
      expect(files.some(({ bytes }) => bytes.includes(runs.get('Status4xx')!))).toBe(true);
      for (const { file, bytes } of files) found.push(...hits(path.basename(file), bytes));
    } else {
      process.stderr.write(
        'secrets canary: TEMPORAL_ADDRESS was given, so the SQLite files are not searched\n',
      );
    }
    expect(found).toEqual([]);
    expect(plainFailures).toEqual([]); // failure messages are encrypted payloads, not history text
  });
});
