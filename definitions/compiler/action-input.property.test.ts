import fc from 'fast-check';
import type { z } from 'zod';
import { arbitraryFor, validArbitraryFor } from '../../test/support/zod-arbitrary';
import { findGongAction, GONG_ACTIONS, GONG_REQUEST_ACTION_NAME } from '../../gong/catalog';
import { parseActionInput } from '../../gong/catalog/input';
import type { GongActionDefinition } from '../../gong/catalog/types';
import { compileDefinition } from '../compile';
import { compileTemplate, evaluateTemplate } from '../template';
import { defOf } from './shape';

/**
 * The validator and the activity agree on every catalog action's input, both ways: an input the validator
 * accepts is one the action's runtime schema accepts when the run calls it, and one the runtime accepts is
 * never refused by the validator (fields the catalog does not know are warnings there and sent as given
 * at run time; gong.request refuses them in both). Inputs are generated from each action's own schema (valid ones, and
 * ones with wrong kinds, unknown keys and missing keys at any depth). Literal inputs must agree exactly.
 * With expressions (constants, evaluated as a run evaluates them) in valid inputs, of the value itself or
 * of a wrong kind: the validator never refuses what runs, and refuses every kind the runtime refuses. (A
 * value of the right kind that the field still refuses, a text that is no date, shows only when it runs.)
 *
 * The seed is fixed so CI is reproducible; fast-check prints it with the failing input and its shrink
 * path. FC_SEED=<n> FC_RUNS=<n> explores other seeds.
 */
const SEED = Number(process.env['FC_SEED'] ?? 20_261_130);
const RUNS = Number(process.env['FC_RUNS'] ?? 25);

const ACTIONS = [...GONG_ACTIONS.keys(), GONG_REQUEST_ACTION_NAME];

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** What `gongflow validate` says about a step calling `action` with `input` (a JSON definition). */
function validatorAccepts(
  action: string,
  input: Record<string, unknown>,
): { ok: boolean; nearMissOnly: boolean; problems: string[] } {
  const definition = { name: 'property', version: 1, steps: [{ id: 'call', action, with: input }] };
  const result = compileDefinition(JSON.stringify(definition), 'property.json');
  return {
    ok: result.ok,
    nearMissOnly:
      result.problems.length > 0 &&
      result.problems.every((problem) => problem.hint?.includes('gongflow option')),
    problems: result.problems.map((problem) => `${problem.code} ${problem.message}`),
  };
}

/**
 * The one deliberate difference: a near miss of a gongflow option (`maxItem`) is refused, though a runtime
 * that keeps unknown fields would send it to Gong, which does not know it either (the option would be lost).
 * Where the runtime refuses it too (gong.request), both refuse and agree.
 */
function refusesWhatRuns(validator: { ok: boolean; nearMissOnly: boolean }, runtime: boolean): boolean {
  return runtime && !validator.ok && !validator.nearMissOnly;
}

/**
 * What the activity does with the input a run evaluates: parseActionInput, on the evaluated value (the
 * catalog's schema, fields it does not know kept and sent to Gong; gong.request strict).
 */
function runtimeAccepts(action: GongActionDefinition, input: Record<string, unknown>): boolean {
  let value: unknown;
  try {
    value = evaluateTemplate(compileTemplate(JSON.parse(JSON.stringify(input))), {});
  } catch {
    return false; // an expression that fails fails the step
  }
  return parseActionInput(action, value).success;
}

/** A CEL constant of the value's own type: `"text"`, `5` (int), `2.5` (double), `true`, `null`. */
function celLiteral(value: unknown): string | undefined {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'boolean' || value === null) return String(value);
  if (typeof value === 'number' && Number.isFinite(value))
    return Number.isInteger(value)
      ? String(value)
      : /[.e]/.test(String(value))
        ? String(value)
        : `${value}.0`;
  return undefined;
}

interface Leaf {
  path: Array<string | number>;
  schema: z.ZodType;
}

