import { GongflowError } from '../../core/errors';
import { compileDefinition } from '../../definitions/compile';
import type { Plan } from '../../definitions/plan';
import { parseFixtures } from './fixtures';

const compiled = compileDefinition(
  [
    'name: lookup',
    'version: 1',
    'input:',
    '  callId: { type: string }',
    'steps:',
    '  - id: call',
    '    action: gong.calls.get',
    "    with: { id: '${{ input.callId }}' }",
    '  - id: note',
    '    set: { seen: true }',
  ].join('\n'),
  'lookup.yaml',
);
if (!compiled.ok) throw new Error('the test definition does not compile');
const plan: Plan = compiled.plan;

function problemsOf(text: string): string[] {
  try {
    parseFixtures(text, 'f.yaml', plan);
  } catch (error) {
    if (error instanceof GongflowError) {
      return error.problems.map(
        (problem) => `${problem.line}:${problem.column} ${problem.code} ${problem.path ?? ''}`,
      );
    }
    throw error;
  }
  return [];
}

describe('fixtures files', () => {
  it('reads one case at the top level as the case "default", and named cases under cases:', () => {
    const single = parseFixtures("input: { callId: '1' }\nsteps:\n  call: { output: {} }\n", 'f.yaml', plan);
    expect(single).toEqual([
      {
        name: 'default',
        input: { callId: '1' },
        steps: { call: { output: {} } },
        approvals: {},
        signals: [],
        expect: {},
      },
    ]);
    const named = parseFixtures(
      "cases:\n  a: { input: { callId: '1' } }\n  b: { input: { callId: '2' }, expect: { status: failed } }\n",
      'f.yaml',
      plan,
    );
    expect(named.map((testCase) => testCase.name)).toEqual(['a', 'b']);
  });

  it('points at what is wrong: unknown keys, two answers for one step, steps that take no fixture, input', () => {
    expect(problemsOf("input: { callId: '1' }\nexpekt: {}\n")).toEqual(['2:1 TEST_FIXTURES_SCHEMA expekt']);
    expect(problemsOf("input: { callId: '1' }\nsteps:\n  call: { output: 1, outputs: [2] }\n")).toEqual([
      '3:9 TEST_FIXTURES_SCHEMA steps.call',
    ]);
    expect(problemsOf("input: { callId: '1' }\nsteps:\n  note: { output: 1 }\n")).toEqual([
      '3:3 TEST_FIXTURE_NOT_CALLABLE steps.note',
    ]);
    expect(problemsOf('cases:\n  a:\n    input: { callId: 1 }\n')).toEqual([
      '3:14 TEST_FIXTURE_INVALID_INPUT cases.a.input.callId',
    ]);
    expect(problemsOf('steps: [\n')[0]).toMatch(/^\d+:\d+ TEST_FIXTURES_SYNTAX/);
  });

  it('checks every case in one pass: a bad value in one case hides neither its other problems nor other cases', () => {
    expect(
      problemsOf(
        [
          'cases:',
          '  first:',
          "    input: { callId: '1' }",
          '    steps:',
          '      call: { output: {}, outputs: [1] }',
          '      cal: { output: {} }',
          '  second:',
          "    input: { callId: '2' }",
          '    expect: { path: [cal], statuss: failed }',
        ].join('\n'),
      ),
    ).toEqual([
      '5:13 TEST_FIXTURES_SCHEMA cases.first.steps.call',
      '9:28 TEST_FIXTURES_SCHEMA cases.second.expect.statuss',
      '6:7 TEST_FIXTURE_UNKNOWN_STEP cases.first.steps.cal',
      '9:22 TEST_FIXTURE_UNKNOWN_STEP cases.second.expect.path.0',
    ]);
  });

  describe('trigger fixtures', () => {
    const webhook = compileDefinition(
      [
        'name: webhook',
        'version: 1',
        'input:',
        '  callId: { type: string }',
        'triggers:',
        '  - kind: gong.call.processed',
        '    filter: ${{ trigger.callData.metaData.duration > 300 }}',
        '    input:',
        '      callId: ${{ trigger.callData.metaData.id }}',
        'steps:',
        '  - id: call',
        '    action: gong.calls.get',
        "    with: { id: '${{ input.callId }}' }",
      ].join('\n'),
      'webhook.yaml',
    );
    if (!webhook.ok) throw new Error('the webhook definition does not compile');
    const triggered = (text: string, on: Plan = webhook.plan): string[] => {
      try {
        parseFixtures(text, 'f.yaml', on);
        return [];
      } catch (error) {
        if (!(error instanceof GongflowError)) throw error;
        return error.problems.map(
          (problem) => `${problem.line}:${problem.column} ${problem.code} ${problem.hint ?? ''}`,
        );
      }
    };

    it('start a case from an event of the only trigger, or of the kind named', () => {
      const payload = "{ isTest: false, callData: { metaData: { id: '7', duration: 900 } } }";
      const [first] = parseFixtures(`trigger: { payload: ${payload} }\n`, 'f.yaml', webhook.plan);
      expect(first?.trigger).toEqual({
        payload: { isTest: false, callData: { metaData: { id: '7', duration: 900 } } },
      });
      expect(triggered(`trigger: { kind: gong.call.processed, payload: ${payload} }\n`)).toEqual([]);
    });

    it('point at a kind the definition lacks, a payload field the kind lacks, and input: given too', () => {
      expect(triggered('trigger: { kind: gong.call.procesed, payload: { isTest: false } }\n')).toEqual([
        '1:18 TEST_FIXTURE_UNKNOWN_TRIGGER Did you mean "gong.call.processed"? Its triggers: gong.call.processed.',
      ]);
      expect(
        triggered('trigger:\n  payload: { isTest: false, callDat: {} }\n').map((line) =>
          line.split(' ').slice(0, 3).join(' '),
        ),
      ).toEqual(['2:29 TEST_FIXTURE_INVALID_TRIGGER Did']);
      expect(
        triggered(
          "input: { callId: '7' }\ntrigger: { payload: { isTest: false, callData: { metaData: { id: '7' } } } }\n",
        ),
      ).toEqual([
        '1:1 TEST_FIXTURES_SCHEMA Remove input:, or remove trigger: to start the run with this input directly.',
      ]);
      expect(triggered('trigger: { payload: {} }\n', plan)).toEqual([
        '1:1 TEST_FIXTURE_UNKNOWN_TRIGGER Add the trigger to the definition, or give the case an input: instead.',
      ]);
    });
  });

  describe('approval and signal fixtures', () => {
    const waits = compileDefinition(
      [
        'name: waits',
        'version: 1',
        'steps:',
        '  - id: signed',
        '    waitForSignal: contractSigned',
        '    timeout: 1h',
        '  - id: approve',
        "    approval: 'Go?'",
        '    approvers: [ops@acme.com]',
        '    timeout: 1h',
      ].join('\n'),
      'waits.yaml',
    );
    if (!waits.ok) throw new Error('the waits definition does not compile');
    const problems = (text: string): string[] => {
      try {
        parseFixtures(text, 'f.yaml', waits.plan);
        return [];
      } catch (error) {
        if (!(error instanceof GongflowError)) throw error;
        return error.problems.map(
          (problem) => `${problem.line}:${problem.column} ${problem.code} ${problem.hint ?? ''}`,
        );
      }
    };

    it('read decisions by approval step and signals in order', () => {
      const [only] = parseFixtures(
        'signals: [{ name: contractSigned }]\napprovals:\n  approve: { by: ops@acme.com }\n',
        'f.yaml',
        waits.plan,
      );
      expect(only).toMatchObject({
        signals: [{ name: 'contractSigned' }],
        approvals: { approve: { approved: true, by: 'ops@acme.com' } },
      });
    });

    it('point at an approval step or signal the definition lacks, and a decider the run would refuse', () => {
      expect(problems('approvals:\n  aprove: { by: ops@acme.com }\n')).toEqual([
        '2:3 TEST_FIXTURE_UNKNOWN_STEP Did you mean "approve"? Approval steps: approve.',
      ]);
      expect(problems('approvals:\n  approve: { by: jon@acme.com }\n')).toEqual([
        '2:18 TEST_FIXTURE_INVALID_APPROVAL Approvers of approve: ops@acme.com.',
      ]);
      expect(problems('signals: [{ name: contractSinged }]\n')).toEqual([
        '1:19 TEST_FIXTURE_UNKNOWN_SIGNAL Did you mean "contractSigned"? Signals it waits for: contractSigned.',
      ]);
    });
  });
});
