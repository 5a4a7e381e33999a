import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { compileDefinition, type CompileResult } from './compile';
import { DEFINITION_CODES } from './problems';

/**
 * Robustness: whatever the text, compileDefinition answers with a plan or with positioned problems. It never
 * throws, and never falls back to DEF_INTERNAL (which would mean it caught its own crash).
 */
const KNOWN_CODES = new Set<string>([...Object.values(DEFINITION_CODES)]);

function expectPlanOrProblems(text: string, file = 'fuzz.yaml'): CompileResult {
  const result = compileDefinition(text, file, {
    readFile: () => 'name: child\nversion: 1\nsteps: [{ id: z, sleep: 1s }]\n',
  });
  if (result.ok) {
    expect(result.plan.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.parse(JSON.stringify(result.plan))).toEqual(result.plan);
  } else {
    expect(result.problems.length).toBeGreaterThan(0);
    for (const problem of result.problems) {
      expect(
        KNOWN_CODES.has(problem.code) ? problem.code : `unexpected ${problem.code}: ${problem.message}`,
      ).toBe(problem.code);
      expect(problem.code === DEFINITION_CODES.internal ? problem.message : problem.code).toBe(problem.code);
      expect(problem.message.length).toBeGreaterThan(0);
      if (problem.line !== undefined) expect(problem.line).toBeGreaterThanOrEqual(1);
    }
  }
  return result;
}

// Mostly fresh, valid ids (so some definitions compile), sometimes duplicates or invalid ones.
let counter = 0;
const ids = fc.oneof(
  { weight: 6, arbitrary: fc.constant(null).map(() => `s${(counter += 1)}`) },
  { weight: 1, arbitrary: fc.constantFrom('a', 'listUsers', '2bad', 'bad-id', '') },
);
const expressions = fc.constantFrom(
  '${{ input.callId }}',
  '${{ input.nope }}',
  '${{ steps.a.output }}',
  '${{ steps.listUsers.output.users.map(u, u.id) }}',
  '${{ steps.listUsers.output.users[0].emial }}',
  '${{ steps.b.output.x + 1 }}',
  '${{ size(steps.c.output) > 0 }}',
  '${{ vars.v }}',
  '${{ item.id }}',
  '${{ secrets.token }}',
  '${{ "Bearer " + secrets.token }}',
  '${{ trigger.call.id }}',
  '${{ 1 + }}',
  '${{ true }}',
  '${{ [1, 2, 3] }}',
  '${{ error.message }}',
  'Hello ${{ input.callId }}',
  'plain text',
  '',
);
const literals = fc.oneof(fc.string({ maxLength: 8 }), fc.integer(), fc.boolean(), fc.constant(null));
const value = fc.oneof(
  expressions,
  literals,
  fc.dictionary(fc.constantFrom('id', 'x', 'filter', 'includeAvatars'), expressions, { maxKeys: 3 }),
);
const duration = fc.oneof(
  fc.constantFrom('1s', '5m', '2h', '3d', 'soon', ''),
  fc.integer({ min: -5, max: 100_000 }),
);
const actions = fc.constantFrom(
  'gong.users.list',
  'gong.users.get',
  'gong.calls.get',
  'gong.calls.transcripts',
  'gong.nope',
  'x',
);

