import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { Document, isMap, isScalar, isSeq, visit, type ToStringOptions } from 'yaml';
import { generateDefinition } from '../bench/validate.bench';
import { parseDocumentSource, parseSource, type ParsedSource } from './yaml-source';
import { parseEventStream } from './yaml-events';

/**
 * parseSource reads common YAML from js-yaml's events and everything else through `yaml`'s document model.
 * Both must give the same values and the same `line:col` for every node and key, or an error would point
 * somewhere else depending on which path a file took. Checked on hand-picked shapes, on every example and
 * corpus file, and on generated documents in many styles. FC_SEED=<n> FC_RUNS=<n> explore other seeds.
 */
const SEED = Number(process.env['FC_SEED'] ?? 20_261_204);
const RUNS = Number(process.env['FC_RUNS'] ?? 300);

type Path = Array<string | number>;

/** Every path into the value, and one missing key and one missing index below each collection. */
function pathsOf(value: unknown, path: Path = []): Path[] {
  const paths: Path[] = [path];
  if (Array.isArray(value)) {
    value.forEach((item, index) => paths.push(...pathsOf(item, [...path, index])));
    paths.push([...path, value.length], [...path, 'missing']);
  } else if (typeof value === 'object' && value !== null) {
    for (const [key, item] of Object.entries(value)) paths.push(...pathsOf(item, [...path, key]));
    paths.push([...path, 'missing', 0]);
  }
  return paths;
}

function expectSameAsDocumentModel(text: string): void {
  const fast = parseSource(text, 'f.yaml');
  const full = parseDocumentSource(text, 'f.yaml');
  expect(fast.syntaxErrors).toEqual(full.syntaxErrors);
  expect(fast.value).toEqual(full.value);
  const positions = (source: ParsedSource): string[] =>
    pathsOf(full.value).flatMap((path) =>
      [false, true].map((atKey) => {
        const { line, column } = source.locate(path, { atKey });
        return `${JSON.stringify(path)}${atKey ? ' key' : ''} ${line}:${column}`;
      }),
    );
  expect(positions(fast)).toEqual(positions(full));
}

function filesUnder(directory: string): string[] {
  return readdirSync(directory).flatMap((name) => {
    const path = join(directory, name);
    return statSync(path).isDirectory() ? filesUnder(path) : /\.(ya?ml|json)$/.test(name) ? [path] : [];
  });
}

const COMMON_SHAPES: Record<string, string> = {
  'block mapping and sequence': 'a: 1\nb:\n  - x\n  - "y"\n',
  'quoted keys and values': '"quoted key": \'single\'\n\'sq\': "double"\n',
  'literal and folded blocks': 'a: |\n  text\n  more\nb: >-\n  folded\n  line\n',
  'block header with comment and chomping': 'a: |- # a | or > in a comment\n    indented\n',
  'block with leading blank lines': 'a: |\n\n\n  text\n',
  'block in a sequence': '- |\n  one\n- >\n  two\n',
  'a key with a | in quotes before a block': '"a|b": |\n  text\n',
  'a plain key with > and # before a block': 'a>#b: >\n  text\n',
  'comment between key and value': 'a: # comment\n  value\n',
  'comment before a nested sequence': 'a:\n  # c\n  - 1\n',
  'flow collections': 'a: {b: 1, c: [1, 2]}\nd: [ ]\ne: { }\n',
  'multi-line plain scalar': 'a: multi\n  line plain\n',
  'CRLF line ends': 'a: 1\r\nb:\r\n  - x\r\n',
  'document start marker': '---\na: 1\n',
  'byte order mark': '\uFEFFa: 1\n',
  JSON: '{"a": {"b": [1, "x", true, null]}, "c": "d"}',
  'indented JSON': JSON.stringify({ steps: [{ id: 'a', with: { x: [1, 2] } }] }, null, 2),
  'sequence of mappings': '- b: 1\n  c: 2\n-   d: 3\n',
  'nested sequence on the dash line': 'a:\n  - - 1\n    - 2\n',
  'explicit key': 'key with spaces: 1\n? explicit\n: value\n',
  'empty strings': 'a: ""\nb: \'\'\n',
  'numbers, booleans and nulls as values': 'a: 0x1F\nb: .5\nc: ~\nd: TRUE\ne: 1_000\nf: 0b1\n',
  'a key named __proto__': '__proto__: {polluted: 1}\n',
  'escapes and unicode': 'a: "\\u00e9\\t\\"q\\""\nb: ünï\n',
};

