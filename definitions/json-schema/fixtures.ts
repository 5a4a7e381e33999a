import { FixturesWithCasesSchema, TestCaseSchema } from '../fixtures-model';
import { isObject, toJson, type Json, type JsonObject } from './convert';

export const FIXTURES_SCHEMA_ID = 'https://gongflow.dev/schema/fixtures.schema.json';

/**
 * The published JSON Schema of fixtures files (`gongflow test`, docs/testing.md): one case at the top
 * level, or named cases under `cases:`, generated from definitions/fixtures-model.ts.
 */
export function generateFixturesSchema(): JsonObject {
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: FIXTURES_SCHEMA_ID,
    title: 'gongflow fixtures',
    description:
      'Fixtures of `gongflow test`: run input, step results and expectations, one case or named cases. Reference: docs/testing.md.',
    type: 'object',
    if: { required: ['cases'] },
    then: { $ref: '#/definitions/cases' },
    else: { $ref: '#/definitions/case' },
    definitions: {
      cases: oneAnswerPerStep(toJson(FixturesWithCasesSchema)) as JsonObject,
      case: oneAnswerPerStep(toJson(TestCaseSchema)) as JsonObject,
    },
  };
}

const STEP_FIXTURE_KEYS = ['error', 'output', 'outputs'].join();

/**
 * A step fixture is exactly one of output, outputs, error: a refinement zod cannot export, said here with
 * min/maxProperties so editors flag `{ output, error }` too.
 */
function oneAnswerPerStep(node: Json): Json {
  if (Array.isArray(node)) return node.map(oneAnswerPerStep);
  if (!isObject(node)) return node;
  const result: JsonObject = {};
  for (const [key, value] of Object.entries(node)) result[key] = oneAnswerPerStep(value);
  const properties = node['properties'];
  if (isObject(properties) && Object.keys(properties).sort().join() === STEP_FIXTURE_KEYS)
    return { ...result, minProperties: 1, maxProperties: 1 };
  return result;
}
