import fc from 'fast-check';
import { canonicalJson, canonicalJsonWithoutPositions, planHash, sha256Hex, withoutPositions } from './hash';

/**
 * A plan's hash is its identity: runs are pinned to it and deployed triggers compare it, so the one-copy
 * canonical text behind `planHash` must give exactly the text of the two-step definition it replaced,
 * `canonicalJson(withoutPositions(plan))`, for every value a plan can hold. Values are generated with
 * what makes that text tricky: source positions (stripped) beside `at` keys that are no position (kept),
 * literals (hashed untouched), embedded plans (without source and hash), integer-like keys (JavaScript
 * orders them first), `__proto__` and undefined fields.
 * The seed is fixed; FC_SEED=<n> FC_RUNS=<n> explore others.
 */
const SEED = Number(process.env['FC_SEED'] ?? 20_261_202);
const RUNS = Number(process.env['FC_RUNS'] ?? 300);

const key = fc.oneof(
  fc.constantFrom('at', 't', 'v', 'source', 'hash', 'steps', 'formatVersion', '0', '2', '10', '01', '-1'),
  fc.constantFrom('4294967294', '4294967295', 'B', 'a', 'é', '__proto__', ''),
  fc.string({ maxLength: 4 }),
);

const position = fc.record({ line: fc.nat(), column: fc.nat() });

const { value } = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.jsonValue({ maxDepth: 1 }),
    fc.constant(undefined),
    position,
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(key, tie('value'), { maxKeys: 5 }),
    fc.record({ t: fc.constant('lit'), v: tie('value'), at: fc.option(position) }),
    fc.record({ at: fc.oneof(position, tie('value')), expr: fc.string() }),
    fc.record({
      formatVersion: fc.nat(),
      steps: fc.array(tie('value'), { maxLength: 3 }),
      source: fc.string(),
      hash: fc.string(),
      at: position,
    }),
  ),
}));

/** What planHash is given: an object (a plan, or any part of one). */
const planLike = fc.oneof(fc.dictionary(key, value, { maxKeys: 6 }), fc.array(value, { maxLength: 4 }));

describe('plan hash', () => {
  it('is the hash of the canonical JSON of the plan without positions', () => {
    fc.assert(
      fc.property(planLike, (plan) => {
        const expected = canonicalJson(withoutPositions(plan));
        expect(canonicalJsonWithoutPositions(plan)).toBe(expected);
        expect(planHash(plan)).toBe(sha256Hex(expected));
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it('does not depend on positions, file names or key order', () => {
    const plan = {
      formatVersion: 1,
      name: 'a',
      steps: [{ id: 's', at: { line: 3, column: 5 } }],
      source: 'a.yaml',
    };
    const moved = {
      source: 'b.json',
      steps: [{ at: { line: 9, column: 1 }, id: 's' }],
      name: 'a',
      formatVersion: 1,
    };
    expect(planHash(moved)).toBe(planHash(plan));
    expect(planHash({ ...plan, name: 'b' })).not.toBe(planHash(plan));
  });
});
