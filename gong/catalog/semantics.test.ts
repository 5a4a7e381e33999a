import { GONG_ACTION_GROUPS, findGongAction, gongRequestAction } from './index';
import { actionOutputSchema } from './output';
import { isRepeatedKeyAnswer, writeSemanticsOf } from './semantics';
import type { GongActionDefinition } from './types';

const actions: GongActionDefinition[] = GONG_ACTION_GROUPS.flatMap((group) => [...group.actions]);

/** POST operations that only search or read (Gong uses POST for filters): the only non-GET reads. */
const POST_READS = [
  'gong.calls.extensive',
  'gong.calls.transcripts',
  'gong.calls.users-access.list',
  'gong.flows.prospects.list',
  'gong.flows.steps.list',
  'gong.meetings.integration.status',
  'gong.stats.activity.aggregate',
  'gong.stats.activity.aggregate-by-period',
  'gong.stats.activity.day-by-day',
  'gong.stats.activity.scorecards',
  'gong.stats.interaction',
  'gong.tasks.list',
  'gong.users.extensive',
];

describe('write semantics in the catalog', () => {
  it('reads are the GETs and the POST searches; every other operation is a write that says what a repeat does', () => {
    const nonGetReads = actions
      .filter((action) => action.method !== 'GET' && action.semantics === 'read')
      .map((action) => action.name);
    expect(nonGetReads.sort()).toEqual(POST_READS);
    for (const action of actions.filter((candidate) => candidate.method === 'GET'))
      expect({ action: action.name, semantics: action.semantics }).toEqual({
        action: action.name,
        semantics: 'read',
      });
  });

  it.each(actions.filter((action) => action.semantics === 'keyed').map((action) => [action.name, action]))(
    '%s: its key is an input field, and the existing object has the output shape',
    (_name, action) => {
      const key = action.key!;
      const shape = (action.input as unknown as { shape: Record<string, unknown> }).shape;
      expect(Object.keys(shape)).toContain(key.field);
      const example = action.example as Record<string, unknown>;
      expect(example[key.field]).toBeDefined();
      const output = actionOutputSchema(action);
      if (key.existing.from === 'input') {
        expect(output.safeParse(key.existing.output(example)).success).toBe(true);
      } else {
        const lookup = findGongAction(key.existing.action)!;
        expect(lookup.semantics).toBe('read');
        expect(lookup.input.safeParse(key.existing.input(example)).success).toBe(true);
      }
    },
  );

  it('only keyed actions carry a key', () => {
    for (const action of actions)
      expect([action.name, action.key !== undefined]).toEqual([action.name, action.semantics === 'keyed']);
  });

  it('finds a created call by its clientUniqueId in the listing of the second it started', () => {
    const create = findGongAction('gong.calls.create')!;
    const existing = create.key!.existing;
    if (existing.from !== 'lookup') throw new Error('calls.create reads its call back');
    const input = { clientUniqueId: 'pbx-1', actualStart: '2024-05-02T15:00:00.250+02:00' };
    expect(existing.input(input)).toEqual({
      fromDateTime: '2024-05-02T13:00:00Z',
      toDateTime: '2024-05-02T13:00:01Z',
    });
    expect(existing.input({ ...input, scheduledStart: '2024-05-02T12:58:00Z' })).toEqual({
      fromDateTime: '2024-05-02T12:58:00Z',
      toDateTime: '2024-05-02T13:00:01Z',
    });
    const listed = {
      calls: [
        { id: '11', clientUniqueId: 'other' },
        { id: '22', clientUniqueId: 'pbx-1' },
      ],
    };
    expect(existing.pick(listed, input)).toEqual({ callId: '22' });
    expect(existing.pick({ calls: [] }, input)).toBeUndefined();
  });

  it('a keyed write without its key is unsafe; gong.request is a read for GET only', () => {
    const report = findGongAction('gong.engagement.custom-action.report')!;
    expect(writeSemanticsOf(report, { eventId: 'e-1' })).toBe('keyed');
    expect(writeSemanticsOf(report, {})).toBe('unsafe');
    expect(writeSemanticsOf(gongRequestAction, { method: 'GET', path: '/v2/users' })).toBe('read');
    expect(writeSemanticsOf(gongRequestAction, { method: 'PUT', path: '/v2/users' })).toBe('unsafe');
  });

  it("recognises Gong's answer to a repeated key by status, and by text when the key names some", () => {
    const remove = findGongAction('gong.meetings.delete')!.key!;
    expect(
      isRepeatedKeyAnswer(
        remove,
        404,
        'DELETE /v2/meetings/1: The given meeting ID was not found. (Gong requestId x)',
      ),
    ).toBe(true);
    expect(isRepeatedKeyAnswer(remove, 404, 'DELETE /v2/meetings/1: Not Found')).toBe(false);
    expect(
      isRepeatedKeyAnswer(
        remove,
        409,
        'DELETE /v2/meetings/1: The given meeting ID was not found. (Gong requestId x)',
      ),
    ).toBe(false);
    const create = findGongAction('gong.calls.create')!.key!;
    expect(isRepeatedKeyAnswer(create, 409, 'anything')).toBe(true);
    expect(isRepeatedKeyAnswer(create, 400, 'already exists')).toBe(false);
  });
});
