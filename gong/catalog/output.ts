import { z } from 'zod';
import { fillOmittedFields } from './omitted-fields';
import type { GongActionDefinition } from './types';

/**
 * The schema of a step's output, derived from Gong's response schema: paginated actions merge every page's
 * records under their items key and report `totalRecords` and `truncated`; others return Gong's body.
 * `requestId` is dropped from outputs (it is logged and kept in errors instead).
 */
export function actionOutputSchema(action: GongActionDefinition): z.ZodType {
  const shape = responseShape(action);
  if (!shape) return action.response;
  if (action.pagination) {
    const items = shape[action.pagination.itemsKey];
    if (!items)
      throw new Error(`catalog: ${action.name} response has no "${action.pagination.itemsKey}" field`);
    return z.looseObject({
      [action.pagination.itemsKey]: items,
      totalRecords: z.number().int().nonnegative().describe('Total records Gong reported for the filter.'),
      truncated: z.boolean().describe('True when maxItems stopped paging before the last page.'),
    });
  }
  const { requestId: _requestId, ...rest } = shape;
  return z.looseObject(rest);
}

function responseShape(action: GongActionDefinition): Record<string, z.ZodType> | undefined {
  const candidate = action.response as unknown as { shape?: Record<string, z.ZodType> };
  return candidate.shape;
}

const outputSchemas = new WeakMap<GongActionDefinition, z.ZodType>();

/**
 * A step's output as expressions read it: every optional field Gong omitted is `null`
 * (see fillOmittedFields), so `steps.call.output.calls[0].content.brief == null` works.
 */
export function normalizeActionOutput(action: GongActionDefinition, output: unknown): unknown {
  let schema = outputSchemas.get(action);
  if (schema === undefined) {
    schema = actionOutputSchema(action);
    outputSchemas.set(action, schema);
  }
  return fillOmittedFields(schema, output);
}
