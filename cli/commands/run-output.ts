import { GongflowError } from '../../core/errors';
import { jsonDepth, MAX_JSON_DEPTH } from '../../core/json-depth';
import type { StepEvent } from '../../runs/follow';

/**
 * One line per step event, as `gongflow dev` and `gongflow run --follow` print them: nested steps are
 * indented under their construct, and steps inside a loop iteration show where they are (`each[3]/post`).
 */
export function renderStepEvent(event: StepEvent): string {
  if (event.type === 'retrying') {
    const { retry } = event;
    const indent = '  '.repeat((event.step?.depth ?? 0) + 1);
    const what = event.step ? labelOf(event.step) : `activity ${retry.activityType}`;
    return `${indent}↻ ${what} attempt ${retry.attempt}${retry.lastError ? ` (the last one failed: ${retry.lastError})` : ''}`;
  }
  const { step } = event;
  const indent = '  '.repeat((step.depth ?? 0) + 1);
  const label = labelOf(step);
  const elapsed = step.endedAt
    ? ` ${formatElapsed(Date.parse(step.endedAt) - Date.parse(step.startedAt))}`
    : '';
  switch (event.type) {
    case 'started':
      return `${indent}▸ ${label} [${step.kind}] started`;
    case 'completed':
      return `${indent}✓ ${label} completed${elapsed}`;
    case 'skipped':
      return `${indent}○ ${label} skipped (when: false)`;
    case 'failed':
      return `${indent}✗ ${label} failed${elapsed}: ${step.error ?? ''}`;
  }
}

function labelOf(step: { id: string; path?: string; title?: string }): string {
  const where = step.path ?? step.id;
  return step.title ? `${where} (${step.title})` : where;
}

function formatElapsed(ms: number): string {
  return ms < 1000 ? `in ${ms}ms` : `in ${(ms / 1000).toFixed(1)}s`;
}

export function parseJsonOption(text: string, option: string): unknown {
  let value: unknown;
  try {
    value = JSON.parse(text) as unknown;
  } catch (error) {
    throw new GongflowError('CLI_INVALID_JSON', `${option} is not valid JSON: ${(error as Error).message}`, {
      hint: `Quote the JSON for your shell, e.g. ${option} '{"key": "value"}'.`,
    });
  }
  if (jsonDepth(value, MAX_JSON_DEPTH) > MAX_JSON_DEPTH) {
    throw new GongflowError('CLI_INVALID_JSON', `${option} nests deeper than ${MAX_JSON_DEPTH} levels.`, {
      hint: `Flatten the JSON: gongflow accepts at most ${MAX_JSON_DEPTH} levels of objects and arrays.`,
    });
  }
  return value;
}
