import { createHash } from 'node:crypto';

/**
 * The default company's ready-made credentials derive from the seed, so a restarted standalone emulator
 * keeps working with the key a developer already configured. Everything created later is random.
 */
export function seededAccessKey(seed: number): { accessKey: string; accessKeySecret: string } {
  const digest = (label: string) =>
    createHash('sha512').update(`gongflow-emulator:${seed}:${label}`).digest();
  return {
    accessKey: digest('access-key').toString('hex').slice(0, 32).toUpperCase(),
    accessKeySecret: digest('access-key-secret').toString('base64url'),
  };
}
