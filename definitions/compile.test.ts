import { parse } from 'yaml';
import type { ProblemDetail } from '../core/errors';
import { compileDefinition, type CompileOptions } from './compile';
import { withoutPositions } from './hash';
import type { Plan, StepPlan } from './plan';
import { DEFINITION_CODES as CODES } from './problems';

/** Definitions in tests start at column 1 of line 1. */
function yaml(strings: TemplateStringsArray, ...values: unknown[]): string {
  const text = String.raw({ raw: strings }, ...values).replace(/^\n/, '');
  const indent = Math.min(
    ...text
      .split('\n')
      .filter((line) => line.trim())
      .map((line) => /^ */.exec(line)![0].length),
  );
  return text
    .split('\n')
    .map((line) => line.slice(indent))
    .join('\n');
}

function compile(text: string, options: CompileOptions = {}, file = 'test.yaml') {
  return compileDefinition(text, file, options);
}

function problems(text: string, options: CompileOptions = {}): ProblemDetail[] {
  const result = compile(text, options);
  if (result.ok) throw new Error('expected problems, the definition compiled');
  return result.problems;
}

function plan(text: string, options: CompileOptions = {}): Plan {
  const result = compile(text, options);
  if (!result.ok) throw new Error(`expected a plan, got:\n${JSON.stringify(result.problems, null, 2)}`);
  return result.plan;
}

/** The one problem with `code`, checked for position and a hint. */
function only(list: ProblemDetail[], code: string): ProblemDetail {
  const matching = list.filter((problem) => problem.code === code);
  expect(matching.map((problem) => problem.code)).toEqual([code]);
  const problem = matching[0]!;
  expect(problem.file).toBe('test.yaml');
  expect(problem.hint).toEqual(expect.any(String));
  expect(problem.hint!.length).toBeGreaterThan(5);
  return problem;
}

const HEAD = 'name: t\nversion: 1\n';

