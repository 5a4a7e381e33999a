import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { GongflowClient } from '../../client/index';
import { runGongflow, type CliResult } from '../support/cli';
import { startTestEngine, type TestEngine } from '../support/engine';
import { eventually, LIST_USERS, startTestApi, type TestApi } from './support';

/** Each command is a fresh node + tsx process: seconds each, more on a busy machine. */
const CLI_TEST_TIMEOUT_MS = 300_000;

describe('the gongflow CLI: run --follow, runs, api-keys', () => {
  let engine: TestEngine;
  let api: TestApi;
  let cwd: string;
  beforeAll(async () => {
    engine = await startTestEngine();
    api = await startTestApi(engine);
    cwd = mkdtempSync(path.join(os.tmpdir(), 'gongflow-cli-'));
  });
  afterAll(async () => {
    await api?.app.close();
    await engine?.close();
  });

  /** Runs `gongflow ...` as a user would, against the test's Temporal server and worker task queue. */
  function gongflow(args: string[], env: Record<string, string> = {}): Promise<CliResult> {
    return runGongflow(args, {
      cwd,
      env: {
        GONGFLOW_TASK_QUEUE: engine.taskQueue,
        // The project's data folder, shared with the engine's worker: the same generated encryption key.
        GONGFLOW_DATA_DIR: engine.dataDir,
        GONGFLOW_API_KEY: '',
        GONGFLOW_API_URL: '',
        ...env,
      },
    });
  }

  const noStack = (text: string): void => expect(text).not.toMatch(/\n\s+at .+:\d+:\d+/);

  it(
    'runs a definition through the API with --follow: live steps, then the result',
    async () => {
      const result = await gongflow(
        ['run', 'list-users', '--connection', 'emulator', '--follow', '--api', api.baseUrl],
        { GONGFLOW_API_KEY: api.apiKey },
      );
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(/Running list-users@1 as \S+ \.\.\./);
      expect(result.stdout).toContain('▸ listUsers (List all Gong users) [action] started');
      expect(result.stdout).toMatch(/✓ listUsers \(List all Gong users\) completed in \d/);
      const json = result.stdout.slice(result.stdout.indexOf('Result:') + 'Result:'.length);
      expect(json).toMatch(/"total": \d{3}/);
    },
    CLI_TEST_TIMEOUT_MS,
  );

  it(
    'runs a definition file directly on Temporal with --follow, and exits 1 when the run fails',
    async () => {
      const ok = await gongflow(['run', LIST_USERS, '--connection', 'emulator', '--follow']);
      expect(ok.code).toBe(0);
      expect(ok.stdout).toContain('✓ listUsers');
      expect(ok.stdout).toContain('Result:');

      // A connection nobody knows is refused before anything starts, as the API refuses it.
      const refused = await gongflow(['run', LIST_USERS, '--connection', 'nobody', '--follow']);
      expect(refused.code).not.toBe(0);
      expect(refused.stderr).toContain('CONNECTION_NOT_FOUND');
      expect(refused.stdout).not.toContain('Running list-users');
      noStack(refused.stderr);

      const failing = path.join(cwd, 'failing.yaml');
      writeFileSync(
        failing,
        'name: failing\nversion: 1\nsteps:\n  - id: listUsers\n    action: gong.users.list\n    with: { maxItems: 1 }\n  - id: stop\n    fail: no luck\n    errorType: NoLuck\n',
      );
      const failed = await gongflow(['run', failing, '--connection', 'emulator', '--follow']);
      expect(failed.code).toBe(1);
      expect(failed.stdout).toContain('✓ listUsers');
      expect(failed.stdout).toContain('✗ stop');
      expect(failed.stderr).toContain('Run failed (NoLuck): no luck');
      noStack(failed.stderr);

      // The run shows up in `runs list` (once visibility has it) and `runs show` (directly and through the API).
      const id = /Running list-users@1 as (\S+) \.\.\./.exec(ok.stdout)?.[1] ?? '';
      await eventually(async () =>
        (await api.client.listRuns({ definition: 'list-users' })).find((run) => run.id === id),
      );
      const list = await gongflow([
        'runs',
        'list',
        '--definition',
        'list-users',
        '--status',
        'completed',
        '--json',
      ]);
      const runs = (JSON.parse(list.stdout) as { runs: Array<{ id: string; connection: string }> }).runs;
      expect(runs.find((run) => run.id === id)).toMatchObject({ connection: 'emulator' });
      const shown = await gongflow(['runs', 'show', id, '--api', api.baseUrl, '--json'], {
        GONGFLOW_API_KEY: api.apiKey,
      });
      expect(JSON.parse(shown.stdout)).toMatchObject({
        run: { id, status: 'completed' },
        result: { status: 'completed' },
        steps: { steps: [{ id: 'listUsers', status: 'completed' }] },
      });
      const human = await gongflow(['runs', 'show', id]);
      expect(human.stdout).toMatch(/STATUS +STEP +KIND +TOOK +DETAIL\n +completed +listUsers +action +\d+ms/);
    },
    CLI_TEST_TIMEOUT_MS,
  );

  it(
    'lists runs page by page with --limit and --page-token, directly and through the API',
    async () => {
      // Enough runs of list-users for two pages, whatever other test files do meanwhile.
      for (let index = 0; index < 2; index++) {
        const { run } = await api.client.startRun({ definition: 'list-users', connection: 'emulator' });
        await api.client.waitForResult(run.id, { timeoutMs: 60_000 });
      }
      type Page = { runs: Array<{ id: string; startedAt: string }>; nextPageToken?: string };
      for (const via of [[], ['--api', api.baseUrl]]) {
        const env: Record<string, string> = via.length > 0 ? { GONGFLOW_API_KEY: api.apiKey } : {};
        const list = async (extra: string[]): Promise<Page> => {
          const result = await gongflow(
            ['runs', 'list', '--definition', 'list-users', '--limit', '1', '--json', ...extra, ...via],
            env,
          );
          expect(result.stderr).toBe('');
          return JSON.parse(result.stdout) as Page;
        };
        const first = await list([]);
        expect(first.runs).toHaveLength(1);
        expect(first.nextPageToken).toEqual(expect.any(String));
        const second = await list(['--page-token', first.nextPageToken!]);
        expect(second.runs).toHaveLength(1);
        expect(second.runs[0]!.id).not.toBe(first.runs[0]!.id);
        // No start-time order is asserted: Temporal's SQL visibility lists running runs first, then by close time.

        // Each process costs seconds: the human output through the API, the refused token directly.
        if (via.length > 0) {
          const human = await gongflow(
            ['runs', 'list', '--definition', 'list-users', '--limit', '1', ...via],
            env,
          );
          expect(human.stdout).toMatch(/More: add --page-token \S+/);
        } else {
          const bad = await gongflow(['runs', 'list', '--page-token', 'nonsense']);
          expect(bad.code).toBe(1);
          expect(bad.stderr).toContain('error RUN_LIST_BAD_PAGE_TOKEN');
          noStack(bad.stderr);
        }
      }
    },
    CLI_TEST_TIMEOUT_MS,
  );

  it(
    'prints its version, reads run input from a file, and lists runs as a table with a header row',
    async () => {
      const manifest = JSON.parse(readFileSync(path.resolve(__dirname, '../../package.json'), 'utf8')) as {
        version: string;
      };
      const version = await gongflow(['--version']);
      expect(version).toMatchObject({ code: 0, stdout: `${manifest.version}\n` });

      writeFileSync(path.join(cwd, 'good.json'), '{ "includeAvatars": false }\n');
      writeFileSync(path.join(cwd, 'bad.json'), '{ "includeAvatars": "yes" }\n');
      const fromFile = await gongflow([
        'run',
        LIST_USERS,
        '--connection',
        'emulator',
        '--input',
        '@good.json',
        '--follow',
        '--json',
      ]);
      expect(fromFile.stderr).toBe('');
      expect(JSON.parse(fromFile.stdout)).toMatchObject({ result: { status: 'completed' } });
      // The file's content is what the run gets: a value the definition refuses is refused.
      const badFile = await gongflow([
        'run',
        LIST_USERS,
        '--connection',
        'emulator',
        '--input-file',
        'bad.json',
      ]);
      expect(badFile.code).toBe(1);
      expect(badFile.stderr).toContain('error RUN_INVALID_INPUT');
      const missing = await gongflow(['run', LIST_USERS, '--input', '@missing.json']);
      expect(missing.stderr).toContain(
        'error CLI_INPUT_FILE_UNREADABLE: Cannot read missing.json for --input',
      );
      noStack(missing.stderr);

      const table = await gongflow(['runs', 'list', '--definition', 'list-users', '--limit', '3']);
      const lines = table.stdout
        .trimEnd()
        .split('\n')
        .filter((line) => !line.startsWith('More: '));
      expect(lines[0]).toMatch(/^RUN +STATUS +DEFINITION +CONNECTION +TRIGGER +STARTED +CLOSED$/);
      expect(lines.length).toBeGreaterThanOrEqual(2);
      // Aligned: every column starts where its header does, on every row.
      for (const header of ['STATUS', 'DEFINITION', 'STARTED']) {
        const at = lines[0]!.indexOf(header);
        for (const line of lines.slice(1)) {
          expect(line.slice(at - 2, at)).toBe('  ');
          expect(line[at]).not.toBe(' ');
        }
      }
      expect(lines[1]).toContain('list-users@1');
    },
    CLI_TEST_TIMEOUT_MS,
  );

  it(
    'reports user errors with a code and a fix, never a stack trace',
    async () => {
      const badInput = await gongflow([
        'run',
        LIST_USERS,
        '--connection',
        'emulator',
        '--input',
        '{"includeAvatars": "yes"}',
      ]);
      expect(badInput.code).toBe(1);
      expect(badInput.stderr).toContain('error RUN_INVALID_INPUT');
      noStack(badInput.stderr);

      const unknown = await gongflow(['run', 'nope', '--api', api.baseUrl], { GONGFLOW_API_KEY: api.apiKey });
      expect(unknown.code).toBe(1);
      expect(unknown.stderr).toContain('error DEFINITION_NOT_FOUND');
      noStack(unknown.stderr);

      const noKey = await gongflow(['runs', 'list', '--api', api.baseUrl], {
        GONGFLOW_API_KEY: 'gfk_000000000000_bad',
      });
      expect(noKey.code).toBe(1);
      expect(noKey.stderr).toContain('error API_UNAUTHORIZED');
    },
    CLI_TEST_TIMEOUT_MS,
  );

  it(
    'creates, lists and revokes API keys',
    async () => {
      const created = await gongflow(['api-keys', 'create', '--name', 'cli test', '--json']);
      expect(created.code).toBe(0);
      const { key, id } = JSON.parse(created.stdout) as { key: string; id: string };
      expect(key).toMatch(/^gfk_[0-9a-f]{12}_/);
      const client = new GongflowClient({ baseUrl: api.baseUrl, apiKey: key });
      await expect(client.listDefinitions()).resolves.toEqual(expect.any(Array));

      await eventually(async () => (await api.keys.list()).find((entry) => entry.id === id));
      const list = await gongflow(['api-keys', 'list', '--json']);
      const listed = (JSON.parse(list.stdout) as { keys: Array<{ id: string; name: string }> }).keys.find(
        (entry) => entry.id === id,
      );
      expect(listed).toMatchObject({ name: 'cli test', status: 'active' });
      expect(JSON.stringify(listed)).not.toContain(key.slice(17));

      const revoked = await gongflow(['api-keys', 'revoke', id]);
      expect(revoked.code).toBe(0);
      expect(revoked.stdout).toContain(`Revoked API key ${id}`);
      await expect(client.listDefinitions()).rejects.toMatchObject({ code: 'API_UNAUTHORIZED' });
    },
    CLI_TEST_TIMEOUT_MS,
  );
});
