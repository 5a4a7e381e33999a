import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node } from 'yaml';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { CompletionItem } from 'vscode-languageserver-types';
import { getLanguageService } from 'yaml-language-server';
import { DEFINITION_SCHEMA_ID, generateDefinitionSchema } from '../../definitions/json-schema/definition';
import { generateFixturesSchema } from '../../definitions/json-schema/fixtures';

/** A schema error where an editor shows it: the line and column of the key or value it is about. */
export interface SchemaError {
  line: number;
  column: number;
  message: string;
}

/**
 * The published schemas compiled by a strict, independent JSON Schema validator (ajv, draft-07): what any
 * editor's checker sees.
 */
export function schemaValidators(): { definition: ValidateFunction; fixtures: ValidateFunction } {
  const ajv = new Ajv({ strict: true, strictRequired: false, allowUnionTypes: true, allErrors: true });
  ajv.addVocabulary(['markdownEnumDescriptions']);
  // Editors check these formats themselves; loose forms here, so a test sees that a field carries one.
  ajv.addFormat('date-time', /^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:\d\d)$/i);
  ajv.addFormat('date', /^\d{4}-\d\d-\d\d$/);
  ajv.addFormat('email', /^[^\s@]+@[^\s@]+$/);
  ajv.addFormat('uri', /^[a-z][a-z0-9+.-]*:\S*$/i);
  return {
    definition: ajv.compile(generateDefinitionSchema()),
    fixtures: ajv.compile(generateFixturesSchema()),
  };
}

/** Errors that only say an alternative failed; the alternative's own errors say why. */
const COMBINATORS = new Set(['if', 'anyOf', 'oneOf', 'allOf']);

/**
 * The error an editor's user would want first: the deepest, and at one depth a key that is not allowed
 * before a missing one before a wrong value (a value's type error comes from every alternative that
 * did not match; the alternative that did says more).
 */
function rank(error: ErrorObject): number {
  const depth = error.instancePath.split('/').length * 10;
  if (error.keyword === 'additionalProperties' || error.keyword === 'propertyNames') return depth + 3;
  if (error.keyword === 'type' || error.keyword === 'const' || error.keyword === 'enum') return depth;
  return depth + 1;
}

/** Validates YAML text; the error an editor would show first, located in the text. */
export function schemaErrors(validate: ValidateFunction, text: string): SchemaError[] {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter });
  if (validate(document.toJS())) return [];
  return [...(validate.errors ?? [])]
    .filter((error) => !COMBINATORS.has(error.keyword))
    .sort((a, b) => rank(b) - rank(a))
    .slice(0, 1)
    .map((error) => {
      const offset = offsetOf(document.contents, error);
      const { line, col } = lineCounter.linePos(offset);
      return { line, column: col, message: `${error.instancePath || '/'} ${error.message ?? ''}` };
    });
}

function offsetOf(root: unknown, error: ErrorObject): number {
  const segments = error.instancePath
    .split('/')
    .slice(1)
    .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'));
  let node = root as Node | null;
  for (const segment of segments) {
    const child = childOf(node, segment);
    if (!child) break;
    node = child.value;
  }
  const key =
    error.keyword === 'additionalProperties'
      ? (error.params as { additionalProperty: string }).additionalProperty
      : error.keyword === 'propertyNames'
        ? (error.params as { propertyName: string }).propertyName
        : undefined;
  if (key !== undefined) {
    const pair = childOf(node, key);
    if (pair?.key) return pair.key.range?.[0] ?? 0;
  }
  return node?.range?.[0] ?? 0;
}

function childOf(node: Node | null, segment: string): { key: Node | null; value: Node | null } | undefined {
  if (isMap(node)) {
    const pair = node.items.find((item) => isScalar(item.key) && String(item.key.value) === segment);
    return pair ? { key: pair.key as Node, value: pair.value as Node | null } : undefined;
  }
  if (isSeq(node)) {
    const item = node.items[Number(segment)];
    return item ? { key: null, value: item as Node } : undefined;
  }
  return undefined;
}

/** The YAML language server (what VS Code's YAML extension runs) over one schema, in process. */
export function yamlEditor(schema: string): {
  complete(textWithCursor: string): Promise<CompletionItem[]>;
  problems(text: string): Promise<string[]>;
} {
  let documents = 0;
  const service = getLanguageService({
    schemaRequestService: () => Promise.resolve(schema),
    // What VS Code announces: completion documentation may be Markdown.
    clientCapabilities: {
      textDocument: { completion: { completionItem: { documentationFormat: ['markdown', 'plaintext'] } } },
    },
    workspaceContext: {
      resolveRelativePath: (relative: string, base: string) => new URL(relative, base).toString(),
    },
  });
  service.configure({
    validate: true,
    completion: true,
    hover: true,
    schemas: [{ uri: DEFINITION_SCHEMA_ID, fileMatch: ['*.yaml'] }],
  });
  const open = (text: string) =>
    TextDocument.create(`file:///work/case-${documents++}.yaml`, 'yaml', 1, text);
  return {
    async complete(textWithCursor) {
      const cursor = textWithCursor.indexOf('|');
      const text = textWithCursor.replace('|', '');
      const lines = text.slice(0, cursor).split('\n');
      const list = await service.doComplete(
        open(text),
        { line: lines.length - 1, character: lines.at(-1)!.length },
        false,
      );
      return list.items;
    },
    async problems(text) {
      const diagnostics = await service.doValidation(open(text), false);
      return diagnostics.map((d) => `${d.range.start.line + 1}:${d.range.start.character + 1} ${d.message}`);
    },
  };
}
