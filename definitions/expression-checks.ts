import { serialize, type ASTNode } from '@marcbachmann/cel-js';
import { childNodes } from './expression-structure';
import { evaluateExpression, expressionAst, isMatchesCall } from './expressions';
import { regexProblem } from './regex';

/**
 * Validation of what an expression will do, beyond its types: parts that fail every time they run. A part
 * built only from literals (`1/0`, `[1,2,3][5]`, `9223372036854775807 + 1`, `int("x")`) has one outcome,
 * so it is evaluated now, with the evaluator runs use; a literal regex RE2 refuses is reported with why.
 * Only parts whose failure reaches the result count: under `&&`, `||`, a ternary branch or a comprehension
 * body an error may be absorbed or never evaluated (`input.n == 0 || 1/input.n > 2` is fine).
 */

export interface ExpressionFinding {
  kind: 'fails' | 'regex';
  message: string;
  hint: string;
  /** Offset in the expression of the failing part. */
  offset: number;
}

interface Node {
  op: string;
  args: unknown;
  start?: number;
}

/** Comprehension macros: their receiver is evaluated, their body once per element (maybe never). */
const COMPREHENSIONS = new Set(['all', 'exists', 'exists_one', 'map', 'filter']);

export function expressionFindings(source: string): ExpressionFinding[] {
  const root = expressionAst(source) as Node;
  const findings: ExpressionFinding[] = [];
  const badRegexes = new Set<Node>();
  const constant = new Map<Node, boolean>();
  markConstants(root, constant);
  visitRegexes(root);
  visitConstants(root, false);
  return findings.sort((a, b) => a.offset - b.offset);

  function visitRegexes(node: Node): void {
    if (node.op === 'rcall' && Array.isArray(node.args) && isMatchesCall(node.args[0])) {
      const pattern = (node.args[2] as Node[] | undefined)?.[0];
      if (pattern?.op === 'value' && typeof pattern.args === 'string') {
        const problem = regexProblem(pattern.args);
        if (problem) {
          badRegexes.add(node);
          findings.push({
            kind: 'regex',
            message: `regex \`${pattern.args}\` cannot run: ${problem.message}`,
            hint: problem.hint,
            offset: pattern.start ?? 0,
          });
        }
      }
    }
    for (const child of childNodes(node)) visitRegexes(child);
  }

  function visitConstants(node: Node, mayNotFail: boolean): void {
    if (constant.get(node) === true) {
      if (!mayNotFail && node.op !== 'value' && !containsBadRegex(node)) evaluateConstant(node);
      return;
    }
    const children = childNodes(node);
    children.forEach((child, index) => visitConstants(child, mayNotFail || guards(node, index)));
  }

  function evaluateConstant(node: Node): void {
    try {
      evaluateExpression(serialize(node as unknown as ASTNode), {});
    } catch (error) {
      const message = (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';
      findings.push({
        kind: 'fails',
        message: `this part always fails: ${message}`,
        hint: 'It is made of constants only, so it fails every time it runs: fix the values or remove it.',
        offset: node.start ?? 0,
      });
    }
  }

  function containsBadRegex(node: Node): boolean {
    if (badRegexes.has(node)) return true;
    return childNodes(node).some(containsBadRegex);
  }
}

/** Post-order: a node is constant when it reads no name (so no input, step, variable or loop item). */
function markConstants(node: Node, constant: Map<Node, boolean>): boolean {
  let result = node.op !== 'id';
  for (const child of childNodes(node)) result = markConstants(child, constant) && result;
  constant.set(node, result);
  return result;
}

/** True when the child at `index` of `node` may fail without failing `node`, or may never be evaluated. */
function guards(node: Node, index: number): boolean {
  if (node.op === '&&' || node.op === '||') return true;
  if (node.op === '?:') return index > 0;
  if (node.op === 'rcall' && Array.isArray(node.args) && COMPREHENSIONS.has(String(node.args[0]))) {
    return index > 0; // child 0 is the receiver (the list), the rest are the variable and the body
  }
  return false;
}
