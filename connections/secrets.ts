import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { GongflowError } from '../core/errors';
import type { Sealed } from './model';

/** Environment variable with the current key: 32 random bytes, base64 (e.g. `openssl rand -base64 32`). */
export const SECRETS_KEY_VARIABLE = 'GONGFLOW_SECRETS_KEY';
/** Older keys still accepted for opening (comma-separated base64), so keys can be rotated. */
export const PREVIOUS_SECRETS_KEYS_VARIABLE = 'GONGFLOW_SECRETS_PREVIOUS_KEYS';
/** Where a single-machine setup keeps its generated key when the variable is not set. */
export const SECRETS_KEY_FILE = 'secrets.key';

const PREFIX = 'gfs1';

interface Key {
  id: string;
  bytes: Buffer;
}

/**
 * Seals secrets (tokens, access-key secrets, client secrets) with AES-256-GCM before they go anywhere
 * durable: workflow state, update arguments and results all carry `gfs1.<keyId>.<iv>.<ciphertext+tag>`,
 * so Temporal history never holds a plaintext secret. Only processes holding the key (workers, API, CLI)
 * can open them; the key id makes rotation possible (seal with the newest, open with any known key).
 */
export class SecretBox {
  private readonly current: Key;
  private readonly byId: Map<string, Key>;

  constructor(currentKey: Buffer, previousKeys: Buffer[] = []) {
    const keys = [currentKey, ...previousKeys].map((bytes) => {
      if (bytes.length !== 32) {
        throw new GongflowError('SECRETS_KEY_INVALID', 'The secrets key must be 32 bytes (base64-encoded).', {
          hint: `Generate one with \`openssl rand -base64 32\` and set ${SECRETS_KEY_VARIABLE}.`,
        });
      }
      return { id: keyId(bytes), bytes };
    });
    this.current = keys[0]!;
    this.byId = new Map(keys.map((key) => [key.id, key]));
  }

  /** A box with a fresh random key (tests). */
  static random(): SecretBox {
    return new SecretBox(randomBytes(32));
  }

  /**
   * The key from GONGFLOW_SECRETS_KEY, else from `<dataDir>/secrets.key` (created on first use, mode 0600).
   * Several machines must share the variable: a key file only works when everything runs on one machine.
   */
  static fromEnvironment(options: { dataDir: string; env?: NodeJS.ProcessEnv }): SecretBox {
    const env = options.env ?? process.env;
    const previous = (env[PREVIOUS_SECRETS_KEYS_VARIABLE] ?? '')
      .split(',')
      .map((text) => text.trim())
      .filter(Boolean)
      .map((text) => decodeKey(text, PREVIOUS_SECRETS_KEYS_VARIABLE));
    const fromVariable = env[SECRETS_KEY_VARIABLE]?.trim();
    if (fromVariable) return new SecretBox(decodeKey(fromVariable, SECRETS_KEY_VARIABLE), previous);
    const file = path.join(options.dataDir, SECRETS_KEY_FILE);
    if (!existsSync(file)) {
      mkdirSync(options.dataDir, { recursive: true });
      try {
        writeFileSync(file, `${randomBytes(32).toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
      } catch (error) {
        // Another process created it first: use theirs.
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      chmodSync(file, 0o600);
    }
    return new SecretBox(decodeKey(readFileSync(file, 'utf8').trim(), file), previous);
  }

  get keyId(): string {
    return this.current.id;
  }

  seal(plaintext: string): Sealed {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.current.bytes, iv);
    cipher.setAAD(Buffer.from(PREFIX));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]);
    return `${PREFIX}.${this.current.id}.${iv.toString('base64url')}.${body.toString('base64url')}` as Sealed;
  }

  open(sealed: Sealed): string {
    const [prefix, id, iv, body] = sealed.split('.');
    if (prefix !== PREFIX || !id || !iv || !body) {
      throw new GongflowError('SECRET_UNREADABLE', 'A stored secret is not in gongflow’s sealed format.');
    }
    const key = this.byId.get(id);
    if (!key) {
      throw new GongflowError(
        'SECRET_KEY_UNKNOWN',
        `A stored secret was sealed with key ${id}, which this process does not have.`,
        {
          hint: `Give every worker, API and CLI process the same ${SECRETS_KEY_VARIABLE} (keep old keys in ${PREVIOUS_SECRETS_KEYS_VARIABLE} while rotating).`,
        },
      );
    }
    const data = Buffer.from(body, 'base64url');
    const decipher = createDecipheriv('aes-256-gcm', key.bytes, Buffer.from(iv, 'base64url'));
    decipher.setAAD(Buffer.from(PREFIX));
    decipher.setAuthTag(data.subarray(data.length - 16));
    try {
      return Buffer.concat([decipher.update(data.subarray(0, data.length - 16)), decipher.final()]).toString(
        'utf8',
      );
    } catch {
      throw new GongflowError(
        'SECRET_UNREADABLE',
        `A stored secret sealed with key ${id} failed authentication.`,
      );
    }
  }

  /** HMAC-SHA256 key derived from the current key for one purpose (OAuth `state`, connect links). */
  hmacKey(purpose: string): Buffer {
    return derive(this.current, purpose);
  }

  /** The purpose's keys derived from every known key, current first: verifies what was signed before a rotation. */
  hmacKeys(purpose: string): Buffer[] {
    return [...this.byId.values()].map((key) => derive(key, purpose));
  }
}

function derive(key: Key, purpose: string): Buffer {
  return createHash('sha256').update(key.bytes).update(`gongflow:${purpose}`).digest();
}

function keyId(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex').slice(0, 8);
}

function decodeKey(text: string, source: string): Buffer {
  const bytes = Buffer.from(text, 'base64');
  if (bytes.length !== 32) {
    throw new GongflowError('SECRETS_KEY_INVALID', `The key in ${source} is not 32 bytes of base64.`, {
      hint: 'Generate one with `openssl rand -base64 32`.',
    });
  }
  return bytes;
}
