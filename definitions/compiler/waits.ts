import type { PayloadFieldSource, StepSources } from '../model';
import type { JsonValue } from '../plan';
import type { Compilation, CompiledStep, StepSite } from './context';
import type { Recovered } from './shape';
import { compileExpressionField, compileValue } from './expressions';

/** `sleep`, `waitUntil`, `waitForSignal` and `approval`: steps that wait for time or for someone. */

const APPROVAL_PAYLOAD_SCHEMA: JsonValue = {
  type: 'object',
  properties: { approved: { type: 'boolean' }, by: { type: 'string' }, comment: { type: 'string' } },
  required: ['approved'],
  additionalProperties: false,
};

export function compileSleepStep(
  _c: Compilation,
  step: Recovered<StepSources['sleep']>,
  site: StepSite,
): CompiledStep {
  if (step.sleep === undefined) return { exported: site.own };
  return { plan: { ...site.common, kind: 'sleep', durationMs: step.sleep }, exported: site.own };
}

export function compileWaitUntilStep(
  c: Compilation,
  step: Recovered<StepSources['waitUntil']>,
  site: StepSite,
): CompiledStep {
  if (step.waitUntil === undefined) return { exported: site.own };
  const time = compileExpressionField(c, step.waitUntil, [...site.path, 'waitUntil'], site.scope, 'time');
  return { plan: time && { ...site.common, kind: 'waitUntil', time: time.plan }, exported: site.own };
}

export function compileWaitForSignalStep(
  _c: Compilation,
  step: Recovered<StepSources['waitForSignal']>,
  site: StepSite,
): CompiledStep {
  if (step.waitForSignal === undefined || step.timeout === undefined) return { exported: site.own };
  return {
    plan: {
      ...site.common,
      kind: 'waitForSignal',
      signal: step.waitForSignal,
      approval: false,
      ...(step.payload ? { payloadSchema: payloadJsonSchema(step.payload) } : {}),
      timeoutMs: step.timeout,
      onTimeout: step.onTimeout ?? 'fail',
    },
    exported: site.own,
  };
}

export function compileApprovalStep(
  c: Compilation,
  step: Recovered<StepSources['approval']>,
  site: StepSite,
): CompiledStep {
  const prompt = compileValue(c, step.approval, [...site.path, 'approval'], site.scope);
  if (step.timeout === undefined) return { exported: site.own };
  return {
    plan: {
      ...site.common,
      kind: 'waitForSignal',
      signal: site.common.id,
      approval: true,
      payloadSchema: APPROVAL_PAYLOAD_SCHEMA,
      timeoutMs: step.timeout,
      onTimeout: step.onTimeout ?? 'fail',
      prompt,
      ...(step.approvers ? { approvers: step.approvers.filter((who) => who !== undefined) } : {}),
    },
    exported: site.own,
  };
}

function payloadJsonSchema(payload: Recovered<Record<string, PayloadFieldSource>>): JsonValue {
  const properties: Record<string, JsonValue> = {};
  const required: string[] = [];
  for (const [name, field] of Object.entries(payload)) {
    if (!field) continue;
    properties[name] = {
      ...(field.type === 'any' || field.type === undefined ? {} : { type: field.type }),
      ...(field.description ? { description: field.description } : {}),
    };
    if (field.required !== false) required.push(name);
  }
  return { type: 'object', properties, required, additionalProperties: false };
}
