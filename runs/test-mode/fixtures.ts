import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { GongflowError, readFailureReason, type ProblemDetail } from '../../core/errors';
import { FAILURE_TYPES } from '../../core/failure-types';
import { parseSource, type ParsedSource } from '../../core/yaml-source';
import type { Plan, StepPlan } from '../../definitions/plan';
import { resolveRunInput } from '../../definitions/run-input';

const failureTypes = Object.values(FAILURE_TYPES) as [string, ...string[]];

const fixtureError = z.strictObject({
  type: z.enum(failureTypes),
  message: z.string().default('failure from the fixtures'),
});

/** What one Gong action or HTTP step answers: one value, one failure, or one value per successive call. */
const stepFixture = z
  .strictObject({
    output: z.unknown().optional(),
    /** Successive calls (a step inside a loop, or run again): the n-th call answers the n-th value. */
    outputs: z.array(z.unknown()).min(1).optional(),
    error: fixtureError.optional(),
  })
  .refine((fixture) => Object.keys(fixture).length === 1, {
    message:
      'A step fixture is one of { output: <value> }, { outputs: [<value>, ...] } or { error: { type, message } }.',
  });

const expectation = z.strictObject({
  status: z.enum(['completed', 'failed']).optional(),
  /** Subset match: objects need the keys given (others may exist), arrays match item by item, scalars equal. */
  output: z.unknown().optional(),
  /** Steps that ran (completed or failed), in the order they started; other steps may run in between. */
  path: z.array(z.string()).optional(),
  /** Steps that must not run (never started, or skipped by `when`). */
  notRun: z.array(z.string()).optional(),
  error: z.strictObject({ type: z.string().optional(), message: z.string().optional() }).optional(),
});

const testCase = z.strictObject({
  input: z.record(z.string(), z.unknown()).default({}),
  steps: z.record(z.string(), stepFixture).default({}),
  expect: expectation.default({}),
});

const fixturesFile = z.union([
  z.strictObject({ cases: z.record(z.string(), testCase) }),
  testCase.transform((single) => ({ cases: { default: single } })),
]);

export type StepFixture = z.infer<typeof stepFixture>;
export type Expectation = z.infer<typeof expectation>;
export type TestCase = z.infer<typeof testCase> & { name: string };

/** Every step of a plan (nested, on-failure and sub-orchestrations included), by id. */
export function stepsOf(plan: Plan): Map<string, StepPlan> {
  const found = new Map<string, StepPlan>();
  const visit = (steps: ReadonlyArray<StepPlan> | undefined): void => {
    for (const step of steps ?? []) {
      if (!found.has(step.id)) found.set(step.id, step);
      switch (step.kind) {
        case 'if':
          visit(step.then);
          visit(step.else);
          break;
        case 'switch':
          for (const branch of step.cases) visit(branch.steps);
          visit(step.default);
          break;
        case 'parallel':
          for (const branch of step.branches) visit(branch.steps);
          break;
        case 'forEach':
          visit(step.steps);
          break;
        case 'try':
          visit(step.steps);
          visit(step.catch?.steps);
          visit(step.finally);
          break;
        case 'run':
          visit(step.plan.steps);
          visit(step.plan.onFailure);
          break;
        default:
          break;
      }
    }
  };
  visit(plan.steps);
  visit(plan.onFailure);
  return found;
}

/** Reads a fixtures file (YAML or JSON) and checks it against the plan; throws one error listing every problem. */
export function loadFixtures(file: string, plan: Plan): TestCase[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new GongflowError(
      'TEST_FIXTURES_NOT_FOUND',
      `Cannot read fixtures ${file}: ${readFailureReason(error)}`,
      { hint: 'Check the path; definitions/examples/list-users.fixtures.yaml is an example.' },
    );
  }
  return parseFixtures(text, path.relative(process.cwd(), file) || file, plan);
}

