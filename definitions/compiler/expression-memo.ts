import type { Environment } from '@marcbachmann/cel-js';
import { checkExpressionType, type TypeCheckOutcome } from '../cel-types';
import { expressionFindings, type ExpressionFinding } from '../expression-checks';
import { expressionReferences, type ExpressionReferences } from '../expressions';

/**
 * What one compilation learns about an expression, learnt once. Long definitions repeat expressions (the
 * same secret in every http step, the same loop body, the same input read in every action), and re-checking
 * a repeat gives the same answer: references and constant failures depend on the text alone, types on the
 * text and the environment, and environments are complete before the first expression is checked
 * (environment.ts: variables are registered when an environment is built or cloned, never afterwards).
 * Kept per compilation, so a definition is always checked against its own declarations.
 */
export class ExpressionMemo {
  private readonly references = new Map<string, ExpressionReferences>();
  private readonly findings = new Map<string, ExpressionFinding[]>();
  private readonly types = new Map<Environment, Map<string, TypeCheckOutcome>>();

  referencesOf(expr: string): ExpressionReferences {
    let found = this.references.get(expr);
    if (!found) this.references.set(expr, (found = expressionReferences(expr)));
    return found;
  }

  findingsOf(expr: string): ExpressionFinding[] {
    let found = this.findings.get(expr);
    if (!found) this.findings.set(expr, (found = expressionFindings(expr)));
    return found;
  }

  typeOf(environment: Environment, expr: string): TypeCheckOutcome {
    let byText = this.types.get(environment);
    if (!byText) this.types.set(environment, (byText = new Map<string, TypeCheckOutcome>()));
    let outcome = byText.get(expr);
    if (!outcome) byText.set(expr, (outcome = checkExpressionType(environment, expr)));
    return outcome;
  }
}