const FULL_PARSE_SHAPES: Record<string, string> = {
  'a syntax error': 'a: [1, 2\n',
  'a duplicate key': 'a: 1\na: 2\n',
  'several documents': 'a: 1\n---\nb: 2\n',
  'a %YAML 1.1 directive (yes is true there)': '%YAML 1.1\n---\na: yes\n',
  'an anchor and alias': 'a: &x {b: 1}\nc: *x\n',
  'a tag': 'a: !!str 1\n',
  'an empty value': 'a:\nb: 2\n',
  'an empty sequence item': '- a\n-\n- b\n',
  'a number as a key': '1: one\n',
  'a boolean as a key': 'true: yes\n',
  'a collection as a key': '? [a, b]\n: c\n',
  'an empty document': '',
  'only a comment': '# nothing\n',
  'a tab as indentation': 'a:\n\t- 1\n',
  'a block scalar with an explicit indentation': 'a: >2\n   \nnext: 1\n',
  'an escaped line break in double quotes': 'a: "one\\\n  \n  two"\n',
};

describe('parseSource: the event path and the document model agree', () => {
  it.each(Object.entries(COMMON_SHAPES))(
    'reads %s from events, as the document model does',
    (_name, text) => {
      expect(parseEventStream(text)).toBeDefined();
      expectSameAsDocumentModel(text);
    },
  );

  it.each(Object.entries(FULL_PARSE_SHAPES))('gives %s to the document model', (_name, text) => {
    expect(parseEventStream(text)).toBeUndefined();
    expectSameAsDocumentModel(text);
  });

  it('reads every example and every corpus file the same both ways, and the examples from events', () => {
    const examples = filesUnder('definitions/examples');
    expect(examples.length).toBeGreaterThan(5);
    for (const file of examples) expect(parseEventStream(readFileSync(file, 'utf8'))).toBeDefined();
    for (const file of [...examples, ...filesUnder('test/validator-corpus')])
      expectSameAsDocumentModel(readFileSync(file, 'utf8'));
  });

  it('reads the 1,000-step benchmark definition from events', () => {
    const text = generateDefinition(200);
    expect(parseEventStream(text)).toBeDefined();
    expectSameAsDocumentModel(text);
  });

  it('agrees on hand-written multi-line scalars: blank lines, indentation, chomping, escapes', () => {
    const line = fc.constantFrom(
      '',
      ' ',
      'text',
      '  more',
      'a: b',
      '# not a comment',
      "it's",
      'q"q',
      '\\',
      'end\\',
    );
    const scalar = fc.record({
      style: fc.constantFrom('', "'", '"', '|', '>'),
      header: fc.constantFrom('', '-', '+', '2', '-2', '+1', ' # note'),
      lines: fc.array(line, { minLength: 1, maxLength: 5 }),
      indent: fc.constantFrom('  ', '    ', ' '),
      eol: fc.constantFrom('\n', '\r\n'),
    });
    let fromEvents = 0;
    fc.assert(
      fc.property(scalar, fc.constantFrom('a', '- a'), ({ style, header, lines, indent, eol }, before) => {
        const block = style === '|' || style === '>';
        const body = lines.map((text) => (text === '' ? '' : indent + text)).join(eol);
        const text = block
          ? `${before}: ${style}${header}${eol}${body}${eol}next: 1${eol}`
          : `${before}: ${style}${lines.join(eol + indent)}${style}${eol}next: 1${eol}`;
        if (parseEventStream(text)) fromEvents += 1;
        expectSameAsDocumentModel(text);
      }),
      { seed: SEED, numRuns: RUNS },
    );
    expect(fromEvents).toBeGreaterThan(RUNS / 4);
  });

  it('agrees on hand-written flow collections with line breaks, comments and odd spacing', () => {
    const gap = fc.constantFrom('', ' ', '\n  ', ' # note\n  ', '\n\n    ');
    const atom = fc.constantFrom('1', 'x', '"q r"', "'s'", 'a b', '~', '[]', '{}', '"${{ input.x }}"');
    const flow = fc.letrec<{ node: string }>((tie) => ({
      node: fc.oneof(
        { depthSize: 'small' },
        atom,
        fc
          .array(fc.tuple(gap, tie('node'), gap), { maxLength: 3 })
          .map((items) => `[${items.map(([a, item, b]) => a + item + b).join(',')}]`),
        fc
          .array(fc.tuple(gap, fc.constantFrom('k', '"k 2"', 'k3', "'k4'"), gap, tie('node')), {
            maxLength: 3,
          })
          .map(
            (pairs) =>
              `{${pairs.map(([a, key, b, item], index) => `${a}${key}${index}:${b || ' '}${item}`).join(',')}}`,
          ),
      ),
    })).node;
    let fromEvents = 0;
    fc.assert(
      fc.property(flow, fc.constantFrom('', 'top: ', '- '), (node, before) => {
        const text = `${before}${node}\n`;
        if (parseEventStream(text)) fromEvents += 1;
        expectSameAsDocumentModel(text);
      }),
      { seed: SEED, numRuns: RUNS },
    );
    expect(fromEvents).toBeGreaterThan(RUNS / 4);
  });

  it('agrees on generated documents in every scalar, collection and comment style', () => {
    const key = fc.oneof(
      fc.constantFrom(
        'id',
        'with',
        'a b',
        'a: b',
        'a #b',
        "it's",
        '"q"',
        'ünï',
        '-x',
        '? y',
        '1',
        'true',
        '~',
        '',
      ),
      fc.string({ maxLength: 8 }),
    );
    const text = fc.oneof(
      fc.constantFrom(
        '',
        ' lead',
        'trail ',
        'a\nb',
        'a\n\nb\n',
        '${{ steps.a.output }}',
        '#x',
        'x # y',
        '0x1F',
        '1e3',
        'null',
        'yes',
        '- z',
        'tab\there',
      ),
      fc.string({ maxLength: 30 }),
    );
    const scalar = fc.oneof(text, fc.integer(), fc.double({ noNaN: true }), fc.boolean(), fc.constant(null));
    const { value } = fc.letrec((tie) => ({
      value: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        scalar,
        fc.array(tie('value'), { maxLength: 4 }),
        fc.dictionary(key, tie('value'), { maxKeys: 4 }),
      ),
    }));
    const style = fc.record({
      defaultStringType: fc.constantFrom(
        'PLAIN',
        'QUOTE_DOUBLE',
        'QUOTE_SINGLE',
        'BLOCK_LITERAL',
        'BLOCK_FOLDED',
      ),
      defaultKeyType: fc.constantFrom(null, 'PLAIN', 'QUOTE_DOUBLE', 'QUOTE_SINGLE'),
      collectionStyle: fc.constantFrom('any', 'block', 'flow'),
      indent: fc.integer({ min: 1, max: 4 }),
      indentSeq: fc.boolean(),
      lineWidth: fc.constantFrom(0, 20, 80),
      flowCollectionPadding: fc.boolean(),
    }) as fc.Arbitrary<ToStringOptions>;
    const document = fc.record({
      value: fc.oneof(fc.dictionary(key, value, { maxKeys: 5 }), fc.array(value, { maxLength: 5 })),
      style,
      json: fc.integer({ min: -1, max: 4 }),
      comments: fc.array(fc.boolean(), { maxLength: 40 }),
    });
    let fromEvents = 0;
    fc.assert(
      fc.property(document, ({ value: written, style: options, json, comments }) => {
        let source: string;
        if (json >= 0) source = JSON.stringify(written, null, json);
        else {
          const doc = new Document(written);
          let next = 0;
          visit(doc, (_key, node) => {
            if (
              (isMap(node) || isSeq(node) || isScalar(node)) &&
              comments[next++ % Math.max(comments.length, 1)]
            )
              node.commentBefore = ` note ${next}`;
          });
          source = doc.toString(options);
        }
        if (parseEventStream(source)) fromEvents += 1;
        expectSameAsDocumentModel(source);
      }),
      { seed: SEED, numRuns: RUNS, verbose: true },
    );
    // Not a test of the document model alone: most generated documents are common YAML.
    expect(fromEvents).toBeGreaterThan(RUNS / 2);
  });
});