export function parseFixtures(text: string, file: string, plan: Plan): TestCase[] {
  const source = parseSource(text, file);
  const invalid = (problems: ProblemDetail[]): GongflowError =>
    new GongflowError('TEST_FIXTURES_INVALID', `${file} has ${problems.length} problem(s).`, {
      problems,
      hint: 'See docs/testing.md for the fixtures format.',
    });
  if (source.syntaxErrors.length > 0) {
    throw invalid(
      source.syntaxErrors.map((error) => ({
        code: 'TEST_FIXTURES_SYNTAX',
        file,
        ...error,
        message: error.message,
      })),
    );
  }
  const parsed = fixturesFile.safeParse(source.value);
  if (!parsed.success) {
    // With `cases:` the issues of the first union member are the relevant ones; without, the second's.
    const hasCases = typeof source.value === 'object' && source.value !== null && 'cases' in source.value;
    throw invalid(zodProblems(parsed.error, source, hasCases));
  }
  const steps = stepsOf(plan);
  const callable = [...steps.values()].filter((step) => step.kind === 'action' || step.kind === 'http');
  const known = callable.map((step) => step.id).join(', ') || '(none)';
  const problems: ProblemDetail[] = [];
  const cases = Object.entries(parsed.data.cases).map(([name, body]) => ({ name, ...body }));
  const single = !(typeof source.value === 'object' && source.value !== null && 'cases' in source.value);
  for (const testCase of cases) {
    const base: PropertyKey[] = single ? [] : ['cases', testCase.name];
    for (const stepId of Object.keys(testCase.steps)) {
      const step = steps.get(stepId);
      if (step?.kind === 'action' || step?.kind === 'http') continue;
      problems.push({
        code: step ? 'TEST_FIXTURE_NOT_CALLABLE' : 'TEST_FIXTURE_UNKNOWN_STEP',
        message: step
          ? `Step "${stepId}" is a ${step.kind} step: only action and http steps take fixtures.`
          : `${plan.name} has no step "${stepId}".`,
        path: [...base, 'steps', stepId].join('.'),
        ...source.locate([...base, 'steps', stepId], { atKey: true }),
        hint: `Steps that take fixtures: ${known}.`,
      });
    }
    for (const [list, ids] of [
      ['path', testCase.expect.path],
      ['notRun', testCase.expect.notRun],
    ] as const) {
      for (const [index, stepId] of (ids ?? []).entries()) {
        if (steps.has(stepId)) continue;
        problems.push({
          code: 'TEST_FIXTURE_UNKNOWN_STEP',
          message: `${plan.name} has no step "${stepId}".`,
          path: [...base, 'expect', list, index].join('.'),
          ...source.locate([...base, 'expect', list, index]),
          hint: `Steps of ${plan.name}: ${[...steps.keys()].join(', ')}.`,
        });
      }
    }
    const input = resolveRunInput(plan, testCase.input);
    if (!input.ok) {
      for (const message of input.errors) {
        problems.push({
          code: 'TEST_FIXTURE_INVALID_INPUT',
          message,
          path: [...base, 'input'].join('.'),
          ...source.locate([...base, 'input'], { atKey: true }),
          hint: `The input must match the input declaration of ${plan.name}.`,
        });
      }
    }
  }
  if (problems.length > 0) throw invalid(problems);
  return cases;
}

function zodProblems(error: z.ZodError, source: ParsedSource, hasCases: boolean): ProblemDetail[] {
  const issues = error.issues.flatMap((issue) =>
    issue.code === 'invalid_union' ? (issue.errors[hasCases ? 0 : 1] ?? []) : [issue],
  );
  return issues.map((issue) => {
    const at = issue.path;
    const unknownKey = issue.code === 'unrecognized_keys' ? issue.keys[0] : undefined;
    const where = unknownKey === undefined ? at : [...at, unknownKey];
    return {
      code: 'TEST_FIXTURES_SCHEMA',
      message: issue.message,
      path: where.map(String).join('.'),
      ...source.locate(where, { atKey: unknownKey !== undefined }),
      ...(issue.code === 'invalid_value' && where.includes('type')
        ? { hint: 'Fixtures fail steps with the stable failure types of core/failure-types.ts.' }
        : {}),
    };
  });
}
