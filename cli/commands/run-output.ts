import { GongflowError } from '../../core/errors';
import type { StepEvent } from '../../runs/follow';

/** One line per step event, as `gongflow dev` and `gongflow run --follow` print them. */
export function renderStepEvent(event: StepEvent): string {
  const label = event.step.title ? `${event.step.id} (${event.step.title})` : event.step.id;
  const elapsed = event.step.endedAt
    ? ` ${formatElapsed(Date.parse(event.step.endedAt) - Date.parse(event.step.startedAt))}`
    : '';
  switch (event.type) {
    case 'started':
      return `  ▸ ${label} [${event.step.kind}] started`;
    case 'completed':
      return `  ✓ ${label} completed${elapsed}`;
    case 'skipped':
      return `  ○ ${label} skipped (when: false)`;
    case 'failed':
      return `  ✗ ${label} failed${elapsed}: ${event.step.error ?? ''}`;
  }
}

function formatElapsed(ms: number): string {
  return ms < 1000 ? `in ${ms}ms` : `in ${(ms / 1000).toFixed(1)}s`;
}

export function parseJsonOption(text: string, option: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new GongflowError('CLI_INVALID_JSON', `${option} is not valid JSON: ${(error as Error).message}`, {
      hint: `Quote the JSON for your shell, e.g. ${option} '{"key": "value"}'.`,
    });
  }
}