describe('every error class has a code, a position and a hint', () => {
  it('DEF_SYNTAX: YAML syntax errors', () => {
    const problem = only(problems(HEAD + 'steps:\n  - id: a\n    set: { x: 1\n'), CODES.syntax);
    expect(problem.line).toBeGreaterThanOrEqual(4);
    expect(problem.column).toBeGreaterThan(0);
  });

  it('DEF_SYNTAX: JSON syntax errors', () => {
    const problem = only(problems('{\n  "name": "t",\n  "version": 1,\n  "steps": [,]\n}'), CODES.syntax);
    expect(problem).toMatchObject({ line: 4, column: 13 });
  });

  it('DEF_NOT_A_MAPPING', () => {
    expect(only(problems('- just\n- a list\n'), CODES.notAMapping)).toMatchObject({ line: 1, column: 1 });
  });

  it('DEF_UNKNOWN_KEY points at the key and suggests the right one', () => {
    const problem = only(
      problems(yaml`
        name: t
        version: 1
        steps:
          - id: a
            set: { x: 1 }
            titel: A
      `),
      CODES.unknownKey,
    );
    expect(problem).toMatchObject({ line: 6, column: 5, path: 'steps[0].titel' });
    expect(problem.hint).toContain('"title"');
  });

  it('DEF_MISSING_KEY', () => {
    expect(only(problems('name: t\nsteps:\n  - id: a\n    set: { x: 1 }\n'), CODES.missingKey)).toMatchObject(
      {
        line: 1,
        column: 1,
        message: 'missing "version"',
      },
    );
  });

  it('DEF_INVALID_VALUE: wrong types', () => {
    const problem = only(problems(HEAD + 'steps:\n  - id: a\n    sleep: soon\n'), CODES.invalidValue);
    expect(problem).toMatchObject({ line: 5, column: 12, path: 'steps[0].sleep' });
  });

  it('DEF_INVALID_VALUE: invalid step ids', () => {
    const problem = only(problems(HEAD + 'steps:\n  - id: 2fast\n    set: { x: 1 }\n'), CODES.invalidValue);
    expect(problem).toMatchObject({ line: 4, column: 9, path: 'steps[0].id' });
  });

  it('DEF_UNKNOWN_STEP_KIND', () => {
    const problem = only(problems(HEAD + 'steps:\n  - id: a\n    wait: 5s\n'), CODES.unknownStepKind);
    expect(problem).toMatchObject({ line: 4, column: 5 });
    expect(problem.hint).toContain('forEach');
  });

  it('DEF_DUPLICATE_STEP_ID, nested steps included', () => {
    const problem = only(
      problems(yaml`
        name: t
        version: 1
        steps:
          - id: a
            set: { x: 1 }
          - id: b
            if: ${'${{ true }}'}
            then:
              - id: a
                set: { y: 1 }
      `),
      CODES.duplicateStepId,
    );
    expect(problem).toMatchObject({ line: 9, column: 13 });
    expect(problem.message).toContain('line 4');
  });

  it('DEF_UNKNOWN_ACTION with a did-you-mean', () => {
    const problem = only(
      problems(HEAD + 'steps:\n  - id: a\n    action: gong.users.lst\n'),
      CODES.unknownAction,
    );
    expect(problem).toMatchObject({ line: 5, column: 13 });
    expect(problem.hint).toContain('gong.users.list');
  });

  it('DEF_ACTION_INPUT: a misspelt required input, and an ill-typed one', () => {
    const result = compile(yaml`
      name: t
      version: 1
      steps:
        - id: a
          action: gong.calls.get
          with: { callId: '1' }
        - id: b
          action: gong.users.list
          with: { includeAvatars: 'yes' }
    `);
    if (result.ok) throw new Error('expected problems');
    // callId is the only unknown input where the only required one (id) is missing: it stands for id, so
    // it is one error (the call cannot work without id), not a warning plus a missing input.
    expect(result.problems.map((problem) => [problem.code, problem.line, problem.column])).toEqual([
      [CODES.actionInput, 6, 13],
      [CODES.actionInput, 9, 29],
    ]);
    expect(result.problems[0]!.hint).toBe('Did you mean "id"?');
    expect(result.warnings).toEqual([]);
  });

  it('DEF_UNKNOWN_ACTION_INPUT: fields the catalog does not know are warnings, kept in the plan to be sent', () => {
    const result = compile(yaml`
      name: t
      version: 1
      steps:
        - id: calls
          action: gong.calls.list
          with: { fromDateTim: '2024-05-01T00:00:00Z', limit: 100 }
        - id: add
          action: gong.calls.create
          with:
            clientUniqueId: pbx-1
            actualStart: '2024-05-02T15:00:00Z'
            direction: Outbound
            primaryUser: '234599484848423'
            parties:
              - { userId: '234599484848423', emailAdress: jon@acme.com }
    `);
    if (!result.ok) throw new Error(JSON.stringify(result.problems, null, 2));
    expect(
      result.warnings.map((warning) => [
        warning.code,
        warning.severity,
        warning.path,
        warning.line,
        warning.column,
      ]),
    ).toEqual([
      [CODES.unknownActionInput, 'warning', 'steps[0].with.fromDateTim', 6, 13],
      [CODES.unknownActionInput, 'warning', 'steps[0].with.limit', 6, 50],
      [CODES.unknownActionInput, 'warning', 'steps[1].with.parties[0].emailAdress', 15, 40],
    ]);
    expect(result.warnings[0]!.hint).toContain('Did you mean "fromDateTime"?');
    expect(result.warnings[1]!.hint).toContain('maxItems');
    expect(result.warnings[2]!.message).toBe(
      'gong.calls.create has no input "parties[0].emailAdress" in the catalog: sent to Gong as given',
    );
    expect(result.warnings[2]!.hint).toContain('Did you mean "emailAddress"?');
    const [calls] = result.plan.steps as Array<StepPlan & { input: unknown }>;
    expect(withoutPositions(calls!.input)).toEqual({
      t: 'lit',
      v: { fromDateTim: '2024-05-01T00:00:00Z', limit: 100 },
    });
  });

  it('DEF_ACTION_INPUT: a near miss of a gongflow option is an error (Gong would not know it either)', () => {
    const problem = only(
      problems(yaml`
        name: t
        version: 1
        steps:
          - id: a
            action: gong.users.list
            with: { maxItem: 3 }
      `),
      CODES.actionInput,
    );
    expect(problem).toMatchObject({ line: 6, column: 13 });
    expect(problem.hint).toContain('"maxItems"');
  });

  it('DEF_ACTION_INPUT: gong.request keeps unknown fields errors (they are gongflow fields, not Gong ones)', () => {
    const problem = only(
      problems(yaml`
        name: t
        version: 1
        steps:
          - id: a
            action: gong.request
            with: { method: GET, path: /v2/users, itemKey: users }
      `),
      CODES.actionInput,
    );
    expect(problem.hint).toContain('itemsKey');
  });

  it('DEF_ACTION_INPUT: an expression of the wrong type', () => {
    const problem = only(
      problems(yaml`
        name: t
        version: 1
        steps:
          - id: a
            action: gong.users.list
            with: { includeAvatars: "${'${{ 1 + 1 }}'}" }
      `),
      CODES.actionInput,
    );
    expect(problem.message).toContain('bool');
  });

  it('DEF_EXPRESSION_SYNTAX', () => {
    const problem = only(
      problems(HEAD + 'steps:\n  - id: a\n    set: { x: "${{ 1 + }}" }\n'),
      CODES.expressionSyntax,
    );
    expect(problem.line).toBe(5);
  });

  it('DEF_EMBEDDED_EXPRESSION: no text pasting', () => {
    const problem = only(
      problems(HEAD + 'steps:\n  - id: a\n    set: { x: "Hello ${{ input.name }}" }\n'),
      CODES.embeddedExpression,
    );
    expect(problem).toMatchObject({ line: 5, column: 15 });
  });

  it('DEF_UNKNOWN_REFERENCE: unknown roots, inputs and variables', () => {
    const list = problems(yaml`
      name: t
      version: 1
      input:
        callId: { type: string }
      steps:
        - id: a
          set:
            x: ${'${{ inptu.callId }}'}
            y: ${'${{ input.calId }}'}
            z: ${'${{ vars.nope }}'}
    `);
    expect(list.map((problem) => [problem.code, problem.line, problem.column])).toEqual([
      [CODES.unknownReference, 8, 14],
      [CODES.unknownReference, 9, 14],
      [CODES.unknownReference, 10, 14],
    ]);
    expect(list[0]!.hint).toContain('input');
    expect(list[1]!.hint).toContain('input.callId');
  });

  it('DEF_UNKNOWN_STEP_REFERENCE with a did-you-mean', () => {
    const problem = only(
      problems(yaml`
        name: t
        version: 1
        steps:
          - id: listUsers
            action: gong.users.list
        output: ${'${{ steps.listUser.output }}'}
      `),
      CODES.unknownStepReference,
    );
    expect(problem).toMatchObject({ line: 6, column: 13 });
    expect(problem.hint).toContain('steps.listUsers');
  });

  it('DEF_LATER_STEP_REFERENCE', () => {
    const problem = only(
      problems(yaml`
        name: t
        version: 1
        steps:
          - id: a
            set: { x: "${'${{ steps.b.output }}'}" }
          - id: b
            set: { y: 1 }
      `),
      CODES.laterStepReference,
    );
    expect(problem).toMatchObject({ line: 5, column: 20 });
  });

  it('DEF_STEP_NOT_VISIBLE: loop bodies and sibling parallel branches', () => {
    const list = problems(yaml`
      name: t
      version: 1
      steps:
        - id: users
          action: gong.users.list
        - id: each
          forEach: ${'${{ steps.users.output.users }}'}
          maxItems: 10
          steps:
            - id: inner
              set: { x: "${'${{ item.id }}'}" }
        - id: fan
          mode: race
          parallel:
            left:
              - id: l
                set: { a: 1 }
            right:
              - id: r
                set: { b: "${'${{ steps.l.output }}'}" }
      output:
        x: ${'${{ steps.inner.output }}'}
        y: ${'${{ steps.r.output }}'}
    `);
    expect(list.map((problem) => [problem.code, problem.line])).toEqual([
      [CODES.stepNotVisible, 20],
      [CODES.stepNotVisible, 22],
      [CODES.stepNotVisible, 23],
    ]);
    expect(list[1]!.hint).toContain('loop');
    expect(list[0]!.hint).toContain('branches');
  });

  it('DEF_EXPRESSION_TYPE: fields the action output does not have, with the column of the field', () => {
    const problem = only(
      problems(yaml`
        name: t
        version: 1
        steps:
          - id: listUsers
            action: gong.users.list
        output:
          names: ${'${{ steps.listUsers.output.users.map(u, u.emial) }}'}
      `),
      CODES.expressionType,
    );
    expect(problem.message).toContain('emial');
    expect(problem).toMatchObject({ line: 7, column: 52 });
  });

  it('DEF_EXPRESSION_TYPE: operators on the wrong types, from declared inputs', () => {
    const problem = only(
      problems(yaml`
        name: t
        version: 1
        input:
          limit: { type: integer }
        steps:
          - id: a
            set: { x: "${'${{ input.limit + \\"x\\" }}'}" }
      `),
      CODES.expressionType,
    );
    expect(problem.message).toContain('int + string');
    expect(problem.line).toBe(7);
  });

  it('DEF_EXPRESSION_TYPE: conditions must be booleans, trigger payloads are typed', () => {
    const list = problems(yaml`
      name: t
      version: 1
      triggers:
        - kind: gong.call.processed
          filter: ${'${{ trigger.callData.metaData.titel }}'}
      steps:
        - id: a
          if: ${'${{ 1 }}'}
          then:
            - id: b
              set: { x: 1 }
    `);
    expect(list.map((problem) => [problem.code, problem.line, problem.column])).toEqual([
      [CODES.expressionType, 5, 43],
      [CODES.expressionType, 8, 13],
    ]);
  });

  it('DEF_EXPRESSION_FAILS: parts made of constants that fail every time they run, at their column', () => {
    const list = problems(yaml`
      name: t
      version: 1
      input:
        n: { type: integer }
      steps:
        - id: a
          set:
            ratio: ${'${{ input.n + 1/0 }}'}
            third: ${'${{ [1, 2, 3][5] }}'}
            big: ${'${{ 9223372036854775807 + 1 }}'}
            when: ${'${{ timestamp("yesterday") }}'}
            guarded: ${'${{ input.n == 0 || 1/0 > 2 }}'}
            branch: '${'${{ input.n > 0 ? input.n : int("x") }}'}'
            loop: ${'${{ [1, 2].map(x, x / 0) }}'}
    `);
    expect(list.map((problem) => [problem.code, problem.line, problem.column, problem.message])).toEqual([
      [CODES.expressionFails, 8, 28, 'this part always fails: division by zero'],
      [CODES.expressionFails, 9, 18, expect.stringContaining('index out of bounds')],
      [CODES.expressionFails, 10, 16, 'this part always fails: integer overflow: 9223372036854775808'],
      [CODES.expressionFails, 11, 17, expect.stringContaining('timestamp() requires a string in ISO 8601')],
    ]);
    expect(list[0]!.hint).toContain('constants only');
  });

  it('DEF_EXPRESSION_REGEX: literal regexes RE2 cannot run, at the pattern, with what to do instead', () => {
    const list = problems(yaml`
      name: t
      version: 1
      input:
        s: { type: string }
      steps:
        - id: a
          set:
            broken: ${'${{ "x".matches("(") }}'}
            repeated: ${'${{ input.s.matches("(a)\\\\1") }}'}
            ahead: ${'${{ input.s.matches("a(?=b)") }}'}
            fine: ${'${{ input.s.matches("^(?i)acme\\\\b") }}'}
    `);
    expect(list.map((problem) => [problem.code, problem.line, problem.column])).toEqual([
      [CODES.expressionRegex, 8, 31],
      [CODES.expressionRegex, 9, 37],
      [CODES.expressionRegex, 10, 34],
    ]);
    expect(list[0]!.message).toBe('regex `(` cannot run: missing closing ): `(`');
    expect(list[1]!.message).toContain('backreferences (\\1) are not supported');
    expect(list[1]!.hint).toContain('linear time');
    expect(list[2]!.message).toContain('lookahead and lookbehind');
  });

  it('DEF_EXPRESSION_TOO_COMPLEX: an expression past the nesting or size limit, never DEF_INTERNAL', () => {
    const terms = Array.from({ length: 20_000 }, () => 'input.n').join(' + ');
    const problem = only(
      problems(
        `${HEAD}input:\n  n: { type: integer }\nsteps:\n  - id: a\n    set: { x: "\${{ ${terms} }}" }\n`,
      ),
      CODES.expressionTooComplex,
    );
    expect(problem.message).toContain('nests more than 250 levels deep');
    expect(problem).toMatchObject({ line: 7, column: 20 });
    expect(problem.hint).toContain('set step');
  });

  it('DEF_SECRET_IN_OUTPUT: secrets flowing into outputs, variables or action inputs', () => {
    const list = problems(yaml`
      name: t
      version: 1
      steps:
        - id: a
          set: { token: "${'${{ secrets.crmToken }}'}" }
        - id: b
          action: gong.users.list
          with: { includeAvatars: "${'${{ secrets.flag == \\"1\\" }}'}" }
        - id: c
          http:
            url: https://example.com
            headers: { Authorization: "${'${{ \\"Bearer \\" + secrets.crmToken + vars.token }}'}" }
      output: ${'${{ secrets.crmToken }}'}
    `);
    expect(list.map((problem) => [problem.code, problem.line])).toEqual([
      [CODES.secretInOutput, 5],
      [CODES.secretInOutput, 8],
      [CODES.secretInOutput, 12],
      [CODES.secretInOutput, 13],
    ]);
    expect(list[0]!.column).toBe(24);
    expect(list[0]!.hint).toContain('http');
  });

  it('DEF_UNREACHABLE_STEP after fail and succeed', () => {
    const problem = only(
      problems(yaml`
        name: t
        version: 1
        steps:
          - id: stop
            fail: no
          - id: never
            set: { x: 1 }
      `),
      CODES.unreachableStep,
    );
    expect(problem).toMatchObject({ line: 6, column: 5 });
  });

  it('DEF_UNBOUNDED_LOOP: forEach without maxItems', () => {
    const problem = only(
      problems(yaml`
        name: t
        version: 1
        steps:
          - id: each
            forEach: ${'${{ [1, 2, 3] }}'}
            steps:
              - id: x
                set: { v: "${'${{ item }}'}" }
      `),
      CODES.unboundedLoop,
    );
    expect(problem).toMatchObject({ line: 4, column: 5 });
    expect(problem.hint).toContain('maxItems');
  });

  it('DEF_MISSING_SCOPE names the action, the scope and the fix', () => {
    const problem = only(
      problems(HEAD + 'steps:\n  - id: t\n    action: gong.calls.transcripts\n    with: { filter: {} }\n', {
        connectionScopes: ['api:calls:read:basic'],
        connectionName: 'acme',
      }),
      CODES.missingScope,
    );
    expect(problem).toMatchObject({ line: 5, column: 13 });
    expect(problem.message).toContain('gong.calls.transcripts');
    expect(problem.message).toContain('api:calls:read:transcript');
    expect(problem.message).toContain('acme');
    expect(problem.hint).toContain('api:calls:read:transcript');
  });

  it('DEF_UNKNOWN_RETRY_POLICY', () => {
    const problem = only(
      problems(
        HEAD +
          'retryPolicies:\n  patient: { maximumAttempts: 9 }\nsteps:\n  - id: a\n    action: gong.users.list\n    retry: patience\n',
      ),
      CODES.unknownRetryPolicy,
    );
    expect(problem).toMatchObject({ line: 8, column: 12 });
    expect(problem.hint).toContain('"patient"');
  });

  it('DEF_INVALID_VALUE: onUnknownOutcome on an action a retry cannot repeat', () => {
    const problem = only(
      problems(HEAD + 'steps:\n  - id: a\n    action: gong.users.list\n    onUnknownOutcome: resend\n'),
      CODES.invalidValue,
    );
    expect(problem).toMatchObject({ line: 6, column: 23 });
    expect(problem.message).toContain('gong.users.list is read');
  });

  it('onUnknownOutcome: resend reaches the plan of unsafe writes; GongWriteOutcomeUnknown can be caught', () => {
    const compiled = plan(yaml`
      name: t
      version: 1
      steps:
        - id: guard
          try:
            - id: meet
              action: gong.meetings.create
              onUnknownOutcome: resend
              with:
                startTime: 2024-06-03T16:00:00Z
                endTime: 2024-06-03T16:30:00Z
                invitees: []
                organizerEmail: jon.snow@acme.com
          catch:
            errors: [GongWriteOutcomeUnknown]
            steps: []
    `);
    const guard = compiled.steps[0] as Extract<StepPlan, { kind: 'try' }>;
    expect(guard.steps[0]).toMatchObject({ kind: 'action', onUnknownOutcome: 'resend' });
    expect(guard.catch?.errorTypes).toEqual(['GongWriteOutcomeUnknown']);
  });

  it('DEF_UNKNOWN_ERROR_TYPE in catch clauses', () => {
    const problem = only(
      problems(yaml`
        name: t
        version: 1
        steps:
          - id: guard
            try:
              - id: a
                action: gong.users.list
            catch:
              errors: [GongNotFoundErr]
              steps: []
      `),
      CODES.unknownErrorType,
    );
    expect(problem).toMatchObject({ line: 9, column: 16 });
    expect(problem.hint).toContain('GongNotFoundError');
  });

  it('DEF_RUN_CYCLE, DEF_RUN_NOT_FOUND and DEF_RUN_INVALID for sub-orchestrations', () => {
    const files: Record<string, string> = {
      '/defs/a.yaml': HEAD + 'steps:\n  - id: b\n    run: ./b.yaml\n',
      '/defs/b.yaml': HEAD + 'steps:\n  - id: a\n    run: ./a.yaml\n',
      '/defs/c.yaml': HEAD + 'steps:\n  - id: x\n    run: ./missing.yaml\n',
      '/defs/d.yaml': HEAD + 'steps:\n  - id: x\n    run: ./broken.yaml\n',
      '/defs/broken.yaml': HEAD + 'steps:\n  - id: x\n    sleep: never\n',
    };
    const readFile = (file: string): string => {
      const text = files[file];
      if (text === undefined) throw Object.assign(new Error('no such file'), { code: 'ENOENT' });
      return text;
    };
    const cycle = compileDefinition(files['/defs/a.yaml']!, '/defs/a.yaml', { readFile });
    expect(cycle.ok).toBe(false);
    expect(cycle.problems.map((problem) => problem.code)).toContain(CODES.runCycle);
    const cycleProblem = cycle.problems.find((problem) => problem.code === CODES.runCycle)!;
    expect(cycleProblem.message).toContain('a.yaml -> b.yaml -> a.yaml');
    expect(cycleProblem.hint).toBeTruthy();

    const missing = compileDefinition(files['/defs/c.yaml']!, '/defs/c.yaml', { readFile });
    expect(missing.problems.map((problem) => [problem.code, problem.line, problem.column])).toEqual([
      [CODES.runNotFound, 5, 10],
    ]);
    const broken = compileDefinition(files['/defs/d.yaml']!, '/defs/d.yaml', { readFile });
    expect(broken.problems.map((problem) => problem.code)).toEqual([CODES.runInvalid, CODES.invalidValue]);
  });

  it('reports every problem of a definition at once', () => {
    const list = problems(yaml`
      name: t
      version: 1
      steps:
        - id: a
          action: gong.users.lst
        - id: b
          set: { x: "${'${{ steps.zz.output }}'}" }
          colour: red
    `);
    // The unknown key does not hide the broken reference in the same step: one pass shows both.
    expect(list.map((problem) => problem.code)).toEqual([
      CODES.unknownAction,
      CODES.unknownKey,
      CODES.unknownStepReference,
    ]);
  });
});

