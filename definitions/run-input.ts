import type { InputFieldPlan, Plan } from './plan';

export type RunInputResult = { ok: true; value: Record<string, unknown> } | { ok: false; errors: string[] };

/** Checks a run's input against the plan's declaration and fills defaults. Pure: used by clients and workflows. */
export function resolveRunInput(plan: Pick<Plan, 'input' | 'name'>, input: unknown): RunInputResult {
  const given = input ?? {};
  if (typeof given !== 'object' || Array.isArray(given))
    return { ok: false, errors: ['the input must be an object'] };
  const value: Record<string, unknown> = {};
  const errors: string[] = [];
  for (const key of Object.keys(given)) {
    if (!(key in plan.input))
      errors.push(`unknown input "${key}" (declared: ${Object.keys(plan.input).join(', ') || 'none'})`);
  }
  for (const [name, field] of Object.entries(plan.input)) {
    const provided = (given as Record<string, unknown>)[name];
    if (provided === undefined) {
      if (field.default !== undefined) value[name] = field.default;
      else if (field.required)
        errors.push(`missing required input "${name}"${field.description ? ` (${field.description})` : ''}`);
      continue;
    }
    if (!matchesType(provided, field.type))
      errors.push(`input "${name}" must be ${field.type}, got ${describe(provided)}`);
    value[name] = provided;
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, value };
}

export function matchesType(value: unknown, type: InputFieldPlan['type']): boolean {
  switch (type) {
    case 'any':
      return true;
    case 'string':
      return typeof value === 'string';
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value);
    case 'boolean':
      return typeof value === 'boolean';
    case 'array':
      return Array.isArray(value);
    case 'object':
      return typeof value === 'object' && value !== null && !Array.isArray(value);
  }
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}