/** Scalar values of `value` with the schema that checks them. */
function leaves(schema: z.ZodType, value: unknown, path: Array<string | number> = []): Leaf[] {
  const def = defOf(schema);
  if (def.innerType) return leaves(def.innerType, value, path);
  if (def.type === 'pipe' && def.in) return leaves(def.in, value, path);
  if (def.type === 'object' && isRecord(value))
    return Object.entries(def.shape ?? {}).flatMap(([key, field]) =>
      key in value ? leaves(field, value[key], [...path, key]) : [],
    );
  if (def.type === 'record' && isRecord(value) && def.valueType)
    return Object.keys(value).flatMap((key) => leaves(def.valueType!, value[key], [...path, key]));
  if (def.type === 'array' && Array.isArray(value) && def.element)
    return value.flatMap((item, index) => leaves(def.element!, item, [...path, index]));
  if (
    ['string', 'number', 'boolean', 'enum', 'literal'].includes(def.type) &&
    celLiteral(value) !== undefined
  )
    return [{ path, schema }];
  return [];
}

/** A constant of another JSON kind than `value`: what a wrong expression gives. */
function wrongKind(value: unknown): string {
  return typeof value === 'string'
    ? '7'
    : typeof value === 'number'
      ? '"7"'
      : typeof value === 'boolean'
        ? '"true"'
        : 'false';
}

/** The input with the chosen leaves written as expressions: of the value itself, or of a wrong kind. */
function replaced(
  input: Record<string, unknown>,
  chosen: Array<Leaf & { wrong: boolean }>,
): Record<string, unknown> {
  const copy = JSON.parse(JSON.stringify(input)) as Record<string, unknown>;
  for (const leaf of chosen) {
    let node: unknown = copy;
    for (const key of leaf.path.slice(0, -1)) node = (node as Record<string | number, unknown>)[key];
    const last = leaf.path.at(-1)!;
    const parent = node as Record<string | number, unknown>;
    parent[last] = `\${{ ${leaf.wrong ? wrongKind(parent[last]) : celLiteral(parent[last])} }}`;
  }
  return copy;
}

describe.each(ACTIONS)('%s: validator and runtime input schema agree', (name) => {
  const action = findGongAction(name)!;
  const inputs = arbitraryFor(action.input).filter(isRecord);

  it('on literal inputs, both ways', () => {
    fc.assert(
      fc.property(inputs, (input) => {
        const validator = validatorAccepts(name, input);
        const runtime = runtimeAccepts(action, input);
        if (refusesWhatRuns(validator, runtime) || (validator.ok && !runtime)) {
          throw new Error(
            `validator ${validator.ok ? 'accepts' : 'refuses'}, runtime ${runtime ? 'accepts' : 'refuses'}: ${validator.problems.join('; ')}`,
          );
        }
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it('with expressions: never refuses what runs, and sees a value of the wrong kind', () => {
    // Valid inputs (and the catalog's example), some leaves then written as expressions: of their own
    // value, or of a wrong kind (an int for a text), which the validator must see from the type alone.
    const valid = fc
      .oneof(validArbitraryFor(action.input), fc.constant(action.example))
      .filter(
        (input): input is Record<string, unknown> => isRecord(input) && action.input.safeParse(input).success,
      );
    fc.assert(
      fc.property(
        valid,
        fc.infiniteStream(fc.boolean()),
        fc.nat(),
        fc.boolean(),
        (input, picks, index, wrong) => {
          // Leaves written as expressions of their own value; in half the runs, one of a wrong kind.
          const all = leaves(action.input, input);
          const chosen = all
            .map((leaf, position) => ({ ...leaf, wrong: wrong && position === index % all.length }))
            .filter((leaf) => leaf.wrong || picks.next().value === true);
          const withExpressions = replaced(input, chosen);
          const validator = validatorAccepts(name, withExpressions);
          const runtime = runtimeAccepts(action, withExpressions);
          if (refusesWhatRuns(validator, runtime))
            throw new Error(`validator refuses what runs: ${validator.problems.join('; ')}`);
          // The input was valid and only kinds changed: whatever the runtime refuses, the types show.
          if (validator.ok && !runtime) throw new Error('validator accepts what the runtime refuses');
        },
      ),
      { seed: SEED, numRuns: RUNS },
    );
  });
});