describe('schedule jitter', () => {
  const withJitter = (line: string) =>
    plan(
      HEAD +
        `triggers:\n  - kind: schedule\n    cron: '0 8 * * MON'\n${line}steps:\n  - id: a\n    set: { x: 1 }\n`,
    );

  it('reaches the plan in milliseconds', () => {
    expect(withJitter('    jitter: 10m\n').triggers[0]?.settings).toMatchObject({ jitter: 600_000 });
  });

  it('is left out of plans that do not set it (their hash does not change)', () => {
    expect(withJitter('').triggers[0]?.settings).not.toHaveProperty('jitter');
  });
});

describe('plans', () => {
  const definition = yaml`
    name: every-construct
    version: 2
    input:
      callId: { type: string }
    triggers:
      - kind: schedule
        cron: '0 8 * * MON'
        input:
          callId: ${'${{ "1" }}'}
    retryPolicies:
      patient: { maximumAttempts: 10, initialInterval: 5s }
    timeout: 1h
    steps:
      - id: call
        action: gong.calls.get
        with: { id: "${'${{ input.callId }}'}" }
        retry: patient
        attemptTimeout: 20s
        timeout: 2m
      - id: hook
        http:
          url: https://hooks.slack.com/services/x
          headers: { Authorization: "${'${{ \\"Bearer \\" + secrets.slack }}'}" }
          body: { title: "${'${{ steps.call.output.call.title }}'}" }
      - id: check
        if: ${'${{ steps.hook.output.status == 200 }}'}
        then:
          - id: nap
            sleep: 1s
        else:
          - id: later
            waitUntil: '2030-01-01T00:00:00Z'
      - id: route
        switch:
          - when: ${'${{ input.callId == "1" }}'}
            steps:
              - id: one
                set: { n: 1 }
        default:
          - id: other
            set: { n: 2 }
      - id: fan
        mode: settled
        parallel:
          a: [{ id: pa, sleep: 1s }]
          b: [{ id: pb, sleep: 2s }]
      - id: each
        forEach: ${'${{ [1, 2, 3] }}'}
        as: n
        concurrency: 2
        maxItems: 10
        steps:
          - id: double
            set: { twice: "${'${{ n * 2 + nIndex }}'}" }
        output: ${'${{ vars.twice }}'}
      - id: ask
        approval: Go on?
        timeout: 1d
      - id: signal
        waitForSignal: crm
        payload: { dealId: { type: string } }
        timeout: 1h
        onTimeout: continue
      - id: guard
        try:
          - id: risky
            fail: ${'${{ "no " + steps.signal.output.dealId }}'}
            errorType: DealMissing
        catch:
          errors: [DealMissing]
          as: problem
          steps:
            - id: note
              set: { why: "${'${{ problem.message }}'}" }
        finally:
          - id: cleanup
            set: { done: true }
      - id: done
        succeed: { ok: true }
    onFailure:
      - id: alert
        http: { url: https://example.com/alert, body: { error: "${'${{ error.message }}'}" } }
  `;

  it('compile every construct to the plan shapes the interpreter runs', () => {
    const compiled = plan(definition);
    const kinds = (steps: StepPlan[]): unknown[] =>
      steps.map((step) => {
        switch (step.kind) {
          case 'if':
            return [step.kind, kinds(step.then), kinds(step.else)];
          case 'switch':
            return [step.kind, step.cases.map((branch) => kinds(branch.steps)), kinds(step.default)];
          case 'parallel':
            return [step.kind, step.mode, step.branches.map((branch) => [branch.id, kinds(branch.steps)])];
          case 'forEach':
            return [step.kind, kinds(step.steps)];
          case 'try':
            return [step.kind, kinds(step.steps), kinds(step.catch?.steps ?? []), kinds(step.finally ?? [])];
          default:
            return step.kind;
        }
      });
    expect(kinds(compiled.steps)).toEqual([
      'action',
      'http',
      ['if', ['sleep'], ['waitUntil']],
      ['switch', [['set']], ['set']],
      [
        'parallel',
        'settled',
        [
          ['a', ['sleep']],
          ['b', ['sleep']],
        ],
      ],
      ['forEach', ['set']],
      'waitForSignal',
      'waitForSignal',
      ['try', ['fail'], ['set'], ['set']],
      'succeed',
    ]);
    expect(compiled).toMatchObject({ name: 'every-construct', version: '2', timeoutMs: 3_600_000 });
    expect(compiled.requiredScopes).toEqual(['api:calls:read:basic']);
    expect(compiled.triggers).toEqual([
      {
        kind: 'schedule',
        settings: { cron: '0 8 * * MON', timezone: 'UTC', overlap: 'skip', catchup: 60_000, paused: false },
        input: { t: 'obj', f: { callId: { t: 'expr', e: { expr: '"1"', at: { line: 9, column: 15 } } } } },
      },
    ]);
    const [action, http] = compiled.steps;
    expect(action).toMatchObject({
      kind: 'action',
      timeoutMs: 120_000,
      activity: { startToCloseTimeoutMs: 20_000, retry: { maximumAttempts: 10, initialIntervalMs: 5_000 } },
    });
    // Secrets never reach the workflow: the activity evaluates `$secret` expressions.
    expect(http).toMatchObject({
      kind: 'http',
      secrets: ['slack'],
      request: {
        t: 'obj',
        f: { headers: { t: 'lit', v: { Authorization: { $secret: '"Bearer " + secrets.slack' } } } },
      },
    });
    expect(compiled.steps[5]).toMatchObject({ kind: 'forEach', as: 'n', concurrency: 2, maxItems: 10 });
    expect(compiled.steps[6]).toMatchObject({
      kind: 'waitForSignal',
      signal: 'ask',
      approval: true,
      onTimeout: 'fail',
    });
    expect(compiled.steps[7]).toMatchObject({
      kind: 'waitForSignal',
      signal: 'crm',
      approval: false,
      onTimeout: 'continue',
      payloadSchema: { type: 'object', required: ['dealId'] },
    });
    expect(compiled.steps[8]).toMatchObject({ catch: { errorTypes: ['DealMissing'], as: 'problem' } });
    expect(compiled.onFailure?.map((step) => step.id)).toEqual(['alert']);
    expect(JSON.parse(JSON.stringify(compiled))).toEqual(compiled);
  });

  it('identical source gives an identical hash, wherever the file lives', () => {
    const first = plan(definition);
    const second = compileDefinition(definition, 'elsewhere/other-name.yaml');
    expect(second.ok && second.plan.hash).toBe(first.hash);
    expect(first.hash).toMatch(/^[0-9a-f]{64}$/);
    const changed = plan(definition.replace('concurrency: 2', 'concurrency: 3'));
    expect(changed.hash).not.toBe(first.hash);
  });

  it('YAML and JSON give the same plan and hash', () => {
    const fromYaml = plan(definition);
    // The JSON file carries exactly the definition the YAML holds.
    const json = JSON.stringify(parse(definition), null, 2);
    const fromJson = compileDefinition(json, 'test.json');
    if (!fromJson.ok) throw new Error(JSON.stringify(fromJson.problems));
    expect(fromJson.plan.hash).toBe(fromYaml.hash);
    expect(withoutPositions(fromJson.plan)).toEqual(withoutPositions(fromYaml));
    // Positions are kept (for errors at run time), they just are not part of the hash.
    expect(fromJson.plan.steps[0]!.at).not.toEqual(fromYaml.steps[0]!.at);
  });

  it('embeds sub-orchestrations and their scopes', () => {
    const files: Record<string, string> = {
      '/defs/child.yaml':
        'name: child\nversion: 1\ninput:\n  id: { type: string }\nsteps:\n  - id: u\n    action: gong.users.get\n    with: { id: "${{ input.id }}" }\n',
    };
    const parent = HEAD + 'steps:\n  - id: c\n    run: ./child.yaml\n    with: { id: "1" }\n';
    const result = compileDefinition(parent, '/defs/parent.yaml', { readFile: (file) => files[file]! });
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    expect(result.plan.steps[0]).toMatchObject({
      kind: 'run',
      plan: { name: 'child', requiredScopes: ['api:users:read'] },
    });
    expect(result.plan.requiredScopes).toEqual(['api:users:read']);
    const missingInput = compileDefinition(
      HEAD + 'steps:\n  - id: c\n    run: ./child.yaml\n',
      '/defs/parent.yaml',
      {
        readFile: (file) => files[file]!,
      },
    );
    expect(missingInput.problems.map((problem) => [problem.code, problem.message])).toEqual([
      [CODES.runInvalid, 'child needs input "id"'],
    ]);
  });
});
