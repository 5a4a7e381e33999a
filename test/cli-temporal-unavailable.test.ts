import { createServer } from 'node:net';
import path from 'node:path';
import { main } from '../cli/main';
import type { CliOutput } from '../cli/output';

/** A local port nothing listens on: bound by us, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function capture(): CliOutput & { lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    info: (line) => lines.push(line),
    error: (line) => lines.push(line),
    json: () => undefined,
  };
}

const EXAMPLE = path.join(__dirname, '..', 'definitions', 'examples', 'list-users.yaml');

// Every command that talks to a running gongflow through Temporal, as a user types it with no server up.
const COMMANDS: { args: string[]; offersApi: boolean }[] = [
  { args: ['triggers'], offersApi: false },
  { args: ['triggers', 'deploy', EXAMPLE, '--connection', 'acme'], offersApi: false },
  { args: ['triggers', 'pause', EXAMPLE, '--connection', 'acme'], offersApi: false },
  { args: ['triggers', 'keys', 'list', '--connection', 'acme'], offersApi: false },
  { args: ['connections', 'list'], offersApi: false },
  { args: ['api-keys', 'list'], offersApi: false },
  { args: ['runs', 'list'], offersApi: true },
  { args: ['run', EXAMPLE, '--connection', 'acme'], offersApi: true },
];

describe('CLI commands with Temporal unreachable', () => {
  const saved = { ...process.env };
  afterAll(() => {
    process.env = saved;
  });

  it('answer TEMPORAL_UNAVAILABLE with the address and a fix, never an unexpected failure', async () => {
    const address = `127.0.0.1:${await closedPort()}`;
    process.env['TEMPORAL_ADDRESS'] = address;
    process.env['GONGFLOW_CONFIG'] = '';
    delete process.env['GONGFLOW_API_URL'];
    // Each waits out the CLI's connect deadline (5 s): all at once, so the test waits for it once.
    const answers = await Promise.all(
      COMMANDS.map(async ({ args, offersApi }) => {
        const output = capture();
        const code = await main(['node', 'gongflow', ...args], output);
        return { command: args.slice(0, 2).join(' '), code, text: output.lines.join('\n'), offersApi };
      }),
    );
    for (const answer of answers) {
      expect({ command: answer.command, code: answer.code }).toEqual({ command: answer.command, code: 1 });
      expect(answer.text).toContain(`error TEMPORAL_UNAVAILABLE: Temporal is not reachable at ${address}`);
      expect(answer.text).toContain('fix: Start gongflow with `gongflow server`');
      // Only commands that take --api may send the user to it.
      expect({ command: answer.command, offersApi: answer.text.includes('--api') }).toEqual({
        command: answer.command,
        offersApi: answer.offersApi,
      });
      expect(answer.text).not.toContain('failed unexpectedly');
    }
  }, 60_000);
});
