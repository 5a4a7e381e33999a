import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { GONG_ACTIONS } from '../gong/catalog';
import { FIXTURES_SCHEMA_FILE, generateDefinitionSchema, SCHEMA_FILE } from './generate-schema';
import { STEP_MARKERS } from './model';
import { TRIGGER_KINDS } from './triggers';

const ROOT = path.join(__dirname, '..');

/** The committed schemas, rendered as `npx tsx definitions/generate-schema.ts` writes them. */
function generated(...flags: string[]): string {
  // Prettier formats the files and needs real ESM dynamic imports: render them in a tsx process.
  return execFileSync(
    path.join(ROOT, 'node_modules', '.bin', 'tsx'),
    [path.join(__dirname, 'generate-schema.ts'), '--stdout', ...flags],
    { cwd: ROOT, encoding: 'utf8' },
  );
}

type Schema = {
  additionalProperties: boolean;
  required: string[];
  properties: Record<string, { items?: { $ref: string } }>;
  definitions: Record<string, Record<string, unknown>>;
};

describe('published JSON Schemas', () => {
  it('the committed files are what the model and catalog generate (npx tsx definitions/generate-schema.ts)', () => {
    expect(readFileSync(SCHEMA_FILE, 'utf8')).toBe(generated());
    expect(readFileSync(FIXTURES_SCHEMA_FILE, 'utf8')).toBe(generated('--fixtures'));
  });

  it('rejects unknown keys and chooses the schema of every step kind by its key, nested steps included', () => {
    const schema = generateDefinitionSchema() as unknown as Schema;
    expect(schema.additionalProperties).toBe(false);
    expect(schema.required).toEqual(expect.arrayContaining(['name', 'version', 'steps']));
    expect(schema.properties['steps']?.items).toEqual({ $ref: '#/definitions/step' });
    const step = schema.definitions['step'] as { allOf: Array<{ if: unknown; then: unknown }> };
    expect(step.allOf).toEqual(
      STEP_MARKERS.map((marker) => ({
        if: { required: [marker] },
        then: { $ref: `#/definitions/${marker}Step` },
      })),
    );
    for (const marker of STEP_MARKERS)
      expect(schema.definitions[`${marker}Step`]?.['additionalProperties']).toBe(false);
    expect(JSON.stringify(schema.definitions['forEachStep'])).toContain('"$ref":"#/definitions/step"');
  });

  it("chooses an action's `with` by its name, and a trigger's settings by its kind", () => {
    const schema = generateDefinitionSchema() as unknown as Schema;
    const action = schema.definitions['actionStep'] as { allOf: Array<{ if: unknown; then: unknown }> };
    const calls = action.allOf.find(
      (entry) =>
        JSON.stringify(entry.if) ===
        JSON.stringify({ properties: { action: { const: 'gong.calls.get' } }, required: ['action'] }),
    );
    expect(calls?.then).toEqual({
      properties: { with: { $ref: '#/definitions/with.gong.calls.get' } },
      required: ['with'],
    });
    expect(action.allOf.length).toBe(GONG_ACTIONS.size + 1);
    const trigger = schema.definitions['trigger'] as { allOf: unknown[] };
    expect(trigger.allOf).toHaveLength(TRIGGER_KINDS.length);
  });

  it('stays a size editors load quickly: repeated parts are shared, format regexes left to the editor', () => {
    const text = JSON.stringify(generateDefinitionSchema());
    expect(text.length).toBeLessThan(200_000);
    expect(text).not.toContain('[2468][048]');
  });
});
