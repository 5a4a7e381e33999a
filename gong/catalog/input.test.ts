import { findGongAction } from './index';
import { parseActionInput } from './input';

function parse(name: string, input: unknown) {
  const action = findGongAction(name);
  if (!action) throw new Error(`no action ${name}`);
  return parseActionInput(action, input);
}

describe('parseActionInput', () => {
  it('keeps fields the catalog does not know, at any depth, and reports where they are', () => {
    const result = parse('gong.users.extensive', {
      filter: { createdFromDateTime: '2020-01-01T00:00:00Z', department: 'sales' },
      limit: 100,
    });
    expect(result).toEqual({
      success: true,
      data: { filter: { createdFromDateTime: '2020-01-01T00:00:00Z', department: 'sales' }, limit: 100 },
      unknownFields: [
        { path: ['filter'], key: 'department', known: expect.arrayContaining(['userIds']) as unknown },
        { path: [], key: 'limit', known: expect.arrayContaining(['filter', 'maxItems']) as unknown },
      ],
    });
  });

  it('finds unknown fields inside lists', () => {
    const result = parse('gong.calls.users-access.add', {
      callAccessList: [{ callId: '7782342274025937895', userIds: ['234599484848423'], note: 'x' }],
    });
    expect(result.success && result.unknownFields).toEqual([
      { path: ['callAccessList', 0], key: 'note', known: ['callId', 'userIds'] },
    ]);
  });

  it('still refuses what the catalog knows to be wrong, naming that rather than the unknown fields', () => {
    const result = parse('gong.users.extensive', { filter: { createdFromDateTime: 'yesterday' }, limit: 1 });
    expect(result.success).toBe(false);
    if (!result.success)
      expect(result.error.issues.map((issue) => issue.path)).toEqual([['filter', 'createdFromDateTime']]);
  });

  it('keeps gong.request strict: its fields are gongflow options', () => {
    expect(parse('gong.request', { method: 'GET', path: '/v2/users', itemKey: 'users' }).success).toBe(false);
  });
});
