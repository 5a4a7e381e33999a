import { DYN } from '../cel-types';
import { expressionParseProblem, expressionSource, looksLikeEmbeddedExpression } from '../expressions';
import type { ExpressionPlan, JsonValue, TemplatePlan } from '../plan';
import { closest, DEFINITION_CODES as CODES } from '../problems';
import { compileTemplate } from '../template';
import { EXPRESSION_ROOTS, type Compilation, type Scope } from './context';
import { isRecord, type Path } from './raw';
import { typeErrorHint } from './type-hints';

/**
 * Values and the `${{ expressions }}` in them: compiled to templates, each expression checked for syntax,
 * references (steps, inputs, variables, names bound here), secrets, types and constant failures.
 */

/**
 * A value that may hold `${{ expressions }}`: compiled to a template, every expression checked. With
 * `secrets`, expressions may read secrets (http requests): they compile to `{ "$secret": expr }`.
 */
export function compileValue(
  c: Compilation,
  value: unknown,
  path: Path,
  scope: Scope,
  options: { secrets?: Set<string> } = {},
): TemplatePlan {
  checkEmbedded(c, value, path);
  const template = compileTemplate(value, (subPath) => c.reporter.at([...path, ...subPath]));
  const secretExpressions = new Set<string>();
  for (const found of findExpressions(value, path)) {
    const at = c.reporter.at(found.path);
    const expression: ExpressionPlan = at ? { expr: found.expr, at } : { expr: found.expr };
    const checked = checkExpression(c, expression, found.path, scope, options.secrets !== undefined);
    if (checked?.secrets && checked.secrets.size > 0) {
      secretExpressions.add(expression.expr);
      for (const name of checked.secrets) options.secrets?.add(name);
    }
  }
  if (options.secrets) checkNoSecretKeys(c, value, path);
  return secretExpressions.size > 0 ? replaceSecretExpressions(template, secretExpressions) : template;
}

export function compileCondition(
  c: Compilation,
  value: string,
  path: Path,
  scope: Scope,
): ExpressionPlan | undefined {
  return compileExpressionField(c, value, path, scope, 'bool')?.plan;
}

/** A field that must be one expression (conditions, loop items, wait times) of an expected type. */
export function compileExpressionField(
  c: Compilation,
  value: string,
  path: Path,
  scope: Scope,
  expect: 'bool' | 'list' | 'time',
): { plan: ExpressionPlan; type: string | undefined } | undefined {
  const expr = expressionSource(value);
  const at = c.reporter.at(path);
  if (expr === undefined) {
    if (expect === 'time' && !Number.isNaN(Date.parse(value)))
      return { plan: { expr: JSON.stringify(value), ...(at ? { at } : {}) }, type: 'string' };
    c.reporter.report(
      CODES.invalidValue,
      expect === 'bool' ? 'a condition is a ${{ expression }}' : `"${value}" is not an expression`,
      path,
      expect === 'bool'
        ? 'Write it as ${{ ... }}, e.g. ${{ steps.list.output.totalRecords > 0 }}.'
        : expect === 'list'
          ? 'Write the list as ${{ ... }}, e.g. ${{ steps.list.output.calls }}.'
          : 'Write an ISO-8601 date-time, or ${{ ... }} giving one.',
    );
    return undefined;
  }
  const plan: ExpressionPlan = at ? { expr, at } : { expr };
  const checked = checkExpression(c, plan, path, scope, false);
  if (!checked?.type) return checked ? { plan, type: undefined } : undefined;
  const type = checked.type;
  const ok =
    type === DYN ||
    (expect === 'bool' && type === 'bool') ||
    (expect === 'list' && type.startsWith('list')) ||
    (expect === 'time' && (type === 'string' || type === 'google.protobuf.Timestamp'));
  if (!ok) {
    const wanted =
      expect === 'bool' ? 'a bool' : expect === 'list' ? 'a list' : 'a timestamp or an ISO-8601 string';
    c.reporter.reportAt(
      CODES.expressionType,
      `this expression gives ${type}, but ${wanted} is needed here`,
      path,
      plan,
      expect === 'bool' ? conditionHint(type) : `Change the expression so it gives ${wanted}.`,
    );
  }
  return { plan, type };
}

function checkEmbedded(c: Compilation, value: unknown, path: Path): void {
  if (typeof value === 'string' && looksLikeEmbeddedExpression(value)) {
    c.reporter.report(
      CODES.embeddedExpression,
      'an expression must be the whole value, not part of a text',
      path,
      'Build the text in CEL: ${{ "Hello " + input.name }}.',
    );
  } else if (Array.isArray(value)) {
    value.forEach((item, index) => checkEmbedded(c, item, [...path, index]));
  } else if (isRecord(value)) {
    for (const [key, item] of Object.entries(value)) checkEmbedded(c, item, [...path, key]);
  }
}

