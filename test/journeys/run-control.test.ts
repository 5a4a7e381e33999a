/**
 * Run control, proven by what the user sees: a retry limit ends a run after exactly that many Gong calls
 * (counted in the emulator's request log), and step and run timeouts end runs that would otherwise wait
 * an hour. Every wait is bounded to seconds: a broken mechanism fails here quickly, not by a jest timeout.
 */
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

const RETRY_TWICE = `
name: retry-twice
version: 1
steps:
  - id: users
    action: gong.users.list
    with: { maxItems: 1 }
    retry: { maximumAttempts: 2, initialInterval: 100ms }
`;

const SLEEPY = `
name: sleepy
version: 1
steps:
  - id: nap
    sleep: 1h
`;

const STEP_TIMEOUTS = `
name: step-timeouts
version: 1
input:
  which: { type: string }
steps:
  - id: napping
    when: \${{ input.which == "sleep" }}
    sleep: 1h
    timeout: 100ms
  - id: lanes
    when: \${{ input.which == "parallel" }}
    timeout: 100ms
    parallel:
      a: [{ id: napA, sleep: 1h }]
      b: [{ id: napB, sleep: 1h }]
  - id: child
    when: \${{ input.which == "run" }}
    run: ./sleepy.yaml
    timeout: 100ms
`;

const RUN_TIMEOUT = `
name: run-timeout
version: 1
timeout: 1s
steps:
  - id: nap
    sleep: 1h
`;

describe('journey: run control by outcome', () => {
  let project: JourneyProject;
  let server: ServerProcess;
  let client: GongflowClient;

  beforeAll(async () => {
    project = createProject();
    project.define('retry-twice.yaml', RETRY_TWICE);
    project.define('sleepy.yaml', SLEEPY);
    project.define('step-timeouts.yaml', STEP_TIMEOUTS);
    project.define('run-timeout.yaml', RUN_TIMEOUT);
    server = await startServer(project);
    client = await apiClient(project, server, 'operator');
  });
  afterAll(async () => {
    await server?.stop();
  });

  /** The result within 15 s: a run still running by then fails the test at once. */
  const resultOf = async (definition: string, input: Record<string, unknown> = {}) => {
    const { run } = await client.startRun({ definition, input, connection: 'emulator' });
    return client.waitForResult(run.id, { timeoutMs: 15_000 });
  };

  it('retry.maximumAttempts: 2 against a Gong that always fails: failed after exactly 2 calls', async () => {
    const gong = emulatorAdmin(server.emulatorUrl);
    const companyId = await gong.defaultCompanyId();
    const before = (await gong.requests(companyId, '/v2/users')).length;
    await gong.call('PUT', `/companies/${companyId}/faults`, { errorRate: 1, errorStatus: 500 });
    try {
      const result = await resultOf('retry-twice');
      expect(result).toMatchObject({ status: 'failed', failure: { type: 'GongServerError' } });
    } finally {
      await gong.call('PUT', `/companies/${companyId}/faults`, { errorRate: 0 });
    }
    const calls = (await gong.requests(companyId, '/v2/users')).slice(before);
    expect(calls.map((call) => call.status)).toEqual([500, 500]);
  });

  it.each(['sleep', 'parallel', 'run'])(
    'a %s step with timeout: 100ms fails with StepTimeoutError instead of waiting an hour',
    async (which) => {
      const result = await resultOf('step-timeouts', { which });
      expect(result).toMatchObject({ status: 'failed', failure: { type: 'StepTimeoutError' } });
      const step = { sleep: 'napping', parallel: 'lanes', run: 'child' }[which]!;
      expect('failure' in result && result.failure.message).toContain(
        `Step ${step} did not finish within 100 ms`,
      );
    },
  );

  it('the run timeout (1s) ends a run that sleeps for an hour', async () => {
    const result = await resultOf('run-timeout');
    expect(result).toMatchObject({ status: 'failed', failure: { type: 'StepTimeoutError' } });
    expect('failure' in result && result.failure.message).toContain('did not finish within');
  });
});
