import { stringify as stringifyYaml } from 'yaml';
import { z } from 'zod';
import { DELIBERATE_DIFFERENCES, type DeliberateDifference } from './differences';
import type { GongActionGroup } from './index';
import { actionOutputSchema } from './output';
import { gongRequestAction } from './request';
import { describeSemantics } from './semantics';
import type { GongActionDefinition, GongActionSource, LeftOutGongOperation } from './types';

/** A JSON Schema node as produced by `z.toJSONSchema`; only the keys the renderer reads. */
interface JsonSchema {
  /** Set with `.meta({ title })` on catalog schemas that deserve a name of their own (`FileSource`). */
  title?: string;
  type?: string | string[];
  format?: string;
  pattern?: string;
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  items?: JsonSchema;
  properties?: Record<string, JsonSchema>;
  additionalProperties?: boolean | JsonSchema;
  required?: string[];
  description?: string;
  minItems?: number;
  maxItems?: number;
  maxLength?: number;
}

interface FieldRow {
  path: string;
  type: string;
  required: boolean;
  description: string;
}

const SOURCE_LABELS: Record<GongActionSource | 'third-party', string> = {
  'openapi-2024-11': 'Gong OpenAPI export 2024-11',
  'openapi-2024-02': 'Gong OpenAPI export 2024-02',
  'help-center': 'Gong help center API reference',
  observed: 'real Gong answers and integrators (no Gong reference page)',
  'third-party': 'third parties only',
};

/** Nested input objects are listed down to this depth (dotted paths); deeper ones show as `object`. */
const MAX_FIELD_DEPTH = 4;

/**
 * Renders docs/actions.md from the catalog. Pure: same catalog, same text (the committed file is checked
 * against it by a test, so the reference cannot drift from the code).
 */
export function renderActionsDoc(
  groups: readonly GongActionGroup[],
  leftOut: readonly LeftOutGongOperation[],
): string {
  const count = groups.reduce((sum, group) => sum + group.actions.length, 0);
  const lines: string[] = [
    '# Gong actions',
    '',
    '<!-- Generated from gong/catalog by `npm run docs:actions`. Do not edit by hand. -->',
    '',
    `${count} actions, one per Gong API operation. A step names one in \`action:\` and passes the input fields below in \`with:\`.`,
    '',
    '- **Scopes** are what an OAuth connection needs; access-key connections are not scoped by Gong.',
    '- **Paginated** actions follow every page (the cursor goes in the query for GET, in the body for POST) and',
    '  return all records under the items key, with `totalRecords` and `truncated`; `maxItems` stops early.',
    "- Outputs are Gong's response without `requestId`; Gong adds fields without notice and they are kept.",
    '  IDs Gong sends as JSON numbers above 2^53 arrive as digit strings; integers Gong sends as JSON strings',
    '  although its export says numbers (scorecard `minRange`/`maxRange`) arrive as numbers.',
    '- **Input fields the catalog does not know** are not refused, since Gong ignores or accepts fields its export',
    '  does not list: `gongflow validate` warns (`DEF_UNKNOWN_ACTION_INPUT`, with a did-you-mean, exit code 0)',
    '  and the field is sent as given, in the JSON body of actions that have one, in the query string otherwise.',
    '  A near miss of a gongflow option (`maxItem`) is an error, and `gong.request` takes only its own fields.',
    '',
    '## Contents',
    '',
    ...groups.map((group) => `- [${group.title}](#${anchor(group.title)}) (${group.actions.length})`),
    '- [Any Gong endpoint](#any-gong-endpoint) (`gong.request`)',
    `- [Operations left out](#operations-left-out) (${leftOut.length})`,
    `- [Deliberate differences from Gong's export](#deliberate-differences-from-gongs-export) (${DELIBERATE_DIFFERENCES.length})`,
    '',
  ];
  for (const group of groups) {
    lines.push(`## ${group.title}`, '');
    for (const action of group.actions) lines.push(...renderAction(action));
  }
  lines.push('## Any Gong endpoint', '', ...renderAction(gongRequestAction));
  lines.push(...renderLeftOut(leftOut));
  lines.push(...renderDifferences(DELIBERATE_DIFFERENCES));
  return lines.join('\n');
}

