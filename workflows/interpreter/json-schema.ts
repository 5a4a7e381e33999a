import type { JsonValue } from '../../definitions/plan';

/**
 * The subset of JSON Schema a signal's `payloadSchema` may use: type, properties, required,
 * additionalProperties (false), items, enum, const, minimum/maximum, minLength/maxLength. Pure; returns
 * the first problem found, or undefined when the value conforms.
 */
export function schemaProblem(
  schema: JsonValue | undefined,
  value: unknown,
  path = 'payload',
): string | undefined {
  if (schema === undefined || schema === null || schema === true) return undefined;
  if (schema === false) return `${path} is not allowed`;
  if (typeof schema !== 'object' || Array.isArray(schema)) return undefined;
  const s = schema as Record<string, JsonValue>;
  if (s['type'] !== undefined) {
    const types = Array.isArray(s['type']) ? s['type'] : [s['type']];
    if (!types.some((type) => typeof type === 'string' && hasType(value, type))) {
      return `${path} must be ${types.map((type) => JSON.stringify(type)).join(' or ')}, got ${typeName(value)}`;
    }
  }
  if (Array.isArray(s['enum']) && !s['enum'].some((option) => deepEqual(option, value))) {
    return `${path} must be one of ${JSON.stringify(s['enum'])}`;
  }
  if ('const' in s && !deepEqual(s['const'], value)) return `${path} must be ${JSON.stringify(s['const'])}`;
  if (typeof value === 'number') {
    if (typeof s['minimum'] === 'number' && value < s['minimum']) return `${path} must be ≥ ${s['minimum']}`;
    if (typeof s['maximum'] === 'number' && value > s['maximum']) return `${path} must be ≤ ${s['maximum']}`;
  }
  if (typeof value === 'string') {
    if (typeof s['minLength'] === 'number' && value.length < s['minLength'])
      return `${path} must have at least ${s['minLength']} characters`;
    if (typeof s['maxLength'] === 'number' && value.length > s['maxLength'])
      return `${path} must have at most ${s['maxLength']} characters`;
  }
  if (Array.isArray(value) && s['items'] !== undefined) {
    for (const [index, item] of value.entries()) {
      const problem = schemaProblem(s['items'], item, `${path}[${index}]`);
      if (problem) return problem;
    }
  }
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const record = value as Record<string, unknown>;
    for (const name of Array.isArray(s['required']) ? s['required'] : []) {
      if (typeof name === 'string' && record[name] === undefined) return `${path}.${name} is required`;
    }
    const properties = (
      typeof s['properties'] === 'object' && s['properties'] !== null && !Array.isArray(s['properties'])
        ? s['properties']
        : {}
    ) as Record<string, JsonValue>;
    for (const [name, item] of Object.entries(record)) {
      if (name in properties) {
        const problem = schemaProblem(properties[name], item, `${path}.${name}`);
        if (problem) return problem;
      } else if (s['additionalProperties'] === false) {
        return `${path}.${name} is not allowed`;
      }
    }
  }
  return undefined;
}

function hasType(value: unknown, type: string): boolean {
  switch (type) {
    case 'null':
      return value === null;
    case 'boolean':
      return typeof value === 'boolean';
    case 'string':
      return typeof value === 'string';
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value);
    case 'array':
      return Array.isArray(value);
    case 'object':
      return typeof value === 'object' && value !== null && !Array.isArray(value);
    default:
      return false;
  }
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

function deepEqual(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
