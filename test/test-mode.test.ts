import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runGongflow, type CliResult } from './support/cli';

const HERE = path.join(__dirname, 'test-mode');
const DEFINITION = path.join(HERE, 'call-followup.yaml');
/** Each command is a fresh node + tsx process that bundles the workflows: seconds, more on a busy machine. */
const CLI_TEST_TIMEOUT_MS = 300_000;

describe('gongflow test: a definition run with fixtures on the dev server, without Gong', () => {
  const cwd = mkdtempSync(path.join(os.tmpdir(), 'gongflow-test-mode-'));

  function gongflowTest(fixtures: string, extra: string[] = []): Promise<CliResult> {
    return gongflow(['test', DEFINITION, '--fixtures', path.join(HERE, fixtures), ...extra]);
  }

  function gongflow(args: string[]): Promise<CliResult> {
    return runGongflow(args, { cwd, env: { GONGFLOW_DATA_DIR: path.join(cwd, '.gongflow') } });
  }

  it(
    'passes cases on outputs, the branch taken, and a fixture failure caught by try/catch (exit 0)',
    async () => {
      const result = await gongflowTest('passing.fixtures.yaml', ['--json']);
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      const report = JSON.parse(result.stdout) as {
        passed: number;
        failed: number;
        cases: Array<{
          name: string;
          passed: boolean;
          path: string[];
          outcome: { status: string; output?: unknown };
        }>;
      };
      expect(report).toMatchObject({ definition: 'call-followup@1', passed: 3, failed: 0 });
      const byName = new Map(report.cases.map((testCase) => [testCase.name, testCase]));
      expect(byName.get('long call notifies')?.path).toEqual(['lookup', 'call', 'isLong', 'notify']);
      expect(byName.get('short call takes the else branch')?.path).toEqual([
        'lookup',
        'call',
        'isLong',
        'short',
      ]);
      // The fixture's GongNotFoundError fails the action; the catch clause turns it into a result.
      expect(byName.get('unknown call is caught')).toMatchObject({
        path: ['lookup', 'call', 'noCall'],
        outcome: { status: 'completed', output: { found: false, reason: 'Call 9 not found' } },
      });
    },
    CLI_TEST_TIMEOUT_MS,
  );

  it(
    "starts cases from trigger events: the trigger's input mapping feeds the run, its filter can turn one away",
    async () => {
      const result = await gongflow([
        'test',
        path.join(HERE, 'long-call-trigger.yaml'),
        '--fixtures',
        path.join(HERE, 'trigger.fixtures.yaml'),
        '--json',
      ]);
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      const report = JSON.parse(result.stdout) as {
        passed: number;
        failed: number;
        cases: Array<{ name: string; runId: string; outcome: { status: string; output?: unknown } }>;
      };
      expect(report).toMatchObject({ definition: 'long-call-trigger@1', passed: 2, failed: 0 });
      const [long, short] = report.cases;
      // The run read `input` (made by the mapping) and `trigger` (the event itself).
      expect(long?.outcome).toEqual({
        status: 'completed',
        output: { callId: '7', title: 'Q4 review (Gong)', fromTrigger: 'Q4 review' },
      });
      expect(short).toMatchObject({ runId: '(no run)', outcome: { status: 'filtered' } });
    },
    CLI_TEST_TIMEOUT_MS,
  );

  it(
    'sends signals and approvals from the fixtures as the run waits: hour-long waits end in seconds',
    async () => {
      const result = await gongflow([
        'test',
        path.join(HERE, 'contract-approval.yaml'),
        '--fixtures',
        path.join(HERE, 'approval.fixtures.yaml'),
        '--case-timeout',
        '60',
        '--json',
      ]);
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      const report = JSON.parse(result.stdout) as {
        passed: number;
        cases: Array<{ name: string; path: string[]; outcome: { status: string; output?: unknown } }>;
      };
      expect(report).toMatchObject({ definition: 'contract-approval@1', passed: 2, failed: 0 });
      expect(report.cases[0]).toMatchObject({
        path: ['signed', 'approve'],
        outcome: {
          status: 'completed',
          output: { signedBy: 'jon@acme.com', approved: true, approver: 'ops@acme.com' },
        },
      });
      expect(report.cases[1]?.outcome).toMatchObject({ output: { approved: false } });
    },
    CLI_TEST_TIMEOUT_MS,
  );

  it(
    'answers successive calls in a forEach from `outputs`, and runs on-failure steps after an error fixture',
    async () => {
      const result = await gongflow([
        'test',
        path.join(HERE, 'users-digest.yaml'),
        '--fixtures',
        path.join(HERE, 'users-digest.fixtures.yaml'),
        '--json',
      ]);
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      const report = JSON.parse(result.stdout) as { cases: Array<{ name: string; path: string[] }> };
      expect(report.cases).toEqual([
        expect.objectContaining({ name: 'one lookup per user', path: ['each', 'user', 'user', 'post'] }),
        expect.objectContaining({
          name: 'rate limited, reported on failure',
          outcome: { status: 'failed', failureType: 'GongRateLimitedError', message: 'Too many requests' },
          path: ['each', 'user', 'report'],
        }),
      ]);
    },
    CLI_TEST_TIMEOUT_MS,
  );

  it(
    'passes the fixtures of the list-users example',
    async () => {
      const example = path.resolve(__dirname, '../definitions/examples/list-users');
      const result = await gongflow(['test', `${example}.yaml`, '--fixtures', `${example}.fixtures.yaml`]);
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      expect(result.stdout).toContain('2 passed, 0 failed');
    },
    CLI_TEST_TIMEOUT_MS,
  );

  it(
    'fails cases whose output or path differ, or that call a step without a fixture, with a diff (exit 1)',
    async () => {
      const result = await gongflowTest('failing.fixtures.yaml');
      expect(result.code).toBe(1);
      expect(result.stdout).toMatch(/✗ wrong title \(/);
      expect(result.stdout).toContain(
        ['      output.title:', '        expected: Q4 review', '        actual:   Q3 review'].join('\n'),
      );
      expect(result.stdout).toContain(
        [
          '      path:',
          '        expected: ["call","notify"]',
          '        actual:   ["lookup","call","isLong","short"]',
        ].join('\n'),
      );
      expect(result.stdout).toMatch(/✗ no fixture for notify \(/);
      expect(result.stdout).toContain(
        'Step notify (POST https://hooks.example.com/long-call) ran but the fixtures have no steps.notify.',
      );
      expect(result.stdout).toContain('0 passed, 2 failed');
    },
    CLI_TEST_TIMEOUT_MS,
  );

  it(
    'rejects fixtures naming unknown steps with their position and a fix, before running anything (exit 2)',
    async () => {
      const result = await gongflowTest('bad.fixtures.yaml');
      expect(result.code).toBe(2);
      expect(result.stdout).toBe('');
      expect(result.stderr).toContain('error TEST_FIXTURES_INVALID');
      expect(result.stderr).toMatch(
        /bad\.fixtures\.yaml:4:3: TEST_FIXTURE_UNKNOWN_STEP: call-followup has no step "cal"\.\n\s+at steps\.cal\n\s+fix: Did you mean "call"\? Steps that take fixtures: call, notify\./,
      );
      expect(result.stderr).toMatch(
        /bad\.fixtures\.yaml:7:16: TEST_FIXTURE_UNKNOWN_STEP: call-followup has no step "nowhere"/,
      );
      expect(result.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
    },
    CLI_TEST_TIMEOUT_MS,
  );
});
