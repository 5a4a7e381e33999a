import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { JsonObject } from './json-schema/convert';
import { generateDefinitionSchema } from './json-schema/definition';
import { generateFixturesSchema } from './json-schema/fixtures';

/**
 * The published JSON Schemas, generated (never written by hand): definitions from the zod model and the
 * Gong action catalog, fixtures files from their model. Editors use them through
 * `# yaml-language-server: $schema=...`, and `gongflow server` serves them at their `$id` paths (docs/editors.md).
 * `npx tsx definitions/generate-schema.ts` rewrites definitions/schema/ (`--stdout` prints the definition
 * schema instead); a test checks the committed files equal what this generates.
 */
export const SCHEMA_DIR = path.join(__dirname, 'schema');
export const SCHEMA_FILE = path.join(SCHEMA_DIR, 'definition.schema.json');
export const FIXTURES_SCHEMA_FILE = path.join(SCHEMA_DIR, 'fixtures.schema.json');

export { generateDefinitionSchema, generateFixturesSchema };

/** The file text, formatted like the rest of the repository (Prettier), so `npm run lint` accepts it. */
export async function renderSchema(schema: JsonObject, file: string): Promise<string> {
  // Loaded here, not at the top: Prettier's ESM loading does not run under jest's module system.
  const prettier = await import('prettier');
  const options = (await prettier.resolveConfig(file)) ?? {};
  return prettier.format(JSON.stringify(schema), { ...options, parser: 'json' });
}

export function renderDefinitionSchema(): Promise<string> {
  return renderSchema(generateDefinitionSchema(), SCHEMA_FILE);
}

export function renderFixturesSchema(): Promise<string> {
  return renderSchema(generateFixturesSchema(), FIXTURES_SCHEMA_FILE);
}

if (require.main === module) {
  void (async () => {
    const definition = await renderDefinitionSchema();
    const fixtures = await renderFixturesSchema();
    if (process.argv.includes('--stdout')) {
      process.stdout.write(process.argv.includes('--fixtures') ? fixtures : definition);
      return;
    }
    writeFileSync(SCHEMA_FILE, definition);
    writeFileSync(FIXTURES_SCHEMA_FILE, fixtures);
    process.stdout.write(
      `wrote ${path.relative(process.cwd(), SCHEMA_FILE)}, ${path.relative(process.cwd(), FIXTURES_SCHEMA_FILE)}\n`,
    );
  })();
}
