import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createHmac,
  randomBytes,
  timingSafeEqual,
} from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { METADATA_ENCODING_KEY, type Payload, type PayloadCodec } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { GongflowError } from '../core/errors';

/** `id1:base64key,id2:base64key`: the first key encrypts, every key decrypts (rotation). */
export const ENCRYPTION_KEYS_VARIABLE = 'GONGFLOW_ENCRYPTION_KEYS';
/** Where a single-machine setup keeps its generated key when the variable is not set. */
export const ENCRYPTION_KEY_FILE = 'encryption-keys.json';

const ENCODING = 'binary/encrypted';
const KEY_ID = 'encryption-key-id';
const IV_BYTES = 12;
const TAG_BYTES = 16;

export interface EncryptionKey {
  id: string;
  key: Buffer;
}

/**
 * AES-256-GCM with a key ring: encrypts with the current key and records its id next to the ciphertext,
 * decrypts with whichever configured key the id names, so keys rotate without re-encrypting history.
 */
export class Cipher {
  private readonly byId: Map<string, Buffer>;

  constructor(private readonly keys: EncryptionKey[]) {
    if (keys.length === 0) throw new GongflowError('ENCRYPTION_NO_KEY', 'Encryption needs at least one key.');
    for (const key of keys) {
      if (key.key.length !== 32 || !/^[A-Za-z0-9_.-]+$/.test(key.id)) {
        throw new GongflowError(
          'ENCRYPTION_KEY_INVALID',
          `Encryption key "${key.id}" must be 32 bytes (base64) with an id of letters, digits, . _ -.`,
          {
            hint: `Generate one with \`openssl rand -base64 32\` and set ${ENCRYPTION_KEYS_VARIABLE}=<id>:<key>.`,
          },
        );
      }
    }
    this.byId = new Map(keys.map((key) => [key.id, key.key]));
  }

  /**
   * A credential derived from each key (HMAC of a fixed label), for the Temporal UI's codec endpoint: the
   * UI cannot send an API key, so its endpoint URL carries this instead. Any key of the ring matches, so a
   * rotation does not break a UI configured before it; removing a key revokes its token.
   */
  uiCodecToken(): string {
    return uiToken(this.keys[0]!.key);
  }

  /** A secret for another purpose (e.g. sealing console sessions), derived from the current key and a label. */
  deriveSecret(label: string): Buffer {
    return createHmac('sha256', this.keys[0]!.key).update(`gongflow ${label}`).digest();
  }

  acceptsUiCodecToken(token: string): boolean {
    const presented = Buffer.from(token);
    return this.keys.some((key) => {
      const expected = Buffer.from(uiToken(key.key));
      return expected.length === presented.length && timingSafeEqual(expected, presented);
    });
  }

  get currentKeyId(): string {
    return this.keys[0]!.id;
  }

  encrypt(plain: Uint8Array): { keyId: string; data: Uint8Array } {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.keys[0]!.key, iv);
    const body = Buffer.concat([cipher.update(plain), cipher.final()]);
    return { keyId: this.currentKeyId, data: Buffer.concat([iv, body, cipher.getAuthTag()]) };
  }

  decrypt(keyId: string, data: Uint8Array): Uint8Array {
    const key = this.byId.get(keyId);
    if (!key) {
      throw new GongflowError(
        'ENCRYPTION_KEY_UNKNOWN',
        `Data was encrypted with key "${keyId}", which this process does not have.`,
        { hint: `Add the old key to ${ENCRYPTION_KEYS_VARIABLE} after the current one.` },
      );
    }
    const buffer = Buffer.from(data);
    const iv = buffer.subarray(0, IV_BYTES);
    const tag = buffer.subarray(buffer.length - TAG_BYTES);
    const decipher = createDecipheriv('aes-256-gcm', key, iv);
    decipher.setAuthTag(tag);
    return Buffer.concat([
      decipher.update(buffer.subarray(IV_BYTES, buffer.length - TAG_BYTES)),
      decipher.final(),
    ]);
  }

  /** Self-describing sealed bytes for data kept outside Temporal (blobs): `keyId\n` + encrypted data. */
  seal(plain: Uint8Array): Uint8Array {
    const { keyId, data } = this.encrypt(plain);
    return Buffer.concat([Buffer.from(`${keyId}\n`), data]);
  }

  unseal(sealed: Uint8Array): Uint8Array {
    const buffer = Buffer.from(sealed);
    const newline = buffer.indexOf(10);
    if (newline <= 0) throw new GongflowError('ENCRYPTION_UNREADABLE', 'Sealed data has no key id.');
    return this.decrypt(buffer.subarray(0, newline).toString('utf8'), buffer.subarray(newline + 1));
  }
}

function uiToken(key: Buffer): string {
  return createHmac('sha256', key).update('gongflow temporal-ui codec v1').digest('base64url');
}

/** Temporal payload codec: every payload (inputs, results, signals, queries, failures' details) encrypted. */
export class EncryptionCodec implements PayloadCodec {
  constructor(readonly cipher: Cipher) {}

  encode(payloads: Payload[]): Promise<Payload[]> {
    return Promise.resolve(
      payloads.map((payload) => {
        const { keyId, data } = this.cipher.encrypt(temporal.api.common.v1.Payload.encode(payload).finish());
        return {
          metadata: {
            [METADATA_ENCODING_KEY]: Buffer.from(ENCODING),
            [KEY_ID]: Buffer.from(keyId),
          },
          data,
        };
      }),
    );
  }

