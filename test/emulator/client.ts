import { isSafeNumber, parse } from 'lossless-json';
import { startEmulator, type EmulatorOptions, type GongEmulator } from '../../emulator';

/** Test helpers: talk to the emulator only through HTTP, as gongflow does. */

export interface HttpAnswer {
  status: number;
  headers: Headers;
  text: string;
  /** Parsed losslessly: integers beyond 2^53 come back as digit strings. */
  json: Record<string, unknown> & { requestId?: string; errors?: string[] };
}

export function basicAuth(user: string, secret: string): string {
  return `Basic ${Buffer.from(`${user}:${secret}`).toString('base64')}`;
}

export function parseLossless(text: string): unknown {
  return parse(text, null, (digits) => (isSafeNumber(digits) ? Number(digits) : digits));
}

export async function http(
  method: string,
  url: string,
  options: {
    auth?: string;
    body?: unknown;
    query?: Record<string, string>;
    headers?: Record<string, string>;
  } = {},
): Promise<HttpAnswer> {
  const target = new URL(url);
  for (const [key, value] of Object.entries(options.query ?? {})) target.searchParams.set(key, value);
  const headers: Record<string, string> = { ...options.headers };
  if (options.auth) headers['authorization'] = options.auth;
  let body: string | undefined;
  if (options.body !== undefined) {
    body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
    headers['content-type'] ??= 'application/json';
  }
  const response = await fetch(target, { method, headers, body, redirect: 'manual' });
  const text = await response.text();
  let json: HttpAnswer['json'] = {};
  try {
    json = text ? (parseLossless(text) as HttpAnswer['json']) : {};
  } catch {
    json = {};
  }
  return { status: response.status, headers: response.headers, text, json };
}

/** A client bound to one company's API host and credentials. */
export function gongClient(baseUrl: string, auth: string) {
  return {
    get: (path: string, query?: Record<string, string>) => http('GET', `${baseUrl}${path}`, { auth, query }),
    post: (path: string, body?: unknown, query?: Record<string, string>) =>
      http('POST', `${baseUrl}${path}`, { auth, body, query }),
    put: (path: string, body?: unknown, query?: Record<string, string>) =>
      http('PUT', `${baseUrl}${path}`, { auth, body, query }),
    patch: (path: string, body?: unknown) => http('PATCH', `${baseUrl}${path}`, { auth, body }),
    delete: (path: string, body?: unknown, query?: Record<string, string>) =>
      http('DELETE', `${baseUrl}${path}`, { auth, body, query }),
  };
}

export type GongClient = ReturnType<typeof gongClient>;

/** Fixed start instant so every run sees the same data at the same times. */
export const TEST_START = '2026-03-02T15:00:00Z';

/** An emulator with a frozen clock and a budget high enough not to get in the way. */
export async function startTestEmulator(options: EmulatorOptions = {}): Promise<{
  emulator: GongEmulator;
  api: GongClient;
}> {
  const emulator = await startEmulator({
    clock: 'frozen',
    startTime: TEST_START,
    rateLimits: { perSecond: 10_000, perDay: 1_000_000 },
    ...options,
  });
  const { apiBaseUrl, accessKey, accessKeySecret } = emulator.defaultCompany;
  return { emulator, api: gongClient(apiBaseUrl, basicAuth(accessKey, accessKeySecret)) };
}

/** Waits for a condition (polling every few ms, never a fixed sleep); fails with a message. */
export async function waitFor<T>(
  probe: () => T | undefined | Promise<T | undefined>,
  what: string,
  timeoutMs = 5_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
