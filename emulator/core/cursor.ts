import { createHmac, timingSafeEqual } from 'node:crypto';
import { GONG_MESSAGES, GongApiError } from './api-error';

/**
 * Gong's cursors are HS256 JWTs (`{"pageSize":100,"total":215,"pageNumber":1,"exp":…}`). Ours look
 * the same, are bound to the operation and the company, and expire on the emulated clock.
 */
export interface CursorClaims {
  /** Index of the page this cursor fetches (0-based). */
  pageNumber: number;
  pageSize: number;
  total: number;
  /** Operation key, so a cursor from one list cannot page another. */
  op: string;
  companyId: string;
  /** Seconds since epoch, emulated clock. */
  exp: number;
}

function base64url(input: Buffer | string): string {
  return Buffer.from(input).toString('base64url');
}

export function signCursor(claims: CursorClaims, secret: Buffer): string {
  const header = base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
  const payload = base64url(JSON.stringify(claims));
  const signature = createHmac('sha256', secret).update(`${header}.${payload}`).digest('base64url');
  return `${header}.${payload}.${signature}`;
}

export function verifyCursor(
  cursor: string,
  expected: { op: string; companyId: string; nowMs: number },
  secret: Buffer,
): CursorClaims {
  const invalid = new GongApiError(400, GONG_MESSAGES.cursorInvalid);
  const [header, payload, signature] = cursor.split('.');
  if (!header || !payload || !signature) throw invalid;
  const good = createHmac('sha256', secret).update(`${header}.${payload}`).digest();
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== good.length || !timingSafeEqual(given, good)) throw invalid;
  let claims: CursorClaims;
  try {
    claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as CursorClaims;
  } catch {
    throw invalid;
  }
  if (claims.op !== expected.op || claims.companyId !== expected.companyId) throw invalid;
  if (claims.exp * 1000 <= expected.nowMs) throw new GongApiError(400, GONG_MESSAGES.cursorExpired);
  return claims;
}
