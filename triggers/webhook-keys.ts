import { randomBytes } from 'node:crypto';
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { GongflowError } from '../core/errors';
import { isUnansweredQuery } from '../temporal/unanswered-query';
import type { WebhookEndpointChange, WebhookEndpointConfig } from '../workflows/triggers/webhook-endpoint';
import { webhookEndpointWorkflowId } from './ids';
import { readWebhookConfig } from './webhook-config';
import { importGongPublicKey, sha256Hex } from './webhook-verify';

/**
 * The credentials of a connection's Gong webhook endpoint: public keys of Gong rules (signed deliveries) and
 * URL keys (only their SHA-256 is stored). Keys are listed by id, never by value: a public key's id is
 * `pk_` + the first 12 hex digits of the SHA-256 of its DER bytes, a URL key's `uk_` + the first 12 of the
 * SHA-256 of the key, so whoever holds a key can tell its id (`printf %s KEY | sha256sum`).
 */
export interface WebhookKeyInfo {
  id: string;
  type: 'public-key' | 'url-key';
  detail: string;
}

export interface WebhookKeyList {
  connection: string;
  keys: WebhookKeyInfo[];
}

export interface NewWebhookKeys {
  /** Bare base64 SPKI (Gong's "Show public key") or PEM. */
  publicKey?: string | undefined;
  /** A URL key; `true` generates one. */
  urlKey?: string | true | undefined;
}

const ID_HEX = 12;

/** The destination URL of a Gong rule for a connection. */
export function webhookUrl(publicUrl: string, connectionId: string): string {
  return `${publicUrl.replace(/\/+$/, '')}/webhooks/gong/${encodeURIComponent(connectionId)}`;
}

/** The endpoint changes that add these keys; a generated URL key is returned (to be shown once). */
export function webhookKeyChanges(keys: NewWebhookKeys): {
  changes: WebhookEndpointChange[];
  added: WebhookKeyInfo[];
  urlKey?: string;
} {
  const changes: WebhookEndpointChange[] = [];
  const added: WebhookKeyInfo[] = [];
  if (keys.publicKey) {
    const publicKey = keys.publicKey.includes('BEGIN PUBLIC KEY')
      ? keys.publicKey.trim()
      : keys.publicKey.replace(/\s+/g, '');
    const id = publicKeyId(publicKey);
    if (!id)
      throw new GongflowError(
        'WEBHOOK_BAD_PUBLIC_KEY',
        'The public key is not an RSA public key Gong shows.',
        {
          hint: 'Paste the base64 text of the rule\'s "Show public key" (SPKI), or a PEM "BEGIN PUBLIC KEY" block.',
        },
      );
    changes.push({ type: 'addPublicKey', publicKey });
    added.push(publicKeyInfo(publicKey, id));
  }
  const urlKey = keys.urlKey === true ? randomBytes(24).toString('base64url') : keys.urlKey;
  if (urlKey !== undefined) {
    if (!/^[A-Za-z0-9._~-]{16,200}$/.test(urlKey))
      throw new GongflowError(
        'WEBHOOK_BAD_URL_KEY',
        'A URL key must be 16 to 200 URL-safe characters (letters, digits, - _ . ~).',
        { hint: 'Let gongflow generate one: --url-key without a value.' },
      );
    const sha256 = sha256Hex(urlKey);
    changes.push({ type: 'addUrlKey', sha256 });
    added.push(urlKeyInfo(sha256));
  }
  return { changes, added, ...(keys.urlKey === true && urlKey ? { urlKey } : {}) };
}

/** Every key of the connection's webhook endpoint, by id. */
export async function listWebhookKeys(
  client: Client,
  target: { connection: string; taskQueue: string },
): Promise<WebhookKeyList> {
  const { config } = await endpointOf(client, target);
  return { connection: target.connection, keys: keysOf(config) };
}

/** Adds keys to a deployed endpoint (rotation: add the new key, move the Gong rule to it, revoke the old). */
export async function addWebhookKeys(
  client: Client,
  target: { connection: string; taskQueue: string },
  keys: NewWebhookKeys,
): Promise<{ added: WebhookKeyInfo[]; urlKey?: string }> {
  if (!keys.publicKey && keys.urlKey === undefined)
    throw new GongflowError('WEBHOOK_NO_KEY', 'Nothing to add: give a public key or a URL key.', {
      hint: 'gongflow triggers keys add --connection <id> --public-key <base64> | --url-key [key]',
    });
  const { handle } = await endpointOf(client, target);
  const { changes, added, urlKey } = webhookKeyChanges(keys);
  await handle.signal('configure', changes);
  return { added, ...(urlKey ? { urlKey } : {}) };
}

/**
 * Revokes one key by id (or by its value). Returns once the configuration receivers read (the endpoint's
 * memo) no longer holds it; a receiver checks each delivery against a configuration read at most 2 s before
 * (triggers/webhook-config.ts), so a delivery with it is refused at most 2 s after this returns.
 */