const { steps: stepsArbitrary } = fc.letrec<{ step: Record<string, unknown>; steps: unknown[] }>((tie) => ({
  steps: fc.array(tie('step'), { maxLength: 3 }),
  step: fc
    .tuple(
      ids,
      fc.oneof(
        { depthSize: 'small' },
        fc.record(
          {
            action: actions,
            with: fc.option(
              fc.dictionary(fc.constantFrom('id', 'includeAvatars', 'filter', 'maxItems', 'zzz'), value, {
                maxKeys: 3,
              }),
              { nil: undefined },
            ),
            retry: fc.option(fc.constantFrom('patient', 'nope'), { nil: undefined }),
          },
          { requiredKeys: ['action'] },
        ),
        fc.record({
          http: fc.record(
            {
              url: fc.oneof(expressions, fc.constantFrom('https://example.com', 'ftp://x')),
              headers: fc.dictionary(fc.constantFrom('Authorization', 'X'), expressions, { maxKeys: 2 }),
              body: value,
            },
            { requiredKeys: ['url'] },
          ),
        }),
        fc.record({ set: fc.dictionary(fc.constantFrom('v', 'w', 'bad-name'), value, { maxKeys: 3 }) }),
        fc.record(
          { if: expressions, then: tie('steps'), else: tie('steps') },
          { requiredKeys: ['if', 'then'] },
        ),
        fc.record(
          {
            switch: fc.array(fc.record({ when: expressions, steps: tie('steps') }), { maxLength: 2 }),
            default: tie('steps'),
          },
          { requiredKeys: ['switch'] },
        ),
        fc.record(
          {
            parallel: fc.dictionary(fc.constantFrom('left', 'right', 'bad-branch'), tie('steps'), {
              maxKeys: 2,
            }),
            mode: fc.constantFrom('all', 'race', 'settled', 'any'),
          },
          { requiredKeys: ['parallel'] },
        ),
        fc.record(
          {
            forEach: expressions,
            as: fc.constantFrom('item', 'user', 'input'),
            maxItems: fc.integer({ min: -1, max: 20_000 }),
            concurrency: fc.integer({ min: 0, max: 200 }),
            steps: tie('steps'),
            output: value,
          },
          { requiredKeys: ['forEach', 'steps'] },
        ),
        fc.record({ sleep: duration }),
        fc.record({ waitUntil: fc.oneof(expressions, fc.constantFrom('2030-01-01T00:00:00Z', 'tomorrow')) }),
        fc.record(
          {
            waitForSignal: fc.constantFrom('crm', 'bad name'),
            timeout: duration,
            onTimeout: fc.constantFrom('fail', 'continue', 'explode'),
            payload: fc.dictionary(
              fc.constantFrom('dealId', 'n'),
              fc.record({ type: fc.constantFrom('string', 'integer', 'nope') }),
              { maxKeys: 2 },
            ),
          },
          { requiredKeys: ['waitForSignal'] },
        ),
        fc.record({ approval: value, timeout: duration }, { requiredKeys: ['approval'] }),
        fc.record(
          {
            run: fc.constantFrom('./child.yaml', './self.yaml'),
            with: fc.dictionary(fc.constantFrom('a'), value, { maxKeys: 1 }),
          },
          { requiredKeys: ['run'] },
        ),
        fc.record(
          {
            try: tie('steps'),
            catch: fc.record(
              {
                errors: fc.array(fc.constantFrom('GongNotFoundError', 'Nope'), { maxLength: 2 }),
                as: fc.constantFrom('error', 'e'),
                steps: tie('steps'),
              },
              { requiredKeys: ['steps'] },
            ),
            finally: tie('steps'),
          },
          { requiredKeys: ['try'] },
        ),
        fc.record(
          { fail: value, errorType: fc.constantFrom('BusinessError', 'Custom', '1bad') },
          { requiredKeys: ['fail'] },
        ),
        fc.record({ succeed: value }),
        fc.record({ wat: value }),
      ),
      fc.option(
        fc.record(
          { when: expressions, title: fc.string({ maxLength: 5 }), timeout: duration, extra: literals },
          { requiredKeys: [] },
        ),
        { nil: undefined },
      ),
    )
    .map(([id, body, common]) => ({ id, ...body, ...(common ?? {}) })),
}));

const definitions = fc.record(
  {
    name: fc.constantFrom('fuzz', 'Bad Name', ''),
    version: fc.oneof(fc.integer({ min: 0, max: 3 }), fc.constantFrom('1.0', '')),
    input: fc.dictionary(
      fc.constantFrom('callId', 'limit'),
      fc.record(
        { type: fc.constantFrom('string', 'integer', 'array', 'nope'), default: literals },
        { requiredKeys: ['type'] },
      ),
      { maxKeys: 2 },
    ),
    triggers: fc.array(
      fc.oneof(
        fc.record(
          {
            kind: fc.constant('schedule'),
            cron: fc.constantFrom('0 8 * * MON', 'never'),
            input: fc.dictionary(fc.constantFrom('callId'), expressions, { maxKeys: 1 }),
          },
          { requiredKeys: ['kind'] },
        ),
        fc.record(
          {
            kind: fc.constantFrom('gong.call.new', 'gong.user.new', 'gong.call.processed', 'api', 'nope'),
            filter: expressions,
          },
          { requiredKeys: ['kind'] },
        ),
      ),
      { maxLength: 2 },
    ),
    retryPolicies: fc.dictionary(
      fc.constantFrom('patient'),
      fc.record({ maximumAttempts: fc.integer({ min: -1, max: 10 }) }),
      { maxKeys: 1 },
    ),
    steps: stepsArbitrary,
    output: value,
    onFailure: stepsArbitrary,
  },
  { requiredKeys: ['name', 'version', 'steps'] },
);