function checkNoSecretKeys(c: Compilation, value: unknown, path: Path): void {
  if (Array.isArray(value)) value.forEach((item, index) => checkNoSecretKeys(c, item, [...path, index]));
  else if (isRecord(value)) {
    for (const [key, item] of Object.entries(value)) {
      if (key === '$secret')
        c.reporter.report(
          CODES.invalidValue,
          '"$secret" is reserved',
          [...path, key],
          'Read secrets with ${{ secrets.<name> }}.',
          true,
        );
      checkNoSecretKeys(c, item, [...path, key]);
    }
  }
}

/**
 * Syntax, references (unknown or later steps, steps not visible here, undeclared inputs and variables),
 * secrets, then types. Returns undefined when the expression has a problem.
 */
function checkExpression(
  c: Compilation,
  expression: ExpressionPlan,
  path: Path,
  scope: Scope,
  secretsAllowed: boolean,
): { type?: string; secrets: Set<string> } | undefined {
  const { expr } = expression;
  const reporter = c.reporter;
  const parseProblem = expressionParseProblem(expr);
  if (parseProblem?.kind === 'syntax') {
    reporter.reportAt(
      CODES.expressionSyntax,
      `expression does not parse: ${parseProblem.message.split('\n')[0] ?? ''}`,
      path,
      expression,
      syntaxHint(parseProblem.message.split('\n')[0] ?? '', expr),
      parseProblem.offset,
    );
    return undefined;
  }
  if (parseProblem) {
    reporter.reportAt(
      CODES.expressionTooComplex,
      parseProblem.message,
      path,
      expression,
      `Split it: compute parts in a set step and combine vars (limits: docs/language.md, "Limits").`,
    );
    return undefined;
  }
  const references = c.expressionMemo.referencesOf(expr);
  const before = reporter.count;
  const roots: string[] = scope.triggerOnly ? ['trigger'] : [...EXPRESSION_ROOTS, 'secrets', ...scope.locals];
  for (const root of references.roots) {
    if (roots.includes(root)) continue;
    if (root === 'secrets' && scope.triggerOnly !== true) continue;
    const suggestion = closest(root, roots);
    reporter.reportAt(
      CODES.unknownReference,
      scope.triggerOnly && (EXPRESSION_ROOTS as readonly string[]).includes(root)
        ? `trigger expressions read only trigger.*, not ${root}`
        : `unknown name "${root}" in expression`,
      path,
      expression,
      suggestion && suggestion !== root
        ? `Did you mean ${suggestion}? Expressions start from ${roots.join(', ')}.`
        : `Expressions here start from ${roots.join(', ')}.`,
    );
  }
  for (const referenced of references.steps) checkStepReference(c, referenced, scope, path, expression);
  for (const name of references.vars) {
    if (!c.varNames.has(name)) {
      const suggestion = closest(name, c.varNames);
      reporter.reportAt(
        CODES.unknownReference,
        `no step sets vars.${name}`,
        path,
        expression,
        suggestion ? `Did you mean vars.${suggestion}?` : 'Assign it first with a set: step.',
        offsetOf(expr, `vars.${name}`),
      );
    }
  }
  for (const name of references.input) {
    if (!c.inputNames.has(name)) {
      const suggestion = closest(name, c.inputNames);
      reporter.reportAt(
        CODES.unknownReference,
        `the definition declares no input "${name}"`,
        path,
        expression,
        suggestion ? `Did you mean input.${suggestion}?` : 'Declare it under input:.',
        offsetOf(expr, `input.${name}`),
      );
    }
  }
  if (references.roots.has('secrets')) {
    if (!secretsAllowed) {
      reporter.reportAt(
        CODES.secretInOutput,
        'secrets may not be read here: the value would be recorded in the run history',
        path,
        expression,
        'Read secrets only in http steps (url, headers, query, body), where the activity resolves them.',
        offsetOf(expr, 'secrets'),
      );
    } else if ([...references.roots].some((root) => root !== 'secrets')) {
      reporter.reportAt(
        CODES.secretInOutput,
        'an expression that reads secrets may read nothing else',
        path,
        expression,
        'Put the secret in its own value (e.g. a header), so other data never mixes with it.',
      );
    }
  }
  if (reporter.count > before) return undefined;
  const typed = c.expressionMemo.typeOf(scope.environment, expr);
  if (typed.error) {
    reporter.reportAt(
      CODES.expressionType,
      `type error: ${typed.error.message}`,
      path,
      expression,
      typeErrorHint(c, typed.error, expr, scope),
      typed.error.start,
    );
    return undefined;
  }
  for (const finding of c.expressionMemo.findingsOf(expr)) {
    reporter.reportAt(
      finding.kind === 'regex' ? CODES.expressionRegex : CODES.expressionFails,
      finding.message,
      path,
      expression,
      finding.hint,
      finding.offset,
    );
  }
  if (reporter.count > before) return undefined;
  if (typed.type) c.expressionTypes.set(expr, typed.type);
  return { ...(typed.type ? { type: typed.type } : {}), secrets: references.secrets };
}

