import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { z } from 'zod';
import { GongflowError, readFailureReason, type ProblemDetail } from '../../core/errors';
import { parseSource } from '../../core/yaml-source';
import { Reporter } from '../../definitions/compiler/report';
import { recover, type Recovered } from '../../definitions/compiler/shape';
import {
  FixturesWithCasesSchema,
  TestCaseSchema,
  type TestCaseSource,
} from '../../definitions/fixtures-model';
import type { Plan, StepPlan } from '../../definitions/plan';
import { closest } from '../../definitions/problems';
import { resolveRunInput } from '../../definitions/run-input';
import { triggerFixtureProblems } from './trigger-fixture';
import { waitFixtureProblems } from './wait-fixtures';

export type { Expectation, StepFixture } from '../../definitions/fixtures-model';
export type TestCase = TestCaseSource & { name: string };

/** Shape problems of fixtures files keep the code scripts match on. */
const FIXTURE_SHAPE_CODES = {
  unknownKey: 'TEST_FIXTURES_SCHEMA',
  missingKey: 'TEST_FIXTURES_SCHEMA',
  invalidValue: 'TEST_FIXTURES_SCHEMA',
};

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

/**
 * Checks a fixtures file against a plan in one pass: a case with a shape problem is still checked for the
 * steps and input it names, and one case's problems never hide another's.
 */
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
  const reporter = new Reporter(source, text);
  const single = !(typeof source.value === 'object' && source.value !== null && 'cases' in source.value);
  const shape = { codes: FIXTURE_SHAPE_CODES, reference: 'docs/testing.md' };
  const recovered = single
    ? recover(reporter, TestCaseSchema, source.value, [], shape)
    : recover(reporter, FixturesWithCasesSchema, source.value, [], shape);
  const cases: Array<[string, Recovered<TestCaseSource> | undefined]> = single
    ? [['default', recovered.value as Recovered<TestCaseSource> | undefined]]
    : Object.entries(
        (recovered.value as Recovered<z.infer<typeof FixturesWithCasesSchema>> | undefined)?.cases ?? {},
      );
  const steps = stepsOf(plan);
  const callable = [...steps.values()].filter((step) => step.kind === 'action' || step.kind === 'http');
  const known = callable.map((step) => step.id).join(', ') || '(none)';
  const problems: ProblemDetail[] = reporter.problems;
  for (const [name, testCase] of cases) {
    if (!testCase) continue;
    const base: PropertyKey[] = single ? [] : ['cases', name];
    for (const stepId of Object.keys(testCase.steps ?? {})) {
      const step = steps.get(stepId);
      if (step?.kind === 'action' || step?.kind === 'http') continue;
      const suggestion = step
        ? undefined
        : closest(
            stepId,
            callable.map((candidate) => candidate.id),
          );
      problems.push({
        code: step ? 'TEST_FIXTURE_NOT_CALLABLE' : 'TEST_FIXTURE_UNKNOWN_STEP',
        message: step
          ? `Step "${stepId}" is a ${step.kind} step: only action and http steps take fixtures.`
          : `${plan.name} has no step "${stepId}".`,
        path: [...base, 'steps', stepId].join('.'),
        ...source.locate([...base, 'steps', stepId], { atKey: true }),
        hint: `${suggestion ? `Did you mean "${suggestion}"? ` : ''}Steps that take fixtures: ${known}.`,
      });
    }
    for (const [list, ids] of [
      ['path', testCase.expect?.path],
      ['notRun', testCase.expect?.notRun],
    ] as const) {
      for (const [index, stepId] of (ids ?? []).entries()) {
        if (stepId === undefined || steps.has(stepId)) continue;
        const suggestion = closest(stepId, steps.keys());
        problems.push({
          code: 'TEST_FIXTURE_UNKNOWN_STEP',
          message: `${plan.name} has no step "${stepId}".`,
          path: [...base, 'expect', list, index].join('.'),
          ...source.locate([...base, 'expect', list, index]),
          hint: `${suggestion ? `Did you mean "${suggestion}"? ` : ''}Steps of ${plan.name}: ${[...steps.keys()].join(', ')}.`,
        });
      }
    }
    problems.push(...waitFixtureProblems(plan, steps, testCase, base, source));
    if (testCase.trigger !== undefined) {
      // The trigger's input mapping makes the input when the case runs (checked then, as a trigger does).
      const inputGiven = reporter.rawAt([...base, 'input'] as Array<string | number>) !== undefined;
      problems.push(
        ...triggerFixtureProblems(plan, testCase.trigger, [...base, 'trigger'], source, inputGiven),
      );
      continue;
    }
    if (testCase.input === undefined) continue;
    const input = resolveRunInput(plan, testCase.input);
    if (!input.ok) {
      for (const message of input.errors) {
        // At the field the message names when the case gives it, else at the case's input.
        const field = /input "([^"]+)"/.exec(message)?.[1];
        const given = field !== undefined && testCase.input[field] !== undefined;
        const where = given ? [...base, 'input', field] : [...base, 'input'];
        problems.push({
          code: 'TEST_FIXTURE_INVALID_INPUT',
          message,
          path: where.join('.'),
          ...source.locate(where, { atKey: true }),
          hint: `The input must match the input declaration of ${plan.name}.`,
        });
      }
    }
  }
  if (problems.length > 0 || !recovered.ok) throw invalid(problems);
  return single
    ? [{ name: 'default', ...(recovered.value as TestCaseSource) }]
    : Object.entries((recovered.value as z.infer<typeof FixturesWithCasesSchema>).cases).map(
        ([name, body]) => ({
          name,
          ...body,
        }),
      );
}