  decode(payloads: Payload[]): Promise<Payload[]> {
    return Promise.resolve(
      payloads.map((payload) => {
        const encoding = payload.metadata?.[METADATA_ENCODING_KEY];
        if (!encoding || Buffer.from(encoding).toString() !== ENCODING) return payload;
        const keyId = Buffer.from(payload.metadata?.[KEY_ID] ?? new Uint8Array()).toString();
        const plain = this.cipher.decrypt(keyId, payload.data ?? new Uint8Array());
        return temporal.api.common.v1.Payload.decode(plain);
      }),
    );
  }
}

/** Parses `id:base64,id:base64`. */
export function parseEncryptionKeys(text: string): EncryptionKey[] {
  return text
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => {
      const colon = part.indexOf(':');
      if (colon <= 0)
        throw new GongflowError(
          'ENCRYPTION_KEY_INVALID',
          `${ENCRYPTION_KEYS_VARIABLE} entries are <id>:<base64 key>.`,
        );
      return { id: part.slice(0, colon), key: Buffer.from(part.slice(colon + 1), 'base64') };
    });
}

export interface EncryptionSettings {
  enabled: boolean;
  keyFile: string;
}

/**
 * The cipher a process uses, or undefined when encryption is off (`encryption.enabled: false`). Keys come
 * from GONGFLOW_ENCRYPTION_KEYS (set it, identically, on every worker and client of a fleet); without it,
 * a key generated on first use and kept in `<dataDir>/<keyFile>` (mode 0600), which every process of the
 * project on this machine finds (they resolve dataDir from the same configuration file).
 */
export function loadCipher(options: {
  settings: EncryptionSettings;
  dataDir: string;
  env?: NodeJS.ProcessEnv;
}): Cipher | undefined {
  if (!options.settings.enabled) return undefined;
  const env = options.env ?? process.env;
  const fromEnv = env[ENCRYPTION_KEYS_VARIABLE]?.trim();
  if (fromEnv) return new Cipher(parseEncryptionKeys(fromEnv));
  const file = path.resolve(options.dataDir, options.settings.keyFile);
  createKeyFileOnce(file);
  checkKeyFileMode(file);
  let stored: { keys?: unknown };
  try {
    stored = JSON.parse(readFileSync(file, 'utf8')) as { keys?: unknown };
  } catch (error) {
    throw new GongflowError(
      'ENCRYPTION_KEY_FILE',
      `Cannot read the key file ${file}: ${(error as Error).message}`,
      {
        hint: `It holds {"keys": ["<id>:<base64 key>", ...]}, the current key first. Restore it from a backup: runs encrypted with a lost key cannot be read.`,
      },
    );
  }
  const keys = Array.isArray(stored.keys) ? stored.keys.filter((key) => typeof key === 'string') : [];
  return new Cipher(parseEncryptionKeys(keys.join(',')));
}

/**
 * Writes a new key ring unless one exists. A worker and a CLI started together may both get here: the
 * file is written aside and linked into place, which fails if another process won, so both end up with
 * the same key and neither ever reads a half-written file.
 */
function createKeyFileOnce(file: string): void {
  try {
    statSync(file);
    return;
  } catch {
    // missing: create it below
  }
  const key = randomBytes(32);
  const id = `local-${createHash('sha256').update(key).digest('hex').slice(0, 8)}`;
  mkdirSync(path.dirname(file), { recursive: true });
  const aside = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  writeFileSync(aside, `${JSON.stringify({ keys: [`${id}:${key.toString('base64')}`] }, null, 2)}\n`, {
    mode: 0o600,
  });
  try {
    linkSync(aside, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    unlinkSync(aside);
  }
}

/** Like ssh with a private key: a key file others can read is refused rather than used. */
function checkKeyFileMode(file: string): void {
  if (process.platform === 'win32') return;
  const mode = statSync(file).mode & 0o777;
  if ((mode & 0o077) === 0) return;
  throw new GongflowError(
    'ENCRYPTION_KEY_FILE_MODE',
    `The encryption key file ${file} is readable by others (mode ${mode.toString(8)}).`,
    { hint: `Run \`chmod 600 ${file}\`, and consider the key exposed if others could read it.` },
  );
}

/**
 * The module exporting gongflow's failure converter (failure messages and stacks travel as payloads):
 * `.ts` from the sources, `.js` in the compiled build.
 */
export const FAILURE_CONVERTER_PATH = path.resolve(__dirname, `failure-converter${path.extname(__filename)}`);

/**
 * The data converter of every gongflow client and worker: failure messages and stack traces as payloads
 * (see failure-converter.ts), encrypted by the codec when there is a cipher.
 */
export function dataConverterFor(cipher: Cipher | undefined): {
  failureConverterPath: string;
  payloadCodecs?: PayloadCodec[];
} {
  return {
    failureConverterPath: FAILURE_CONVERTER_PATH,
    ...(cipher ? { payloadCodecs: [new EncryptionCodec(cipher)] } : {}),
  };
}

/** A process's cipher: the one given, none for `null`, else loaded from configuration (loadCipher). */
export function resolveCipher(
  given: Cipher | null | undefined,
  settings: EncryptionSettings,
  dataDir: string,
): Cipher | undefined {
  if (given === null) return undefined;
  return given ?? loadCipher({ settings, dataDir });
}
