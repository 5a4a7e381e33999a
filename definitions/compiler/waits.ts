import type { PayloadFieldSource, StepSources } from '../model';
import type { JsonValue } from '../plan';
import type { Compilation, CompiledStep, StepSite } from './context';
import { compileExpressionField, compileValue } from './expressions';

/** `sleep`, `waitUntil`, `waitForSignal` and `approval`: steps that wait for time or for someone. */

const APPROVAL_PAYLOAD_SCHEMA: JsonValue = {
  type: 'object',
  properties: { approved: { type: 'boolean' }, by: { type: 'string' }, comment: { type: 'string' } },
  required: ['approved'],
  additionalProperties: false,
};

export function compileSleepStep(_c: Compilation, step: StepSources['sleep'], site: StepSite): CompiledStep {
  return { plan: { ...site.common, kind: 'sleep', durationMs: step.sleep }, exported: site.own };
}

export function compileWaitUntilStep(
  c: Compilation,
  step: StepSources['waitUntil'],
  site: StepSite,
): CompiledStep {
  const time = compileExpressionField(c, step.waitUntil, [...site.path, 'waitUntil'], site.scope, 'time');
  return { plan: time && { ...site.common, kind: 'waitUntil', time: time.plan }, exported: site.own };
}

export function compileWaitForSignalStep(
  _c: Compilation,
  step: StepSources['waitForSignal'],
  site: StepSite,
): CompiledStep {
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
  step: StepSources['approval'],
  site: StepSite,
): CompiledStep {
  const prompt = compileValue(c, step.approval, [...site.path, 'approval'], site.scope);
  return {
    plan: {
      ...site.common,
      kind: 'waitForSignal',
      signal: step.id,
      approval: true,
      payloadSchema: APPROVAL_PAYLOAD_SCHEMA,
      timeoutMs: step.timeout,
      onTimeout: step.onTimeout ?? 'fail',
      prompt,
      ...(step.approvers ? { approvers: step.approvers } : {}),
    },
    exported: site.own,
  };
}

function payloadJsonSchema(payload: Record<string, PayloadFieldSource>): JsonValue {
  const properties: Record<string, JsonValue> = {};
  const required: string[] = [];
  for (const [name, field] of Object.entries(payload)) {
    properties[name] = {
      ...(field.type === 'any' ? {} : { type: field.type }),
      ...(field.description ? { description: field.description } : {}),
    };
    if (field.required !== false) required.push(name);
  }
  return { type: 'object', properties, required, additionalProperties: false };
}
