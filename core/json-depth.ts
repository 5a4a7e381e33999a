/**
 * How deeply a parsed JSON value nests (a scalar is 0, `[]` and `{}` are 1), measured without recursion so
 * a hostile document cannot overflow the stack here; stops counting once past `limit`.
 */
export function jsonDepth(value: unknown, limit = Number.POSITIVE_INFINITY): number {
  let deepest = 0;
  const pending: Array<{ value: unknown; depth: number }> = [{ value, depth: 0 }];
  while (pending.length > 0) {
    const { value: current, depth } = pending.pop()!;
    if (current === null || typeof current !== 'object') continue;
    const here = depth + 1;
    if (here > deepest) deepest = here;
    if (deepest > limit) return deepest;
    for (const child of Array.isArray(current) ? current : Object.values(current)) {
      if (child !== null && typeof child === 'object') pending.push({ value: child, depth: here });
    }
  }
  return deepest;
}

/** Deepest nesting gongflow accepts in run inputs, signal payloads and other JSON it is sent. */
export const MAX_JSON_DEPTH = 64;
