/**
 * Journey: a RevOps author writes a definition, validates it, tests it with fixtures, runs it for real with
 * --follow and reads the result, using only the `gongflow` command and a `gongflow server --emulator`
 * running beside it (the emulator's admin API plays Gong's bad moments).
 */
import { waitFor } from '../support/wait';
import {
  createProject,
  emulatorAdmin,
  startServer,
  type JourneyProject,
  type ServerProcess,
} from './project';

jest.setTimeout(240_000);

const TEAM_REPORT = `
name: team-report
version: 1
description: The first users of the company, each with a greeting.
steps:
  - id: users
    title: List users
    action: gong.users.list
    with: { maxItems: 3 }
    retry: { maximumAttempts: 3, initialInterval: 100ms }
  - id: each
    forEach: \${{ steps.users.output.users.filter(u, u.active).map(u, u.firstName) }}
    as: name
    maxItems: 100
    steps:
      - id: greet
        set: { line: '\${{ "Hello " + name }}' }
    output: \${{ vars.line }}
output:
  greetings: \${{ steps.each.output }}
  listed: \${{ size(steps.users.output.users) }}
`;

const FIXTURES = `
cases:
  greets the first active users:
    steps:
      users:
        output:
          totalRecords: 3
          truncated: false
          users:
            - { id: '1', firstName: Ada, lastName: L, emailAddress: ada@example.com, active: true }
            - { id: '2', firstName: Bob, lastName: M, emailAddress: bob@example.com, active: false }
            - { id: '3', firstName: Cy, lastName: N, emailAddress: cy@example.com, active: true }
    expect:
      output: { greetings: [Hello Ada, Hello Cy], listed: 3 }
      path: [users, each, greet]
`;

describe('journey: an author writes, validates, tests and runs a definition', () => {
  let project: JourneyProject;
  let server: ServerProcess;

  beforeAll(async () => {
    project = createProject();
    server = await startServer(project);
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('a typo is reported with its line, column and the fix; the fixed file validates', async () => {
    const file = project.define('team-report.yaml', TEAM_REPORT.replace('maxItems: 3 }', 'maxItem: 3 }'));
    const broken = await project.gongflow(['validate', file]);
    expect(broken.code).toBe(1);
    expect(broken.stdout + broken.stderr).toMatch(/team-report\.yaml:\d+:\d+/);
    expect(broken.stdout + broken.stderr).toContain('maxItems');
    project.define('team-report.yaml', TEAM_REPORT);
    const fixed = await project.gongflow(['validate', file]);
    expect(fixed.stdout + fixed.stderr).not.toContain('DEF_');
    expect(fixed.code).toBe(0);
  });

  it('gongflow test passes the fixtures case', async () => {
    const file = project.define('team-report.yaml', TEAM_REPORT);
    const fixtures = project.define('team-report.fixtures.yaml', FIXTURES);
    const tested = await project.gongflow(['test', file, '--fixtures', fixtures]);
    expect(tested.stdout).toContain('✓ greets the first active users');
    expect(tested.code).toBe(0);
  });

  it('run --follow on the emulator: each loop iteration, a retry after a Gong 500, then the result', async () => {
    const file = project.define('team-report.yaml', TEAM_REPORT);
    const gong = emulatorAdmin(server.emulatorUrl);
    const companyId = await gong.defaultCompanyId();
    // Gong answers the next request with a 500: the step is retried (attempt 2) and succeeds.
    await gong.call('PUT', `/companies/${companyId}/faults`, { failNext: 1, errorStatus: 500 });
    const run = await project.gongflow(['run', file, '--connection', 'emulator', '--follow']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const lines = run.stdout.split('\n');
    const index = (text: string): number => lines.findIndex((line) => line.includes(text));
    expect(index('↻ users (List users) attempt 2')).toBeGreaterThan(index('▸ users (List users)'));
    const result = JSON.parse(
      run.stdout.slice(run.stdout.indexOf('Result:') + 7, run.stdout.indexOf('\n}') + 2),
    ) as { greetings: string[]; listed: number };
    expect(result.listed).toBe(3);
    expect(result.greetings.length).toBeGreaterThan(1);
    expect(result.greetings[0]).toMatch(/^Hello \w+/);
    const last = result.greetings.length - 1;
    for (let n = 0; n <= last; n++) expect(index(`✓ each[${n}]/greet completed`)).toBeGreaterThan(-1);
    // The loop is reported done after its iterations, which are indented under it.
    expect(index('✓ each completed')).toBeGreaterThan(index(`✓ each[${last}]/greet completed`));
    expect(lines[index('✓ each[0]/greet completed')]).toMatch(/^ {4}✓/);
    await waitFor(
      async () => (await gong.requests(companyId, '/v2/users')).some((request) => request.status === 500),
      'the 500 in the request log',
    );
  });

  it('a connection nobody knows is refused before a run starts', async () => {
    const file = project.define('team-report.yaml', TEAM_REPORT);
    const refused = await project.gongflow(['run', file, '--connection', 'nosuch', '--follow']);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('CONNECTION_NOT_FOUND');
    expect(refused.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
    const list = await project.gongflow(['connections', 'list']);
    expect(list.stdout).toContain('emulator');
  });
});
