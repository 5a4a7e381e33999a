import {
  ANSWER_KEPT_MS,
  AnsweredUpdates,
  MAX_ANSWERS_CARRIED,
  type AnsweredUpdate,
} from './answered-updates';
import type { ShardReservations } from './shard';

const NOW = Date.UTC(2026, 11, 3, 12);
const slotAt = (atMs: number): ShardReservations => ({ company: [{ kind: 'slot', atMs }] });

describe('the reservation answers a budget shard carries into its next run', () => {
  it('answers a retry with the earlier answer, in this run and in the next', () => {
    const answered = new AnsweredUpdates();
    answered.remember('update-1', NOW, slotAt(NOW + 100));
    expect(answered.answerOf('update-1')).toEqual(slotAt(NOW + 100));
    expect(answered.answerOf('update-2')).toBeUndefined();
    expect(answered.answerOf(undefined)).toBeUndefined();

    // Through the continue-as-new input, a JSON payload.
    const next = new AnsweredUpdates(
      JSON.parse(JSON.stringify(answered.carried(NOW + 1_000))) as AnsweredUpdate[],
    );
    expect(next.answerOf('update-1')).toEqual(slotAt(NOW + 100));
  });

  it('forgets answers older than a retry can be, and carries only the newest', () => {
    const answered = new AnsweredUpdates();
    answered.remember('old', NOW, slotAt(NOW));
    answered.remember('recent', NOW + ANSWER_KEPT_MS, slotAt(NOW + ANSWER_KEPT_MS));
    expect(answered.answerOf('old')).toEqual(slotAt(NOW));
    answered.remember('newest', NOW + ANSWER_KEPT_MS + 1, slotAt(NOW + ANSWER_KEPT_MS + 1));
    expect(answered.answerOf('old')).toBeUndefined();
    expect(answered.carried(NOW + 2 * ANSWER_KEPT_MS + 1).map((answer) => answer.updateId)).toEqual([
      'newest',
    ]);

    const busy = new AnsweredUpdates();
    for (let index = 0; index < MAX_ANSWERS_CARRIED + 10; index += 1)
      busy.remember(`update-${index}`, NOW + index, slotAt(NOW + index));
    const carried = busy.carried(NOW + MAX_ANSWERS_CARRIED + 10);
    expect(carried).toHaveLength(MAX_ANSWERS_CARRIED);
    expect(carried[0]?.updateId).toBe('update-10');
  });
});