function checkStepReference(
  c: Compilation,
  referenced: string,
  scope: Scope,
  path: Path,
  expression: ExpressionPlan,
): void {
  if (scope.visible.has(referenced)) return;
  const target = c.declared.get(referenced);
  if (scope.triggerOnly) return; // already reported: triggers do not read steps
  const offset = offsetOf(expression.expr, `steps.${referenced}`);
  if (!target) {
    const suggestion = closest(referenced, c.declared.keys());
    c.reporter.reportAt(
      CODES.unknownStepReference,
      `no step "${referenced}"`,
      path,
      expression,
      suggestion ? `Did you mean steps.${suggestion}?` : 'Reference a step declared before this one.',
      offset,
    );
  } else if (target.order >= scope.order) {
    c.reporter.reportAt(
      CODES.laterStepReference,
      `step "${referenced}" has not run yet here`,
      path,
      expression,
      'A step can only read steps that come before it.',
      offset,
    );
  } else {
    c.reporter.reportAt(
      CODES.stepNotVisible,
      `step "${referenced}" is not visible here${target.enclosure ? ` (it runs inside ${target.enclosure})` : ''}`,
      path,
      expression,
      target.enclosure?.startsWith('forEach')
        ? 'Steps inside a loop are visible only in the same iteration: read the loop output, steps.<loop id>.output.'
        : target.enclosure?.startsWith('parallel')
          ? 'Parallel branches do not see each other, and after race/settled read the parallel output instead.'
          : 'Only steps that have completed before this one on every path are visible.',
      offset,
    );
  }
}

/** A condition that reads a value instead of testing it: the test that value usually needs. */
function conditionHint(type: string): string {
  if (type === 'int' || type === 'double' || type === 'uint')
    return 'Compare the number, e.g. ${{ x > 0 }}: a condition is true or false.';
  if (type === 'string')
    return 'Test the text, e.g. ${{ x != null && x != "" }} or ${{ x == "value" }}: a condition is true or false.';
  if (type.startsWith('list')) return 'Test the list, e.g. ${{ size(x) > 0 }}: a condition is true or false.';
  return 'Test the value, e.g. ${{ x != null }}: a condition is true or false.';
}

/** The fix for a syntax error, when it is a habit from another language. */
function syntaxHint(message: string, expr: string): string {
  const reserved = /Reserved identifier: (\w+)/.exec(message)?.[1];
  if (reserved === 'var') return 'Variables are read as vars.<name> (var is reserved in CEL).';
  if (reserved) return `${reserved} is reserved in CEL: rename it.`;
  if (/\s(and|or|not)\s/.test(expr)) return 'CEL writes && for and, || for or, ! for not.';
  if (/Unexpected character: =/.test(message)) return 'CEL compares with == (a single = is not an operator).';
  if (/Expected RPAREN|Expected RBRACKET|Expected RBRACE/.test(message))
    return 'A parenthesis or bracket opened here is not closed.';
  return 'CEL syntax: https://github.com/google/cel-spec/blob/master/doc/langdef.md';
}

export function offsetOf(expr: string, token: string): number {
  return Math.max(0, expr.indexOf(token));
}

/** Every `${{ expression }}` in a raw value, with its path. */
function findExpressions(value: unknown, path: Path): Array<{ path: Path; expr: string }> {
  if (typeof value === 'string') {
    const expr = expressionSource(value);
    return expr === undefined ? [] : [{ path, expr }];
  }
  if (Array.isArray(value)) return value.flatMap((item, index) => findExpressions(item, [...path, index]));
  if (isRecord(value))
    return Object.entries(value).flatMap(([key, item]) => findExpressions(item, [...path, key]));
  return [];
}

function replaceSecretExpressions(template: TemplatePlan, secretExpressions: Set<string>): TemplatePlan {
  switch (template.t) {
    case 'lit':
      return template;
    case 'expr':
      return secretExpressions.has(template.e.expr)
        ? { t: 'lit', v: { $secret: template.e.expr } }
        : template;
    case 'arr': {
      const items = template.i.map((item) => replaceSecretExpressions(item, secretExpressions));
      return items.every((item) => item.t === 'lit')
        ? { t: 'lit', v: items.map((item) => (item as { v: JsonValue }).v) }
        : { t: 'arr', i: items };
    }
    case 'obj': {
      const fields = Object.fromEntries(
        Object.entries(template.f).map(([key, field]) => [
          key,
          replaceSecretExpressions(field, secretExpressions),
        ]),
      );
      return Object.values(fields).every((field) => field.t === 'lit')
        ? {
            t: 'lit',
            v: Object.fromEntries(
              Object.entries(fields).map(([key, field]) => [key, (field as { v: JsonValue }).v]),
            ),
          }
        : { t: 'obj', f: fields };
    }
  }
}
