import { GONG_REQUEST_ACTION_NAME } from './request';
import type { GongActionDefinition, WriteKey, WriteSemantics } from './types';

/**
 * What repeating this call does: the action's semantics, except that `gong.request` is a read for GET and
 * for listings (`itemsKey`: Gong's POST searches) and unsafe otherwise (any path: gongflow cannot know what
 * it does), and that a keyed write whose input lacks its key is unsafe.
 */
export function writeSemanticsOf(
  action: GongActionDefinition,
  input: Record<string, unknown>,
): WriteSemantics {
  if (action.name === GONG_REQUEST_ACTION_NAME)
    return input['method'] === 'GET' || input['itemsKey'] !== undefined ? 'read' : 'unsafe';
  if (action.semantics === 'keyed' && !hasKey(action.key, input)) return 'unsafe';
  return action.semantics;
}

/** Whether some input makes a call of the action unsafe (so `onUnknownOutcome` can matter for it). */
export function canBeUnsafe(action: GongActionDefinition): boolean {
  if (action.name === GONG_REQUEST_ACTION_NAME || action.semantics === 'unsafe') return true;
  if (action.semantics !== 'keyed' || !action.key) return false;
  const field = (
    action.input as unknown as { shape?: Record<string, { safeParse(value: unknown): { success: boolean } }> }
  ).shape?.[action.key.field];
  return field?.safeParse(undefined).success === true;
}

function hasKey(key: WriteKey | undefined, input: Record<string, unknown>): key is WriteKey {
  const value = key ? input[key.field] : undefined;
  return value !== undefined && value !== null && value !== '';
}

/**
 * Gong's answer to a repeated key: the status the key names, with one of its texts in what Gong said when it
 * lists some.
 */
export function isRepeatedKeyAnswer(key: WriteKey, status: number, gongSaid: string): boolean {
  if (status !== key.repeated.status) return false;
  const expected = key.repeated.messages;
  return !expected?.length || expected.some((text) => gongSaid.includes(text));
}

/** What a retry of the action does after an ambiguous outcome, in one sentence (docs). */
export function describeSemantics(action: GongActionDefinition): string {
  if (action.name === GONG_REQUEST_ACTION_NAME)
    return 'GET or `itemsKey` (a listing): a read, retried freely. Otherwise unsafe (gongflow cannot know what the path does).';
  switch (action.semantics) {
    case 'read':
      return 'read: retried freely.';
    case 'idempotent':
      return 'idempotent: a repeat leaves the same state, retried freely.';
    case 'unsafe':
      return 'unsafe: at most once; an ambiguous outcome fails with GongWriteOutcomeUnknown.';
    case 'keyed': {
      const key = action.key;
      if (!key) return 'keyed';
      const answer = `${key.repeated.status}${key.repeated.messages?.length ? ` "${key.repeated.messages.join('" or "')}"` : ''}`;
      const from =
        key.existing.from === 'lookup' ? `read back with ${key.existing.action}` : 'rebuilt from the input';
      const optional = (
        action.input as unknown as {
          shape?: Record<string, { safeParse(value: unknown): { success: boolean } }>;
        }
      ).shape?.[key.field]?.safeParse(undefined).success;
      return `keyed by \`${key.field}\`: resent with the same key; Gong's ${answer} to a repeat means done (output ${from}).${optional ? ` Without \`${key.field}\`: unsafe.` : ''}`;
    }
  }
}
