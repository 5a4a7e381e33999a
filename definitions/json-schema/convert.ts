import { z } from 'zod';
import { STEP_LIST_MARKER } from '../model';

/** JSON values, and JSON Schema documents as plain data. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

/**
 * zod -> JSON Schema, draft-07: the dialect every editor reads (yaml-language-server in VS Code and others,
 * JetBrains IDEs). Inputs, not outputs: what an author writes. Refinements across fields (a default of the
 * declared type, concurrency under maxItems) are the validator's; the schema says what a JSON Schema can.
 */
export function toJson(schema: z.ZodType): JsonObject {
  const { $schema: _dialect, ...json } = z.toJSONSchema(schema, {
    io: 'input',
    unrepresentable: 'any',
    target: 'draft-7',
  }) as JsonObject;
  return dropFormatPatterns(json) as JsonObject;
}

/** Formats editors check themselves; zod also writes each as a long regex (a date-time's is 350 characters). */
const KNOWN_FORMATS = new Set(['date-time', 'date', 'email', 'uri']);

function dropFormatPatterns(node: Json): Json {
  if (Array.isArray(node)) return node.map(dropFormatPatterns);
  if (!isObject(node)) return node;
  const result: JsonObject = {};
  const format = node['format'];
  for (const [key, value] of Object.entries(node))
    if (!(key === 'pattern' && typeof format === 'string' && KNOWN_FORMATS.has(format)))
      result[key] = dropFormatPatterns(value);
  return result;
}

export function isObject(node: Json | undefined): node is JsonObject {
  return typeof node === 'object' && node !== null && !Array.isArray(node);
}

/** A reference to a definition of the generated document. */
export function ref(name: string): JsonObject {
  return { $ref: `#/definitions/${name}` };
}

/** Nested step lists (marked in the model) become lists of `#/definitions/step`, so nesting is checked too. */
export function linkStepLists(node: Json): Json {
  if (Array.isArray(node)) return node.map(linkStepLists);
  if (!isObject(node)) return node;
  if (node[STEP_LIST_MARKER] === true) {
    const { [STEP_LIST_MARKER]: _marker, items: _items, ...rest } = node;
    return { ...rest, items: ref('step') };
  }
  const result: JsonObject = {};
  for (const [key, value] of Object.entries(node)) result[key] = linkStepLists(value);
  return result;
}

/** A `${{ expression }}`: allowed wherever a value of an action's input is (its type is checked on validation). */
export const EXPRESSION_SCHEMA: JsonObject = {
  type: 'string',
  pattern: '^\\s*\\$\\{\\{[\\s\\S]*\\}\\}\\s*$',
  description: 'A ${{ CEL expression }}: its type is checked against the field when you validate.',
};

/**
 * Every value of an action's input may be an expression instead: each property, list item and map value
 * becomes "this, or an expression" (the description stays on top, for hovers).
 */
export function allowExpressions(node: Json): Json {
  if (!isObject(node)) return node;
  const copy: JsonObject = { ...node };
  if (isObject(copy['properties']))
    copy['properties'] = Object.fromEntries(
      Object.entries(copy['properties']).map(([key, value]) => [key, orExpression(allowExpressions(value))]),
    );
  if (isObject(copy['items'])) copy['items'] = orExpression(allowExpressions(copy['items']));
  if (isObject(copy['additionalProperties']))
    copy['additionalProperties'] = orExpression(allowExpressions(copy['additionalProperties']));
  for (const combinator of ['anyOf', 'oneOf', 'allOf']) {
    const members = copy[combinator];
    if (Array.isArray(members)) copy[combinator] = members.map(allowExpressions);
  }
  return copy;
}

function orExpression(node: Json): Json {
  if (!isObject(node) || Object.keys(node).filter((key) => key !== 'description').length === 0) return node;
  const { description, ...rest } = node;
  return { ...(description !== undefined ? { description } : {}), anyOf: [rest, ref('expression')] };
}

