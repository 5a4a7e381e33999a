import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Client } from '@temporalio/client';
import { WorkflowNotFoundError } from '@temporalio/common';
import { decodeMapFromPayloads } from '@temporalio/common/lib/internal-non-workflow';
import { optionalTsToDate } from '@temporalio/common/lib/time';
import { temporal } from '@temporalio/proto';
import { GongflowError } from '../../core/errors';
import { visibilityString } from '../../core/visibility';

/**
 * API keys, stored hashed in Temporal (the only stateful dependency): one open workflow run per key, whose
 * memo carries the key's sha256. See workflows/api-keys.ts for why this needs no worker.
 *
 * A key reads `gfk_<id>_<secret>`: the id (public, 12 hex digits) names the key's workflow, so checking a
 * key is one DescribeWorkflowExecution plus a constant-time hash comparison.
 */
export const API_KEY_WORKFLOW_TYPE = 'gongflowApiKey';
const KEY_PATTERN = /^gfk_([0-9a-f]{12})_([A-Za-z0-9_-]{43})$/;

export interface ApiKeyRecord {
  id: string;
  name: string;
  createdAt: string;
  status: 'active' | 'revoked';
  revokedAt?: string;
}

interface ApiKeyMemo {
  name: string;
  sha256: string;
  createdAt: string;
}

export function apiKeyWorkflowId(id: string): string {
  return `gongflow-api-key-${id}`;
}

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/** Something that can tell whether a presented API key is valid (the server's only need). */
export interface ApiKeyVerifier {
  verify(key: string): Promise<ApiKeyRecord | undefined>;
}

export interface ApiKeyStoreOptions {
  /** Task queue the key workflows are started on (the engine's queue; they never need a worker to be valid). */
  taskQueue: string;
  /** How long a verification result is reused; revocation takes effect within this time. */
  cacheTtlMs?: number;
}

export class TemporalApiKeyStore implements ApiKeyVerifier {
  private readonly cache = new Map<string, { record: ApiKeyRecord | undefined; expires: number }>();

  constructor(
    private readonly client: Client,
    private readonly options: ApiKeyStoreOptions,
  ) {}

  /** Creates a key; the returned `key` is shown once and cannot be recovered. */
  async create(name: string): Promise<{ key: string; record: ApiKeyRecord }> {
    const trimmed = name.trim();
    if (!trimmed) {
      throw new GongflowError('API_KEY_NAME_REQUIRED', 'An API key needs a name.', {
        hint: 'Name it after who uses it, e.g. --name billing-service.',
      });
    }
    const id = randomBytes(6).toString('hex');
    const key = `gfk_${id}_${randomBytes(32).toString('base64url')}`;
    const memo: ApiKeyMemo = { name: trimmed, sha256: hashApiKey(key), createdAt: new Date().toISOString() };
    await this.client.workflow.start(API_KEY_WORKFLOW_TYPE, {
      taskQueue: this.options.taskQueue,
      workflowId: apiKeyWorkflowId(id),
      memo: { ...memo },
      staticSummary: `gongflow API key "${trimmed}"`,
    });
    return { key, record: { id, name: trimmed, createdAt: memo.createdAt, status: 'active' } };
  }

