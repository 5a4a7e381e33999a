import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { KeyConnection } from './registry';

/** The connection id `gongflow dev` and `gongflow server --emulator` give the built-in Gong emulator. */
export const EMULATOR_CONNECTION_ID = 'emulator';

const FILE = 'emulator-connection.json';

/**
 * The emulator a `gongflow dev` or `gongflow server --emulator` of this project is running, announced in
 * the project's data folder so every other gongflow process of the project (`gongflow run`,
 * `connections list`, a separate `gongflow worker`) knows the `emulator` connection too. The emulator's
 * key is a local development credential, not a Gong one; the file is removed when the emulator stops.
 */
export function announceEmulator(
  dataDir: string,
  connection: Pick<KeyConnection, 'baseUrl' | 'accessKey' | 'accessKeySecret'>,
): () => void {
  mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, FILE);
  writeFileSync(file, `${JSON.stringify({ id: EMULATOR_CONNECTION_ID, type: 'key', ...connection })}\n`, {
    mode: 0o600,
  });
  return () => rmSync(file, { force: true });
}

/** Reads the announced emulator connection, re-reading the file only when it changed. */
export class AnnouncedEmulator {
  private cached: { mtimeMs: number; connection: KeyConnection | undefined } | undefined;

  constructor(private readonly dataDir: string) {}

  current(): KeyConnection | undefined {
    const file = path.join(this.dataDir, FILE);
    const stat = statSync(file, { throwIfNoEntry: false });
    if (!stat) return undefined;
    if (this.cached?.mtimeMs !== stat.mtimeMs) {
      let connection: KeyConnection | undefined;
      try {
        const parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<KeyConnection>;
        if (parsed.baseUrl && parsed.accessKey && parsed.accessKeySecret) {
          connection = {
            id: EMULATOR_CONNECTION_ID,
            type: 'key',
            baseUrl: parsed.baseUrl,
            accessKey: parsed.accessKey,
            accessKeySecret: parsed.accessKeySecret,
          };
        }
      } catch {
        connection = undefined; // half-written or removed meanwhile: not announced
      }
      this.cached = { mtimeMs: stat.mtimeMs, connection };
    }
    return this.cached.connection;
  }
}
