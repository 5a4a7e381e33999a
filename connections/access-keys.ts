import { GongflowError } from '../core/errors';
import { GongClient } from '../gong/client/client';
import { GongApiError } from '../gong/client/errors';
import type { ConnectionSummary } from './model';
import type { SecretBox } from './secrets';
import { assertConnectionId, type TemporalConnections } from './temporal-connections';

export interface AddKeyConnectionInput {
  id: string;
  customer?: string;
  /** The API base URL Gong shows next to the key, e.g. https://us-12345.api.gong.io. */
  baseUrl: string;
  accessKey: string;
  accessKeySecret: string;
  /** Scopes the key was limited to in Gong, if any. */
  scopes?: string[] | null;
}

export type CredentialTest =
  { ok: true; totalUsers: number } | { ok: false; status: number; message: string };

/** Tests credentials the way Gong integrators do: GET /v2/users (first page), which needs api:users:read. */
export async function testGongCredentials(input: {
  baseUrl: string;
  authorization: string;
  timeoutMs?: number;
}): Promise<CredentialTest> {
  const client = new GongClient(
    {
      connectionId: 'test',
      baseUrl: input.baseUrl,
      authorization: () => Promise.resolve(input.authorization),
    },
    { timeoutMs: input.timeoutMs ?? 15_000 },
  );
  try {
    const response = await client.send({ method: 'GET', path: '/v2/users', query: {}, json: undefined });
    if (response.status >= 200 && response.status < 300) {
      const total = (response.body as { records?: { totalRecords?: number } }).records?.totalRecords ?? 0;
      return { ok: true, totalUsers: total };
    }
    const errors = (response.body as { errors?: unknown[] } | undefined)?.errors;
    return {
      ok: false,
      status: response.status,
      message:
        Array.isArray(errors) && errors.length > 0
          ? errors.map(String).join('; ')
          : `HTTP ${response.status}`,
    };
  } catch (error) {
    if (error instanceof GongApiError) return { ok: false, status: error.status, message: error.message };
    throw error;
  }
}

export function basicAuthorization(accessKey: string, accessKeySecret: string): string {
  return `Basic ${Buffer.from(`${accessKey}:${accessKeySecret}`).toString('base64')}`;
}

/** Adds (or replaces) a key-based connection after Gong accepted the key with GET /v2/users. */
export async function addKeyConnection(
  connections: TemporalConnections,
  secrets: SecretBox,
  input: AddKeyConnectionInput,
): Promise<{ connection: ConnectionSummary; totalUsers: number }> {
  assertConnectionId(input.id);
  let baseUrl: URL;
  try {
    baseUrl = new URL(input.baseUrl);
    if (baseUrl.protocol !== 'https:' && baseUrl.protocol !== 'http:') throw new Error('not http');
  } catch {
    throw new GongflowError('CONNECTION_BASE_URL_INVALID', `"${input.baseUrl}" is not an http(s) URL.`, {
      hint: 'Copy the API base URL Gong shows next to the access key, e.g. https://us-12345.api.gong.io.',
    });
  }
  if (!input.accessKey.trim() || !input.accessKeySecret.trim()) {
    throw new GongflowError('CONNECTION_KEY_MISSING', 'An access key and its secret are both needed.', {
      hint: 'Create them in Gong: Company settings > Ecosystem > API > Create (the secret is shown once).',
    });
  }
  const authorization = basicAuthorization(input.accessKey.trim(), input.accessKeySecret.trim());
  const apiBaseUrl = baseUrl.toString().replace(/\/+$/, '');
  const test = await testGongCredentials({ baseUrl: apiBaseUrl, authorization });
  if (!test.ok) {
    throw new GongflowError(
      'CONNECTION_TEST_FAILED',
      `Gong refused the access key at ${apiBaseUrl} (GET /v2/users answered ${test.status}: ${test.message}).`,
      {
        hint:
          test.status === 403
            ? 'The key belongs to another company host: use the API base URL Gong shows next to the key.'
            : test.status === 401
              ? 'Check the access key and secret (and that the key may read users: api:users:read).'
              : 'Check the API base URL and that Gong is reachable.',
      },
    );
  }
  const connection = await connections.save(input.id, {
    customer: input.customer ?? input.id,
    apiBaseUrl,
    scopes: input.scopes ?? null,
    credentials: {
      type: 'key',
      accessKey: input.accessKey.trim(),
      authorization: secrets.seal(authorization),
    },
  });
  return { connection, totalUsers: test.totalUsers };
}