export async function revokeWebhookKey(
  client: Client,
  target: { connection: string; taskQueue: string },
  key: string,
): Promise<{ revoked: WebhookKeyInfo; remaining: WebhookKeyInfo[] }> {
  const { handle, config } = await endpointOf(client, target);
  const revoked = keysOf(config).find((candidate) => matchesKey(candidate, key));
  if (!revoked)
    throw new GongflowError(
      'WEBHOOK_KEY_NOT_FOUND',
      `Connection ${target.connection}'s webhook endpoint has no key ${key.startsWith('pk_') || key.startsWith('uk_') ? key : '(the value given)'}.`,
      { hint: `List its keys: gongflow triggers keys list --connection ${target.connection}` },
    );
  const change: WebhookEndpointChange =
    revoked.type === 'url-key'
      ? { type: 'removeUrlKey', sha256: urlKeyHashOf(config, revoked.id) }
      : { type: 'removePublicKey', publicKey: publicKeyOf(config, revoked.id) };
  await handle.signal('configure', [change]);
  // Confirmed in what receivers read (the endpoint's memo) before saying it is revoked.
  const deadline = Date.now() + 10_000;
  for (;;) {
    const now = await readWebhookConfig(client, target.connection);
    const remaining = now ? keysOf(now) : [];
    if (!remaining.some((candidate) => candidate.id === revoked.id)) return { revoked, remaining };
    if (Date.now() > deadline)
      throw new GongflowError(
        'TRIGGER_ENDPOINT_UNREADABLE',
        `The revocation of ${revoked.id} is recorded but no worker has applied it yet.`,
        { hint: `Check that a gongflow worker runs on task queue ${target.taskQueue}.` },
      );
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function endpointOf(
  client: Client,
  target: { connection: string; taskQueue: string },
): Promise<{ handle: ReturnType<Client['workflow']['getHandle']>; config: WebhookEndpointConfig }> {
  const handle = client.workflow.getHandle(webhookEndpointWorkflowId(target.connection));
  const notDeployed = new GongflowError(
    'WEBHOOK_ENDPOINT_NOT_FOUND',
    `No Gong webhook trigger is deployed on connection ${target.connection}.`,
    {
      hint: 'Deploy a definition with a gong.call.processed trigger: gongflow triggers deploy <file> --connection <id>.',
    },
  );
  try {
    const description = await handle.describe();
    // Another deployment's endpoint (another task queue) holds keys this one does not manage.
    if (description.status.name !== 'RUNNING' || description.taskQueue !== target.taskQueue)
      throw notDeployed;
    return { handle, config: await handle.query<WebhookEndpointConfig>('webhookConfig') };
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) throw notDeployed;
    if (!(error instanceof GongflowError) && isUnansweredQuery(error))
      throw new GongflowError(
        'TRIGGER_ENDPOINT_UNREADABLE',
        `The webhook endpoint of connection ${target.connection} did not answer.`,
        { hint: `Start a gongflow worker on task queue ${target.taskQueue}.` },
      );
    throw error;
  }
}

function keysOf(config: WebhookEndpointConfig): WebhookKeyInfo[] {
  return [
    ...config.publicKeys.map((publicKey) => publicKeyInfo(publicKey, publicKeyId(publicKey))),
    ...config.urlKeySha256.map(urlKeyInfo),
  ];
}

function publicKeyInfo(publicKey: string, id: string | undefined): WebhookKeyInfo {
  const bare = publicKey.replace(/-----[^-]+-----|\s+/g, '');
  return {
    id: id ?? `pk_${sha256Hex(publicKey).slice(0, ID_HEX)}`,
    type: 'public-key',
    detail: `Gong rule public key ...${bare.replace(/=+$/, '').slice(-12)} (signed deliveries)`,
  };
}

function urlKeyInfo(sha256: string): WebhookKeyInfo {
  return {
    id: `uk_${sha256.slice(0, ID_HEX)}`,
    type: 'url-key',
    detail: 'key in the Gong rule URL (?key=...)',
  };
}

/** `pk_` + SHA-256 of the key's DER bytes, so base64 and PEM forms of one key share an id; undefined if not a key. */
function publicKeyId(publicKey: string): string | undefined {
  try {
    const der = importGongPublicKey(publicKey).export({ type: 'spki', format: 'der' });
    return `pk_${sha256Hex(der).slice(0, ID_HEX)}`;
  } catch {
    return undefined;
  }
}

/** A key named by id, or by its value (a leaked URL key, or the public key text). */
function matchesKey(candidate: WebhookKeyInfo, given: string): boolean {
  if (candidate.id === given) return true;
  if (candidate.type === 'url-key') return candidate.id === `uk_${sha256Hex(given).slice(0, ID_HEX)}`;
  return candidate.id === publicKeyId(given.includes('BEGIN') ? given.trim() : given.replace(/\s+/g, ''));
}

function urlKeyHashOf(config: WebhookEndpointConfig, id: string): string {
  return config.urlKeySha256.find((sha256) => urlKeyInfo(sha256).id === id) ?? '';
}

function publicKeyOf(config: WebhookEndpointConfig, id: string): string {
  return (
    config.publicKeys.find((publicKey) => publicKeyInfo(publicKey, publicKeyId(publicKey)).id === id) ?? ''
  );
}
