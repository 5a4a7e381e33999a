import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { generateDefinitionSchema, SCHEMA_FILE } from './generate-schema';

const ROOT = path.join(__dirname, '..');

describe('published JSON Schema', () => {
  it('the committed file is what the zod model generates (npx tsx definitions/generate-schema.ts)', () => {
    // Prettier formats the file and needs real ESM dynamic imports: render it in a tsx process.
    const generated = execFileSync(
      path.join(ROOT, 'node_modules', '.bin', 'tsx'),
      [path.join(__dirname, 'generate-schema.ts'), '--stdout'],
      { cwd: ROOT, encoding: 'utf8' },
    );
    expect(readFileSync(SCHEMA_FILE, 'utf8')).toBe(generated);
  });

  it('rejects unknown keys and describes every step kind, nested steps included', () => {
    const schema = generateDefinitionSchema() as unknown as {
      additionalProperties: boolean;
      required: string[];
      properties: { steps: { items: { $ref: string } } };
      $defs: { step: { anyOf: Array<{ title: string; additionalProperties: boolean }> } };
    };
    expect(schema.additionalProperties).toBe(false);
    expect(schema.required).toEqual(expect.arrayContaining(['name', 'version', 'steps']));
    expect(schema.properties.steps.items).toEqual({ $ref: '#/$defs/step' });
    expect(schema.$defs.step.anyOf.map((step) => step.title)).toEqual([
      'action step',
      'http step',
      'set step',
      'if step',
      'switch step',
      'parallel step',
      'forEach step',
      'sleep step',
      'waitUntil step',
      'waitForSignal step',
      'approval step',
      'run step',
      'try step',
      'fail step',
      'succeed step',
    ]);
    expect(schema.$defs.step.anyOf.every((step) => step.additionalProperties === false)).toBe(true);
    expect(JSON.stringify(schema.$defs.step)).toContain('"$ref":"#/$defs/step"');
  });
});
