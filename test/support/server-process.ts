import { spawn } from 'node:child_process';
import { waitFor } from './wait';

/** A `gongflow server` running as a process, once it has said where its API listens. */
export interface ListeningServer {
  url: string;
  /** Everything it printed so far (stdout and stderr). */
  output(): string;
  /** Ctrl-C, then waits for it to exit. */
  stop(): Promise<void>;
}

/**
 * Starts `node <args>` (a `gongflow server` command line) and resolves with the API's URL once it prints
 * "gongflow API at ...". Racing its exit: a server that dies at start-up fails the caller at once, with what
 * it printed, instead of after the timeout.
 */
export async function startListeningServer(
  args: string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv; timeoutMs?: number },
): Promise<ListeningServer> {
  const child = spawn(process.execPath, args, {
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  let exitCode: number | null | undefined;
  void exited.then((code) => (exitCode = code));
  const stop = async () => {
    if (exitCode === undefined) child.kill('SIGINT');
    await exited;
  };
  try {
    const url = await Promise.race([
      waitFor(
        () => Promise.resolve(/gongflow API at (http:\/\/\S+)/.exec(output)?.[1]),
        'gongflow server to listen',
        options.timeoutMs ?? 120_000,
      ),
      exited.then((code) => {
        throw new Error(`gongflow server exited with ${code}`);
      }),
    ]);
    return { url, output: () => output, stop };
  } catch (error) {
    child.kill('SIGKILL');
    await exited;
    throw new Error(`${(error as Error).message}:\n${output}`);
  }
}
