import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, readdirSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { GongflowConfigSchema } from '../config/schema';
import {
  Cipher,
  EncryptionCodec,
  ENCRYPTION_KEY_FILE,
  loadCipher,
  parseEncryptionKeys,
} from './payload-codec';

const ON = { enabled: true, keyFile: ENCRYPTION_KEY_FILE };
const keyText = (id: string): string => `${id}:${randomBytes(32).toString('base64')}`;
const tempDir = (): string => mkdtempSync(path.join(os.tmpdir(), 'gongflow-codec-'));

describe('payload encryption keys', () => {
  it('is on by default; `enabled: false` turns it off even with keys in the environment', () => {
    expect(GongflowConfigSchema.parse({}).encryption.enabled).toBe(true);
    const env = { GONGFLOW_ENCRYPTION_KEYS: keyText('fleet') };
    expect(loadCipher({ settings: { ...ON, enabled: false }, dataDir: tempDir(), env })).toBeUndefined();
    expect(loadCipher({ settings: ON, dataDir: tempDir(), env })?.currentKeyId).toBe('fleet');
  });

  it('generates one key file (0600) that every process of the project then finds', () => {
    const dataDir = tempDir();
    const first = loadCipher({ settings: ON, dataDir, env: {} });
    const second = loadCipher({ settings: ON, dataDir, env: {} });
    expect(first?.currentKeyId).toMatch(/^local-[0-9a-f]{8}$/);
    expect(second?.currentKeyId).toBe(first?.currentKeyId);
    expect(statSync(path.join(dataDir, ENCRYPTION_KEY_FILE)).mode & 0o777).toBe(0o600);
    expect(readdirSync(dataDir)).toEqual([ENCRYPTION_KEY_FILE]); // no temporary file left behind
    const sealed = first!.seal(Buffer.from('transcript'));
    expect(Buffer.from(second!.unseal(sealed)).toString()).toBe('transcript');
  });

  it('refuses a key file others can read', () => {
    const dataDir = tempDir();
    loadCipher({ settings: ON, dataDir, env: {} });
    chmodSync(path.join(dataDir, ENCRYPTION_KEY_FILE), 0o644);
    expect(() => loadCipher({ settings: ON, dataDir, env: {} })).toThrow(/readable by others/);
  });

  it('decodes with any listed key, encodes with the first; the UI token of an old key stays valid', async () => {
    const [oldKey, newKey] = [keyText('old'), keyText('new')];
    const before = new Cipher(parseEncryptionKeys(oldKey));
    const after = new Cipher(parseEncryptionKeys(`${newKey},${oldKey}`));
    const payload = {
      metadata: { encoding: Buffer.from('json/plain') },
      data: Buffer.from('{"name":"Ada"}'),
    };
    const [encoded] = await new EncryptionCodec(before).encode([payload]);
    expect(Buffer.from(encoded!.data!).includes('Ada')).toBe(false);
    const [decoded] = await new EncryptionCodec(after).decode([encoded!]);
    expect(Buffer.from(decoded!.data!).toString()).toBe('{"name":"Ada"}');
    const [reencoded] = await new EncryptionCodec(after).encode([payload]);
    expect(Buffer.from(reencoded!.metadata!['encryption-key-id']!).toString()).toBe('new');

    expect(after.acceptsUiCodecToken(before.uiCodecToken())).toBe(true);
    expect(after.acceptsUiCodecToken(after.uiCodecToken())).toBe(true);
    expect(new Cipher(parseEncryptionKeys(newKey)).acceptsUiCodecToken(before.uiCodecToken())).toBe(false);
    expect(after.acceptsUiCodecToken('x')).toBe(false);
  });
});
