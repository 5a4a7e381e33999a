import { Command } from 'commander';
import { registerEmulatorCommand } from '../../cli/commands/emulator';
import type { CliOutput } from '../../cli/output';
import { basicAuth, http, waitFor } from './client';

describe('gongflow emulator (CLI)', () => {
  it('prints the app host, each API host and a ready-made key, serves until Ctrl-C, then stops', async () => {
    const lines: string[] = [];
    const output: CliOutput = {
      info: (line) => lines.push(line),
      error: (line) => lines.push(line),
      json: () => undefined,
    };
    const program = new Command('gongflow').exitOverride();
    registerEmulatorCommand(program, output);
    const running = program.parseAsync(['node', 'gongflow', 'emulator', '--port', '0', '--seed', '3']);
    await waitFor(() => lines.find((line) => line.includes('Press Ctrl-C')), 'the emulator banner', 10_000);
    const text = lines.join('\n');
    const appUrl = /app host \(OAuth, admin API\): (http:\/\/\S+)/.exec(text)![1]!;
    const apiUrl = /API host (http:\/\/\S+)/.exec(text)![1]!;
    const key = /access key:\s+(\S+)/.exec(text)![1]!;
    const secret = /access key secret:\s+(\S+)/.exec(text)![1]!;
    expect((await http('GET', `${appUrl}/_emulator/health`)).status).toBe(200);
    const users = await http('GET', `${apiUrl}/v2/users`, { auth: basicAuth(key, secret) });
    expect(users.status).toBe(200);
    process.emit('SIGINT');
    await running;
    expect(lines.at(-1)).toBe('Gong emulator stopped.');
    await expect(http('GET', `${appUrl}/_emulator/health`)).rejects.toThrow();
  });

  it('rejects a port that is not a number', async () => {
    const program = new Command('gongflow').exitOverride();
    registerEmulatorCommand(program, {
      info: () => undefined,
      error: () => undefined,
      json: () => undefined,
    });
    await expect(program.parseAsync(['node', 'gongflow', 'emulator', '--port', 'abc'])).rejects.toThrow(
      /--port/,
    );
  });
});
