import { randomUUID } from 'node:crypto';
import { type Client, type WorkflowHandleWithFirstExecutionRunId } from '@temporalio/client';
import {
  defineSearchAttributeKey,
  SearchAttributeType,
  TypedSearchAttributes,
  type WorkflowIdConflictPolicy,
  type WorkflowIdReusePolicy,
} from '@temporalio/common';
import { GongflowError } from '../core/errors';
import { planRef, type Plan } from '../definitions/plan';
import { resolveRunInput } from '../definitions/run-input';
import type { ConnectionResolver } from '../connections/registry';
import type { OrchestrationArgs } from '../workflows/orchestration';
import type { RerunArgs } from '../workflows/interpreter/reuse';

export const ORCHESTRATION_WORKFLOW = 'orchestration';

const attribute = {
  definition: defineSearchAttributeKey('GongflowDefinition', SearchAttributeType.KEYWORD),
  version: defineSearchAttributeKey('GongflowVersion', SearchAttributeType.KEYWORD),
  hash: defineSearchAttributeKey('GongflowDefinitionHash', SearchAttributeType.KEYWORD),
  connection: defineSearchAttributeKey('GongflowConnection', SearchAttributeType.KEYWORD),
  trigger: defineSearchAttributeKey('GongflowTrigger', SearchAttributeType.KEYWORD),
  rerunOf: defineSearchAttributeKey('GongflowRerunOf', SearchAttributeType.KEYWORD),
};

/** Memo field of a rerun: the run it reruns (also the GongflowRerunOf search attribute). */
export const RERUN_OF_MEMO = 'gongflowRerunOf';

export interface StartRunOptions {
  plan: Plan;
  input?: unknown;
  connectionId?: string;
  taskQueue: string;
  /** Business key for idempotent starts (triggers derive it from the event); default: a new id. */
  workflowId?: string;
  /**
   * What a start under a workflowId that was used before does (Temporal's policies). `reuse` is about a
   * closed run with that id (default ALLOW_DUPLICATE: start again; REJECT_DUPLICATE: "start each event
   * once"); `conflict` about a running one (default FAIL). A refused start throws
   * WorkflowExecutionAlreadyStartedError.
   */
  idPolicy?: { reuse?: WorkflowIdReusePolicy; conflict?: WorkflowIdConflictPolicy };
  trigger?: { kind: string; event?: unknown };
  /** When given, the connection's scopes are checked before anything starts. */
  connections?: ConnectionResolver;
  /** Stored with the run, readable with describe() (e.g. the fingerprint of an idempotent start). */
  memo?: Record<string, unknown>;
  /** A rerun: the run it reruns and the steps of it to reuse (runs/rerun.ts). */
  rerun?: RerunArgs;
}

/**
 * Starts a run of a plan. Everything that can be checked is checked first (input, connection, scopes),
 * so a bad start never leaves a half-started run behind.
 */
export async function startRun(
  client: Client,
  options: StartRunOptions,
): Promise<WorkflowHandleWithFirstExecutionRunId> {
  const { plan } = options;
  const input = resolveRunInput(plan, options.input);
  if (!input.ok) {
    throw new GongflowError(
      'RUN_INVALID_INPUT',
      `The input does not match ${planRef(plan)}'s input declaration.`,
      {
        problems: input.errors.map((message) => ({ code: 'RUN_INVALID_INPUT', message, path: 'input' })),
        hint: 'Pass the input as JSON, e.g. --input \'{"name": "value"}\'.',
      },
    );
  }
  const connectionId = options.connectionId ?? plan.connection;
  if (plan.requiredScopes.length > 0 && !connectionId) {
    throw new GongflowError('RUN_NO_CONNECTION', `${planRef(plan)} calls Gong but no connection was given.`, {
      hint: 'Pass --connection <id> (or connectionId), or set connection: in the definition.',
    });
  }
  if (connectionId && options.connections) await checkScopes(plan, connectionId, options.connections);

  const args: OrchestrationArgs = {
    plan,
    input: input.value,
    ...(connectionId ? { connectionId } : {}),
    ...(options.trigger ? { trigger: options.trigger.event ?? null } : {}),
    ...(options.rerun ? { rerun: options.rerun } : {}),
  };
  const memo = { ...options.memo, ...(options.rerun ? { [RERUN_OF_MEMO]: options.rerun.of } : {}) };
  return client.workflow.start(ORCHESTRATION_WORKFLOW, {
    taskQueue: options.taskQueue,
    workflowId: options.workflowId ?? `gongflow-${plan.name}-${randomUUID()}`,
    ...(options.idPolicy?.reuse ? { workflowIdReusePolicy: options.idPolicy.reuse } : {}),
    ...(options.idPolicy?.conflict ? { workflowIdConflictPolicy: options.idPolicy.conflict } : {}),
    args: [args],
    ...(Object.keys(memo).length > 0 ? { memo } : {}),
    typedSearchAttributes: new TypedSearchAttributes([
      { key: attribute.definition, value: plan.name },
      { key: attribute.version, value: plan.version },
      { key: attribute.hash, value: plan.hash },
      ...(connectionId ? [{ key: attribute.connection, value: connectionId }] : []),
      { key: attribute.trigger, value: options.trigger?.kind ?? 'api' },
      ...(options.rerun ? [{ key: attribute.rerunOf, value: options.rerun.of }] : []),
    ]),
    staticSummary: `${planRef(plan)}${connectionId ? ` on ${connectionId}` : ''}`,
  });
}

async function checkScopes(plan: Plan, connectionId: string, connections: ConnectionResolver): Promise<void> {
  const granted = await connections.grantedScopes(connectionId);
  if (granted === undefined) return;
  const missing = plan.requiredScopes.filter((scope) => !granted.includes(scope));
  if (missing.length === 0) return;
  throw new GongflowError(
    'RUN_MISSING_SCOPE',
    `Connection "${connectionId}" lacks ${missing.length} scope(s) ${planRef(plan)} needs: ${missing.join(', ')}.`,
    {
      hint: "Add the scopes in gongflow's app settings and in the Gong app (Developer Hub), then reconnect.",
    },
  );
}
