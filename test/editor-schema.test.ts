import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { GONG_ACTIONS, GONG_REQUEST_ACTION_NAME } from '../gong/catalog';
import { corpusCases, CORPUS } from './support/validator-corpus';
import { schemaErrors, schemaValidators, yamlEditor } from './editor-schema/support';

/**
 * The published editor schemas (docs/editors.md) checked by an independent JSON Schema validator: every
 * example passes, and every corpus mistake the schema can express is flagged at the key or value the
 * validator points at, which is where an editor underlines it.
 */
const EXAMPLES = path.join(__dirname, '..', 'definitions', 'examples');
const validators = schemaValidators();

/** What a JSON Schema cannot say: expressions, references between steps, files, scopes, refinements. */
const BEYOND_SCHEMA = new Set([
  'DEF_EXPRESSION_TYPE',
  'DEF_EXPRESSION_FAILS',
  'DEF_EXPRESSION_REGEX',
  'DEF_EXPRESSION_SYNTAX',
  'DEF_EMBEDDED_EXPRESSION',
  'DEF_UNKNOWN_REFERENCE',
  'DEF_UNKNOWN_STEP_REFERENCE',
  'DEF_LATER_STEP_REFERENCE',
  'DEF_STEP_NOT_VISIBLE',
  'DEF_DUPLICATE_STEP_ID',
  'DEF_UNKNOWN_RETRY_POLICY',
  'DEF_UNKNOWN_ERROR_TYPE',
  'DEF_UNREACHABLE_STEP',
  'DEF_SECRET_IN_OUTPUT',
  'DEF_MISSING_SCOPE',
  'DEF_RUN_CYCLE',
  'DEF_RUN_INVALID',
  'DEF_RUN_NOT_FOUND',
  'TEST_FIXTURE_INVALID_INPUT',
  'TEST_FIXTURE_NOT_CALLABLE',
  'TEST_FIXTURE_UNKNOWN_STEP',
  'TEST_FIXTURE_UNKNOWN_TRIGGER',
  'TEST_FIXTURE_INVALID_TRIGGER',
  'TEST_FIXTURE_INVALID_APPROVAL',
  'TEST_FIXTURE_UNKNOWN_SIGNAL',
]);

/** Values the schema accepts as text or numbers and the validator reads closer, each for a reason. */
const LEFT_TO_VALIDATOR: Record<string, string> = {
  'filter-without-braces.yaml':
    'a filter is any string to the schema; the validator wants a ${{ }} expression',
  'when-without-braces.yaml': 'a `when` is any string to the schema; the validator wants a ${{ }} expression',
  'wait-until-words.yaml': 'waitUntil is an expression or a timestamp, both strings',
  'url-without-scheme.yaml': 'a URL may be built from expressions, so the schema takes any string',
  'timezone-abbreviation.yaml': 'time zone names are checked against the IANA list by the validator',
  'foreach-as-input.yaml': "reserved names (`input`, `vars`, ...) are the validator's",
  'foreach-concurrency.yaml': 'concurrency against maxItems compares two fields',
  'input-default-wrong-type.yaml': 'a default against its declared type compares two fields',
  'int-for-id.yaml': "an expression's type against the field's is the validator's",
  'string-for-list.yaml': "an expression's type against the field's is the validator's",
  'trigger-and-input.fixtures.yaml': 'input: and trigger: are each fine alone; both is a rule across keys',
};

/** Cases the schema flags elsewhere than the validator, each for a reason. */
const ELSEWHERE: Record<string, { at: string; why: string }> = {
  'two-kinds.yaml': {
    at: '8:5',
    why: 'the first kind rejects the second as a key; the validator names the step',
  },
};

describe('the editor schemas', () => {
  it.each(readdirSync(EXAMPLES).filter((name) => /\.ya?ml$/.test(name)))('accept the example %s', (name) => {
    const validate = name.endsWith('.fixtures.yaml') ? validators.fixtures : validators.definition;
    expect(schemaErrors(validate, readFileSync(path.join(EXAMPLES, name), 'utf8'))).toEqual([]);
  });

  const cases = corpusCases().filter((testCase) => !testCase.code.endsWith('_SYNTAX'));
  it.each(cases.map((testCase) => [path.relative(CORPUS, testCase.file), testCase] as const))(
    'flag the corpus case %s where the validator does, or leave it to the validator with no false alarm',
    (name, testCase) => {
      const validate = testCase.kind === 'definition' ? validators.definition : validators.fixtures;
      const errors = schemaErrors(validate, testCase.text).map((error) => `${error.line}:${error.column}`);
      if (BEYOND_SCHEMA.has(testCase.code) || LEFT_TO_VALIDATOR[path.basename(name)]) {
        expect(errors).toEqual([]);
        return;
      }
      const expected = ELSEWHERE[path.basename(name)]?.at ?? `${testCase.line}:${testCase.column}`;
      expect({ errors, code: testCase.code }).toEqual({ errors: [expected], code: testCase.code });
    },
  );

  it('name every catalog action, with its input under `with`', () => {
    const definition = JSON.parse(
      readFileSync(path.join(__dirname, '..', 'definitions', 'schema', 'definition.schema.json'), 'utf8'),
    ) as { definitions: Record<string, { enum?: string[]; markdownEnumDescriptions?: string[] }> };
    const names = [...GONG_ACTIONS.keys(), GONG_REQUEST_ACTION_NAME];
    expect(definition.definitions['actionName']?.enum).toEqual(names);
    expect(definition.definitions['actionName']?.markdownEnumDescriptions).toHaveLength(names.length);
    for (const name of names) expect(definition.definitions[`with.${name}`]).toBeDefined();
  });
});

/**
 * What an author sees in VS Code: the YAML language server the Red Hat extension runs, given the schema
 * the way the `# yaml-language-server: $schema=` line gives it.
 */
describe('in an editor (yaml-language-server)', () => {
  const schema = readFileSync(
    path.join(__dirname, '..', 'definitions', 'schema', 'definition.schema.json'),
    'utf8',
  );
  const editor = yamlEditor(schema);

  it('completes action names, with their summaries', async () => {
    const items = await editor.complete('name: t\nversion: 1\nsteps:\n  - id: calls\n    action: |\n');
    expect(items.map((item) => item.label)).toEqual(
      expect.arrayContaining(['gong.calls.extensive', 'gong.users.list']),
    );
    const extensive = items.find((item) => item.label === 'gong.calls.extensive');
    expect(JSON.stringify(extensive?.documentation)).toContain('POST /v2/calls/extensive');
  });

  it("completes an action's inputs, nested ones included", async () => {
    const step = 'name: t\nversion: 1\nsteps:\n  - id: calls\n    action: gong.calls.extensive\n    with:\n';
    expect((await editor.complete(`${step}      |\n`)).map((item) => item.label)).toEqual(
      expect.arrayContaining(['filter', 'contentSelector']),
    );
    expect((await editor.complete(`${step}      filter:\n        |\n`)).map((item) => item.label)).toEqual(
      expect.arrayContaining(['callIds', 'fromDateTime', 'toDateTime']),
    );
  });

  it('checks an example clean and underlines a misspelt input key', async () => {
    expect(await editor.problems(readFileSync(path.join(EXAMPLES, 'crm-meeting.yaml'), 'utf8'))).toEqual([]);
    const typo =
      "name: t\nversion: 1\nsteps:\n  - id: calls\n    action: gong.calls.extensive\n    with:\n      filter: { callId: ['1'] }\n";
    expect(await editor.problems(typo)).toEqual([
      expect.stringMatching(/^7:17 Property callId is not allowed/),
    ]);
  });
});
