import { z } from 'zod';
import { GONG_ACTIONS, findGongAction } from './index';
import { fillOmittedFields } from './omitted-fields';
import { actionOutputSchema, normalizeActionOutput } from './output';

describe('optional fields Gong omits read as null', () => {
  it('fills every omitted optional field, at every depth, from the schema alone', () => {
    const schema = z.looseObject({
      id: z.string(),
      title: z.string().nullish(),
      cursor: z.string().optional(),
      value: z.unknown(),
      parties: z
        .array(z.looseObject({ name: z.string().nullable(), email: z.string().optional() }))
        .nullish(),
      byId: z.record(z.string(), z.looseObject({ note: z.string().optional() })),
    });
    expect(
      fillOmittedFields(schema, {
        id: '7782342274025937895',
        parties: [{ name: 'Ann' }, { name: null, email: 'bo@acme.com' }],
        byId: { a: {}, b: { note: 'hi' } },
      }),
    ).toEqual({
      id: '7782342274025937895',
      title: null,
      cursor: null,
      value: null,
      parties: [
        { name: 'Ann', email: null },
        { name: null, email: 'bo@acme.com' },
      ],
      byId: { a: { note: null }, b: { note: 'hi' } },
    });
  });

  it('keeps everything else as it came: values, extra fields, nulls, required fields Gong left out', () => {
    const schema = z.looseObject({
      id: z.string(),
      workspaceId: z.union([z.number().int(), z.string()]).nullish(),
      content: z.looseObject({ brief: z.string().nullish() }).nullish(),
    });
    const value = { workspaceId: '9223372036854775999', content: null, addedLater: { x: 1 } };
    expect(fillOmittedFields(schema, value)).toEqual(value);
    // Values that do not fit the schema are not the normaliser's business.
    expect(fillOmittedFields(schema, 'not an object')).toBe('not an object');
    expect(fillOmittedFields(schema, { id: 'x', content: [1, 2] })).toEqual({
      id: 'x',
      workspaceId: null,
      content: [1, 2],
    });
  });

  it('reads the step output shape: paginated actions merge pages under their items key', () => {
    const calls = findGongAction('gong.calls.extensive')!;
    const output = normalizeActionOutput(calls, {
      calls: [{ metaData: { id: '7782342274025937895' }, content: { keyPoints: [{ text: 'Pricing' }] } }],
      totalRecords: 1,
      truncated: false,
    }) as {
      calls: Array<{ content: Record<string, unknown>; parties: unknown; metaData: Record<string, unknown> }>;
    };
    const [call] = output.calls;
    expect(call!.content['brief']).toBeNull();
    expect(call!.content['keyPoints']).toEqual([{ text: 'Pricing' }]);
    expect(call!.parties).toBeNull();
    expect(call!.metaData['title']).toBeNull();
    expect(call!.metaData['id']).toBe('7782342274025937895');
  });

  it('applies to every catalog action without failing, and is idempotent', () => {
    const failures: string[] = [];
    for (const action of GONG_ACTIONS.values()) {
      try {
        const once = normalizeActionOutput(action, {});
        expect(normalizeActionOutput(action, once)).toEqual(once);
        const shape = (actionOutputSchema(action) as unknown as { shape?: Record<string, z.ZodType> }).shape;
        for (const [key, field] of Object.entries(shape ?? {})) {
          if (field.safeParse(undefined).success) expect((once as Record<string, unknown>)[key]).toBeNull();
        }
      } catch (error) {
        failures.push(`${action.name}: ${(error as Error).message.split('\n')[0]}`);
      }
    }
    expect(failures).toEqual([]);
  });
});
