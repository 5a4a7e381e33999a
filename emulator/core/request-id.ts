import { randomBytes } from 'node:crypto';

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** Gong-looking request reference (`2ydvp32fcuq7wpoy4q2`): 19 lowercase alphanumerics. */
export function newRequestId(): string {
  const bytes = randomBytes(19);
  let id = '';
  for (const byte of bytes) id += ALPHABET[byte % ALPHABET.length];
  return id;
}