describe('compileDefinition never crashes', () => {
  it('on random definitions built from the language, right and wrong (YAML and JSON)', () => {
    fc.assert(
      fc.property(definitions, fc.boolean(), (definition, asJson) => {
        const text = asJson ? JSON.stringify(definition, null, 2) : stringify(definition);
        expectPlanOrProblems(text, asJson ? 'fuzz.json' : 'fuzz.yaml');
      }),
      { numRuns: 600 },
    );
  }, 180_000);

  it('random valid definitions compile, with the same hash from YAML and JSON', () => {
    let next = 0;
    const fresh = fc.constant(null).map(() => `v${(next += 1)}`);
    const { list } = fc.letrec<{ step: Record<string, unknown>; list: unknown[] }>((tie) => ({
      list: fc.array(tie('step'), { minLength: 1, maxLength: 3 }),
      step: fc.oneof(
        { depthSize: 'small' },
        fc.record({ id: fresh, sleep: fc.constantFrom('1s', '5m', 250) }),
        fc.record({
          id: fresh,
          set: fc.dictionary(fc.constantFrom('a', 'b'), fc.oneof(fc.integer(), fc.string({ maxLength: 5 }))),
        }),
        fc.record({
          id: fresh,
          action: fc.constant('gong.users.list'),
          with: fc.record({ includeAvatars: fc.boolean() }),
        }),
        fc.record({
          id: fresh,
          if: fc.constantFrom('${{ true }}', '${{ 1 < 2 }}'),
          then: tie('list'),
          else: tie('list'),
        }),
        fc.record({
          id: fresh,
          forEach: fc.constant('${{ [1, 2, 3] }}'),
          // Nested loops bind distinct names (CEL cannot shadow a variable).
          as: fc.constant(null).map(() => `n${(next += 1)}`),
          maxItems: fc.integer({ min: 3, max: 50 }),
          steps: tie('list'),
        }),
        fc.record({
          id: fresh,
          parallel: fc.record({ left: tie('list'), right: tie('list') }),
          mode: fc.constantFrom('all', 'race', 'settled'),
        }),
        fc.record({ id: fresh, try: tie('list'), finally: tie('list') }),
      ),
    }));
    fc.assert(
      fc.property(list, (steps) => {
        const definition = { name: 'valid', version: 1, steps };
        const fromYaml = compileDefinition(stringify(definition), 'valid.yaml');
        const fromJson = compileDefinition(JSON.stringify(definition), 'valid.json');
        expect(fromYaml.problems).toEqual([]);
        expect(fromYaml.ok && fromJson.ok && fromYaml.plan.hash === fromJson.plan.hash).toBe(true);
      }),
      { numRuns: 150 },
    );
  }, 120_000);

  it('on arbitrary JSON documents and arbitrary text', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.jsonValue().map((json) => JSON.stringify(json)),
          fc.string({ maxLength: 200 }),
        ),
        (text) => {
          expectPlanOrProblems(text);
        },
      ),
      { numRuns: 2_000 },
    );
  }, 120_000);

  it('on mutated examples (characters deleted, inserted, lines swapped or repeated)', () => {
    const directory = path.join(__dirname, 'examples');
    const examples = readdirSync(directory).map((name) => readFileSync(path.join(directory, name), 'utf8'));
    const mutation = fc.oneof(
      fc.record({
        kind: fc.constant('delete' as const),
        at: fc.nat(),
        length: fc.integer({ min: 1, max: 12 }),
      }),
      fc.record({
        kind: fc.constant('insert' as const),
        at: fc.nat(),
        text: fc.constantFrom(
          ':',
          ' ',
          '\n',
          '- ',
          '{',
          '}',
          '${{',
          '}}',
          '"',
          "'",
          '#',
          'x',
          '  ',
          '\t',
          '&a',
          '*a',
          '[',
          ']',
        ),
      }),
      fc.record({ kind: fc.constant('swap' as const), at: fc.nat(), other: fc.nat() }),
      fc.record({ kind: fc.constant('repeat' as const), at: fc.nat() }),
    );
    fc.assert(
      fc.property(
        fc.constantFrom(...examples),
        fc.array(mutation, { minLength: 1, maxLength: 4 }),
        (example, mutations) => {
          let text = example;
          for (const change of mutations) {
            const lines = text.split('\n');
            switch (change.kind) {
              case 'delete': {
                const at = change.at % (text.length + 1);
                text = text.slice(0, at) + text.slice(at + change.length);
                break;
              }
              case 'insert': {
                const at = change.at % (text.length + 1);
                text = text.slice(0, at) + change.text + text.slice(at);
                break;
              }
              case 'swap': {
                const a = change.at % lines.length;
                const b = change.other % lines.length;
                [lines[a], lines[b]] = [lines[b] ?? '', lines[a] ?? ''];
                text = lines.join('\n');
                break;
              }
              case 'repeat': {
                const a = change.at % lines.length;
                lines.splice(a, 0, lines[a] ?? '');
                text = lines.join('\n');
                break;
              }
            }
          }
          expectPlanOrProblems(text, 'definitions/examples/mutated.yaml');
        },
      ),
      { numRuns: 400 },
    );
  }, 120_000);
});
