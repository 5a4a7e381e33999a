import { decodeGongResponse } from './decode';
import { findGongAction } from './index';

function responseOf(name: string) {
  const action = findGongAction(name);
  if (!action) throw new Error(`no action ${name}`);
  return action.response;
}

const question = (minRange: unknown, maxRange: unknown) => ({
  questionId: '8151981777020654070',
  questionType: 'RANGE',
  minRange,
  maxRange,
  answerOptions: [],
  comingSoon: { nested: '5' },
});

describe('decodeGongResponse', () => {
  it('turns the ranges real Gong sends as strings into numbers, and touches nothing else', () => {
    const body = {
      requestId: 'r1',
      scorecards: [
        { scorecardId: '2872937706428335733', updaterUserId: '-1', questions: [question('1', '5')] },
      ],
    };
    expect(decodeGongResponse(responseOf('gong.settings.scorecards.list'), body)).toEqual({
      requestId: 'r1',
      scorecards: [{ scorecardId: '2872937706428335733', updaterUserId: '-1', questions: [question(1, 5)] }],
    });
    // The answer Gong gave is not modified in place (it may be logged or retried as sent).
    expect(body.scorecards[0]!.questions[0]!.maxRange).toBe('5');
  });

  it('keeps numbers, nulls and bodies that do not match the schema as they are', () => {
    const schema = responseOf('gong.settings.scorecards.list');
    const numbers = { scorecards: [{ questions: [question(0, 50), question(null, null)] }] };
    expect(decodeGongResponse(schema, numbers)).toEqual(numbers);
    const odd = { scorecards: [{ questions: [question('one', '5')] }, 'not an object'], extra: [1] };
    expect(decodeGongResponse(schema, odd)).toEqual({
      scorecards: [{ questions: [question('one', 5)] }, 'not an object'],
      extra: [1],
    });
  });

  it('returns the very body for actions without such fields', () => {
    const body = { requestId: 'r2', users: [{ id: '1', maxRange: '5' }] };
    expect(decodeGongResponse(responseOf('gong.users.list'), body)).toBe(body);
  });
});