  async list(options: { includeRevoked?: boolean } = {}): Promise<ApiKeyRecord[]> {
    const status = options.includeRevoked ? '' : ` AND ExecutionStatus = 'Running'`;
    const records: ApiKeyRecord[] = [];
    // Keys of this engine's task queue only: other deployments sharing the namespace may encrypt their
    // memos with payload keys this process does not hold, which would fail the whole listing.
    const taskQueue = this.options.taskQueue.replace(/'/g, "\\'");
    for await (const execution of this.client.workflow.list({
      query: `WorkflowType = '${API_KEY_WORKFLOW_TYPE}' AND TaskQueue = ${visibilityString(taskQueue)}${status}`,
    })) {
      const record = toRecord(execution);
      if (record) records.push(record);
    }
    return records.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  }

  async revoke(id: string): Promise<ApiKeyRecord> {
    const handle = this.client.workflow.getHandle(apiKeyWorkflowId(id));
    const described = await this.describe(id);
    if (!described || !toRecord(described)) {
      throw new GongflowError('API_KEY_NOT_FOUND', `No API key with id "${id}".`, {
        hint: 'List keys with `gongflow api-keys list`; the id is the part after gfk_.',
      });
    }
    if (described.status.name === 'RUNNING') await handle.terminate('API key revoked');
    this.cache.clear();
    return toRecord((await this.describe(id)) ?? described) as ApiKeyRecord;
  }

  async verify(key: string): Promise<ApiKeyRecord | undefined> {
    const match = KEY_PATTERN.exec(key);
    if (!match) return undefined;
    const hash = hashApiKey(key);
    const cached = this.cache.get(hash);
    if (cached && cached.expires > Date.now()) return cached.record;
    const described = await this.describe(match[1] as string);
    const memo = described ? readMemo(described) : undefined;
    const valid =
      described?.status.name === 'RUNNING' &&
      memo !== undefined &&
      timingSafeEqual(Buffer.from(memo.sha256, 'hex'), Buffer.from(hash, 'hex'));
    const record = valid ? toRecord(described) : undefined;
    this.cache.set(hash, { record, expires: Date.now() + (this.options.cacheTtlMs ?? 5_000) });
    return record;
  }

  /**
   * The key's workflow, if it belongs to this deployment: same type and the engine's task queue. A key
   * another deployment created in the same namespace is not ours (its memo may not even decode here), so
   * type and queue are read from the raw description before the memo is decoded.
   */
  private async describe(id: string): Promise<KeyExecution | undefined> {
    let response: temporal.api.workflowservice.v1.DescribeWorkflowExecutionResponse;
    try {
      response = await this.client.workflowService.describeWorkflowExecution({
        namespace: this.client.options.namespace,
        execution: { workflowId: apiKeyWorkflowId(id) },
      });
    } catch (error) {
      if (error instanceof WorkflowNotFoundError || (error as { code?: unknown }).code === GRPC_NOT_FOUND) {
        return undefined;
      }
      throw error;
    }
    const info = response.workflowExecutionInfo;
    if (info?.type?.name !== API_KEY_WORKFLOW_TYPE) return undefined;
    if (response.executionConfig?.taskQueue?.name !== this.options.taskQueue) return undefined;
    const memo = await decodeMapFromPayloads(
      this.client.options.loadedDataConverter,
      info.memo?.fields ?? undefined,
    );
    const closeTime = optionalTsToDate(info.closeTime);
    return {
      workflowId: info.execution?.workflowId ?? apiKeyWorkflowId(id),
      memo: memo ?? {},
      status: { name: info.status === RUNNING ? 'RUNNING' : 'CLOSED' },
      ...(closeTime ? { closeTime } : {}),
    };
  }
}

interface KeyExecution {
  workflowId: string;
  memo: Record<string, unknown>;
  status: { name: string };
  closeTime?: Date;
}

const GRPC_NOT_FOUND = 5;
const RUNNING = temporal.api.enums.v1.WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING;

function readMemo(execution: { memo?: Record<string, unknown> }): ApiKeyMemo | undefined {
  const memo = execution.memo as Partial<ApiKeyMemo> | undefined;
  if (typeof memo?.sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(memo.sha256)) return undefined;
  return { name: String(memo.name ?? ''), sha256: memo.sha256, createdAt: String(memo.createdAt ?? '') };
}

function toRecord(execution: {
  workflowId: string;
  memo?: Record<string, unknown>;
  status: { name: string };
  closeTime?: Date;
}): ApiKeyRecord | undefined {
  const memo = readMemo(execution);
  if (!memo) return undefined;
  const id = execution.workflowId.replace(/^gongflow-api-key-/, '');
  const active = execution.status.name === 'RUNNING';
  return {
    id,
    name: memo.name,
    createdAt: memo.createdAt,
    status: active ? 'active' : 'revoked',
    ...(!active && execution.closeTime ? { revokedAt: execution.closeTime.toISOString() } : {}),
  };
}