function renderAction(action: GongActionDefinition): string[] {
  const lines = [`### \`${action.name}\``, '', action.summary, ''];
  lines.push('| | |', '| --- | --- |');
  lines.push(`| Endpoint | \`${action.method} ${action.path}\` |`);
  lines.push(`| Scopes | ${renderScopes(action)} |`);
  lines.push(
    `| Paginated | ${action.pagination ? `yes: records under \`${action.pagination.itemsKey}\`` : 'no'} |`,
  );
  if (action.emptyOn404Messages?.length)
    lines.push(
      `| No results | empty result (Gong answers 404 "${action.emptyOn404Messages.join('" or "')}") |`,
    );
  lines.push(`| Repeats | ${escapeCell(describeSemantics(action))} |`);
  lines.push(`| Retries | up to ${action.retry.maximumAttempts} attempts |`);
  lines.push(`| Timeout | ${formatDuration(action.timeoutMs)} |`);
  const source = SOURCE_LABELS[action.source];
  lines.push(`| Source | ${action.docsUrl ? `[${source}](${action.docsUrl})` : source} |`);
  if (action.stability && action.stability !== 'ga') lines.push(`| Stability | ${action.stability} |`);
  lines.push('');
  if (action.notes) lines.push(escapeText(action.notes), '');

  const inputRows = fieldRows(toJsonSchema(action.input, 'input'), '', 1);
  lines.push('**Input**', '');
  if (inputRows.length === 0) lines.push('None.', '');
  else {
    lines.push('| Field | Type | Required | Description |', '| --- | --- | --- | --- |');
    for (const row of inputRows)
      lines.push(
        `| \`${row.path}\` | ${escapeCell(row.type)} | ${row.required ? 'yes' : ''} | ${escapeCell(row.description)} |`,
      );
    lines.push('');
  }
  if (action.inputIn === 'multipart')
    lines.push('Sent as multipart/form-data; file fields are uploaded as parts.', '');
  if (action.queryFields?.length)
    lines.push(
      `Sent in the query string: ${action.queryFields.map((field) => `\`${field}\``).join(', ')}.`,
      '',
    );
  if (action.bodyField) lines.push(`The JSON body is the value of \`${action.bodyField}\`.`, '');

  lines.push('**Output**', '', ...renderOutput(action), '');
  lines.push('**Example**', '', '```yaml', exampleStep(action).trimEnd(), '```', '');
  return lines;
}

/** The action's example input as a definition step, the way users write it. */
function exampleStep(action: GongActionDefinition): string {
  const id = action.name
    .split('.')
    .slice(1)
    .join('-')
    .replace(/-([a-z0-9])/g, (_match, letter: string) => letter.toUpperCase());
  const example = action.example as Record<string, unknown>;
  const step =
    Object.keys(example).length > 0
      ? { id, action: action.name, with: example }
      : { id, action: action.name };
  return stringifyYaml([step], { lineWidth: 0 });
}

function renderScopes(action: GongActionDefinition): string {
  if (action.scopes.length === 0)
    return action.scopeSource === 'unknown' ? 'unknown (Gong documents none)' : 'none';
  const scopes = action.scopes.map((scope) => `\`${scope}\``).join(', ');
  const conditional = (action.conditionalScopes ?? []).map(
    (condition) =>
      `; with \`${condition.inputPath.join('.')}\` also ${condition.scopes.map((scope) => `\`${scope}\``).join(', ')}`,
  );
  const listed = scopes + conditional.join('');
  return action.scopeSource === 'integrators' ? `${listed} (per integrators; Gong states none)` : listed;
}

function renderOutput(action: GongActionDefinition): string[] {
  const schema = toJsonSchema(actionOutputSchema(action), 'output');
  const properties = schema.properties ?? {};
  const names = Object.keys(properties);
  if (names.length === 0) return ['Nothing but the request reference.'];
  return names.map((name) => {
    const property = properties[name] ?? {};
    const inner = nonNull(property);
    const itemFields = objectFieldNames(inner.type === 'array' ? inner.items : undefined);
    const ownFields = objectFieldNames(inner.properties ? inner : undefined);
    const fields = itemFields ? `; each with ${itemFields}` : ownFields ? ` with ${ownFields}` : '';
    return `- \`${name}\`: ${escapeText(typeName(property))}${fields}`;
  });
}

function objectFieldNames(schema: JsonSchema | undefined): string | undefined {
  const node = schema ? nonNull(schema) : undefined;
  if (!node?.properties) return undefined;
  const names = Object.keys(node.properties);
  return names.length > 0 ? names.map((name) => `\`${name}\``).join(', ') : undefined;
}