/**
 * A choice editors complete with a description per value: `enum` for every validator, and VS Code's
 * `markdownEnumDescriptions`, which yaml-language-server shows beside each completion.
 */
export function describedEnum(values: Array<{ value: string; markdown: string }>): JsonObject {
  return {
    type: 'string',
    enum: values.map((entry) => entry.value),
    markdownEnumDescriptions: values.map((entry) => entry.markdown),
  };
}

/**
 * A choice of schemas by one key (a step's kind, an action's name, a trigger's kind): each `if` picks its
 * `then`, so an editor checks and completes the chosen one, and an error points into it rather than
 * saying "not valid under any of the given schemas".
 */
export function dispatch(cases: Array<{ when: JsonObject; then: JsonObject }>): JsonObject {
  return { allOf: cases.map((entry) => ({ if: entry.when, then: entry.then })) };
}

/** Keywords under which forEachSubschema finds a schema; any other key is a property's name. */
const SCHEMA_KEYWORDS = new Set([
  'items',
  'additionalProperties',
  'if',
  'then',
  'else',
  'not',
  'anyOf',
  'oneOf',
  'allOf',
]);

/** Smaller repeated parts are cheaper inline than behind a reference. */
const SHARE_MIN_LENGTH = 300;

/**
 * The sub-schemas of a schema: where a schema (not a map of them) sits, so only schemas are shared.
 * Visits properties, items, additionalProperties, the combinators and if/then/else.
 */
function forEachSubschema(
  node: JsonObject,
  visit: (child: JsonObject, key: string) => JsonObject,
): JsonObject {
  const copy: JsonObject = { ...node };
  const properties = copy['properties'];
  if (isObject(properties))
    copy['properties'] = Object.fromEntries(
      Object.entries(properties).map(([key, value]) => [key, isObject(value) ? visit(value, key) : value]),
    );
  for (const keyword of ['items', 'additionalProperties', 'if', 'then', 'else', 'not']) {
    const child = copy[keyword];
    if (isObject(child)) copy[keyword] = visit(child, keyword);
  }
  for (const keyword of ['anyOf', 'oneOf', 'allOf']) {
    const members = copy[keyword];
    if (Array.isArray(members))
      copy[keyword] = members.map((member) => (isObject(member) ? visit(member, keyword) : member));
  }
  return copy;
}

/**
 * The same part written once: the catalog repeats parts across actions (date-times, CRM contexts,
 * permission levels), and inlining them made the published file several times larger. Every sub-schema
 * of `definitions` that occurs twice or more (and is not tiny) moves to `definitions/shared.<name>`, named
 * after the property it first appears under, and is referenced from where it was.
 */
export function shareRepeatedParts(definitions: JsonObject): JsonObject {
  const counts = new Map<string, number>();
  const count = (node: JsonObject): JsonObject => {
    const text = JSON.stringify(node);
    counts.set(text, (counts.get(text) ?? 0) + 1);
    return forEachSubschema(node, count);
  };
  for (const schema of Object.values(definitions)) if (isObject(schema)) forEachSubschema(schema, count);

  const names = new Map<string, string>();
  const shared: JsonObject = {};
  const taken = new Set(Object.keys(definitions));
  const rewrite = (node: JsonObject, key: string): JsonObject => {
    const text = JSON.stringify(node);
    const named = !SCHEMA_KEYWORDS.has(key);
    if (!named || text.length < SHARE_MIN_LENGTH || (counts.get(text) ?? 0) < 2)
      return forEachSubschema(node, rewrite);
    let name = names.get(text);
    if (name === undefined) {
      const base = `shared.${key}`;
      name = base;
      for (let suffix = 2; taken.has(name); suffix++) name = `${base}${suffix}`;
      taken.add(name);
      names.set(text, name);
      shared[name] = forEachSubschema(node, rewrite);
    }
    return ref(name);
  };
  const result: JsonObject = {};
  for (const [name, schema] of Object.entries(definitions))
    result[name] = isObject(schema) ? forEachSubschema(schema, rewrite) : schema;
  return { ...result, ...shared };
}
