import { EXPRESSION_LIMITS } from './expression-limits';

/**
 * The shape limits of a parsed expression (nesting depth, node count). cel-js bounds nesting of
 * parentheses, lists and calls while parsing, but not chains of operators: `1 + 1 + ... + 1` with 20,000
 * terms parses into a tree 20,000 levels deep that overflows the stack of everything recursing over it.
 * Measured without recursion, so the check itself cannot overflow.
 */

export interface StructureProblem {
  message: string;
}

interface Node {
  op: string;
  args: unknown;
}

function isNode(value: unknown): value is Node {
  return typeof value === 'object' && value !== null && 'op' in value && 'args' in value;
}

/** The syntax nodes directly below `node` (operands, call arguments, list items, map keys and values). */
export function childNodes(node: Node): Node[] {
  const children: Node[] = [];
  const pending: unknown[] = [node.args];
  while (pending.length > 0) {
    const item = pending.pop();
    if (isNode(item)) children.push(item);
    else if (Array.isArray(item))
      for (let index = item.length - 1; index >= 0; index -= 1) pending.push(item[index]);
  }
  return children;
}

export function structureProblem(root: unknown): StructureProblem | undefined {
  if (!isNode(root)) return undefined;
  let nodes = 0;
  const pending: Array<{ node: Node; depth: number }> = [{ node: root, depth: 1 }];
  while (pending.length > 0) {
    const next = pending.pop();
    if (next === undefined) break;
    const { node, depth } = next;
    nodes += 1;
    if (depth > EXPRESSION_LIMITS.maxDepth) {
      return {
        message: `expression nests more than ${EXPRESSION_LIMITS.maxDepth} levels deep (each chained operator is a level)`,
      };
    }
    if (nodes > EXPRESSION_LIMITS.maxNodes) {
      return {
        message: `expression has more than ${EXPRESSION_LIMITS.maxNodes.toLocaleString('en-US')} parts (names, literals, operators, calls)`,
      };
    }
    for (const child of childNodes(node)) pending.push({ node: child, depth: depth + 1 });
  }
  return undefined;
}
