import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { DefinitionSchema, STEP_LIST_MARKER, STEP_SCHEMAS } from './model';

/**
 * The published JSON Schema of definition files, generated from the zod model (never written by hand).
 * Editors use it through `# yaml-language-server: $schema=../schema/definition.schema.json`.
 * `npx tsx definitions/generate-schema.ts` rewrites definitions/schema/definition.schema.json (`--stdout`
 * prints it instead); a test checks the committed file equals what this generates.
 */
export const SCHEMA_FILE = path.join(__dirname, 'schema', 'definition.schema.json');

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function toJson(schema: z.ZodType): { [key: string]: Json } {
  const { $schema: _dialect, ...json } = z.toJSONSchema(schema, {
    io: 'input',
    unrepresentable: 'any',
    target: 'draft-2020-12',
  }) as { [key: string]: Json };
  return json;
}

/** Nested step lists (marked in the model) become arrays of `#/$defs/step`, so nesting is checked too. */
function linkStepLists(node: Json): Json {
  if (Array.isArray(node)) return node.map(linkStepLists);
  if (node === null || typeof node !== 'object') return node;
  if (node[STEP_LIST_MARKER] === true) {
    const { [STEP_LIST_MARKER]: _marker, items: _items, ...rest } = node;
    return { ...rest, items: { $ref: '#/$defs/step' } };
  }
  const result: { [key: string]: Json } = {};
  for (const [key, value] of Object.entries(node)) result[key] = linkStepLists(value);
  return result;
}

export function generateDefinitionSchema(): { [key: string]: Json } {
  const root = linkStepLists(toJson(DefinitionSchema)) as { [key: string]: Json };
  const steps = Object.entries(STEP_SCHEMAS).map(([marker, schema]) => ({
    title: `${marker} step`,
    ...(linkStepLists(toJson(schema)) as { [key: string]: Json }),
  }));
  const rootDefs = (root['$defs'] ?? {}) as { [key: string]: Json };
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: 'https://gongflow.dev/schema/definition.schema.json',
    title: 'gongflow definition',
    description: 'A gongflow orchestration definition (YAML or JSON). Reference: docs/language.md.',
    ...root,
    $defs: { ...rootDefs, step: { anyOf: steps } },
  };
}

/** The file text, formatted like the rest of the repository (Prettier), so `npm run lint` accepts it. */
export async function renderDefinitionSchema(): Promise<string> {
  // Loaded here, not at the top: Prettier's ESM loading does not run under jest's module system.
  const prettier = await import('prettier');
  const options = (await prettier.resolveConfig(SCHEMA_FILE)) ?? {};
  return prettier.format(JSON.stringify(generateDefinitionSchema()), { ...options, parser: 'json' });
}

if (require.main === module) {
  void renderDefinitionSchema().then((text) => {
    if (process.argv.includes('--stdout')) {
      process.stdout.write(text);
      return;
    }
    writeFileSync(SCHEMA_FILE, text);
    process.stdout.write(`wrote ${path.relative(process.cwd(), SCHEMA_FILE)}\n`);
  });
}