function fieldRows(schema: JsonSchema, prefix: string, depth: number): FieldRow[] {
  const node = nonNull(schema);
  const rows: FieldRow[] = [];
  const required = new Set(node.required ?? []);
  for (const [name, property] of Object.entries(node.properties ?? {})) {
    const path = prefix + name;
    const inner = nonNull(property);
    rows.push({
      path,
      type: typeName(property),
      required: required.has(name),
      description: property.description ?? inner.description ?? '',
    });
    if (depth >= MAX_FIELD_DEPTH) continue;
    if (inner.properties) rows.push(...fieldRows(inner, `${path}.`, depth + 1));
    else if (inner.type === 'array' && inner.items && nonNull(inner.items).properties)
      rows.push(...fieldRows(inner.items, `${path}[].`, depth + 1));
  }
  return rows;
}

function typeName(schema: JsonSchema): string {
  if (schema.title) return schema.title;
  const variants = schema.anyOf ?? schema.oneOf;
  if (variants) {
    const names = [...new Set(variants.filter((variant) => variant.type !== 'null').map(typeName))];
    const nullable = variants.some((variant) => variant.type === 'null');
    return names.join(' or ') + (nullable ? ' or null' : '');
  }
  if (schema.enum) return schema.enum.map((value) => JSON.stringify(value)).join(' | ');
  if (schema.const !== undefined) return JSON.stringify(schema.const);
  const type = Array.isArray(schema.type) ? schema.type.join(' or ') : schema.type;
  switch (type) {
    case 'string':
      if (schema.pattern === '^\\d{1,20}$') return 'Gong ID (digit string)';
      if (schema.format === 'date-time') return 'date-time';
      if (schema.format === 'date') return 'date (YYYY-MM-DD)';
      if (schema.format === 'email') return 'email';
      if (schema.format === 'uri') return 'URL';
      return 'string';
    case 'array': {
      const item = schema.items ? typeName(schema.items) : 'any';
      const bounds = arrayBounds(schema);
      return `array of ${/ or | \| /.test(item) ? `(${item})` : item}${bounds}`;
    }
    case 'object':
      return schema.properties ? 'object' : 'map';
    case undefined:
      return 'any';
    default:
      return type;
  }
}

function arrayBounds(schema: JsonSchema): string {
  if (schema.maxItems !== undefined) return `, ${schema.minItems ?? 0}-${schema.maxItems} items`;
  if (schema.minItems !== undefined && schema.minItems > 0) return ', not empty';
  return '';
}

/** `nullish()` renders as anyOf [T, null]: look through it to T. */
function nonNull(schema: JsonSchema): JsonSchema {
  const variants = schema.anyOf ?? schema.oneOf;
  if (!variants) return schema;
  const rest = variants.filter((variant) => variant.type !== 'null');
  return rest.length === 1 && rest[0] ? rest[0] : schema;
}

function renderLeftOut(leftOut: readonly LeftOutGongOperation[]): string[] {
  const lines = [
    '## Operations left out',
    '',
    'Operations deliberately without an action (any of them stays reachable through `gong.request`):',
    '',
    '| Operation | Documented in | Reason |',
    '| --- | --- | --- |',
  ];
  for (const operation of leftOut)
    lines.push(
      `| \`${operation.method} ${operation.path}\` | ${SOURCE_LABELS[operation.source]} | ${escapeCell(operation.reason)} |`,
    );
  lines.push('');
  return lines;
}

function renderDifferences(differences: readonly DeliberateDifference[]): string[] {
  const lines = [
    "## Deliberate differences from Gong's export",
    '',
    "Where gongflow follows what real Gong does (recorded answers) rather than its OpenAPI export. The emulator's",
    "answers are checked field by field against each action's output: the only fields it sends beyond them are",
    'the ones marked "sent by the emulator only".',
    '',
    "| Actions | Fields | Gong's export | gongflow | Why |",
    '| --- | --- | --- | --- | --- |',
  ];
  for (const difference of differences)
    lines.push(
      `| ${difference.actions.map((name) => `\`${name}\``).join(', ')} | ${difference.fields.map((field) => `\`${field}\``).join(', ')} | ${escapeCell(difference.gongExport)} | ${escapeCell(difference.gongflow)} | ${escapeCell(difference.reason)} |`,
    );
  lines.push('');
  return lines;
}

function toJsonSchema(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  return z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as JsonSchema;
}

function formatDuration(ms: number): string {
  return ms % 60_000 === 0 ? `${ms / 60_000} min` : `${ms / 1000} s`;
}

function anchor(title: string): string {
  return title
    .toLowerCase()
    .replace(/[^a-z0-9 -]/g, '')
    .replace(/ /g, '-');
}

function escapeCell(text: string): string {
  return escapeText(text).replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

/** Keeps `<id>`-style placeholders from being read as HTML and `audio/*` from being read as emphasis. */
function escapeText(text: string): string {
  return text.replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\*/g, '\\*');
}
