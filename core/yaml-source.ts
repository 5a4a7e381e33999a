import { isMap, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import type { SourceLocation } from './errors';

/** A YAML or JSON document parsed with the position of every node, so errors can point at `file:line:col`. */
export interface ParsedSource {
  file: string;
  value: unknown;
  syntaxErrors: Array<{ message: string; line: number; column: number }>;
  /** Position of the node at `path`; with `atKey`, of the key naming it (for unknown-key errors). */
  locate(path: ReadonlyArray<PropertyKey>, options?: { atKey?: boolean }): SourceLocation;
}

export function parseSource(text: string, file: string): ParsedSource {
  const lineCounter = new LineCounter();
  // JSON is a subset of YAML 1.2, so one parser gives positions for both formats.
  const document: Document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const syntaxErrors = document.errors.map((error) => {
    const position = lineCounter.linePos(error.pos[0]);
    return {
      message: error.message.split('\n')[0] ?? error.message,
      line: position.line,
      column: position.col,
    };
  });
  const value: unknown = syntaxErrors.length === 0 ? document.toJS({ maxAliasCount: 100 }) : undefined;

  function locate(path: ReadonlyArray<PropertyKey>, options: { atKey?: boolean } = {}): SourceLocation {
    let node: unknown = document.contents;
    let best: Node | null = document.contents ?? null;
    for (const [index, key] of path.entries()) {
      if (isMap(node)) {
        const pair = node.items.find(
          (item) => String((item.key as { value?: unknown } | null)?.value ?? item.key) === String(key),
        );
        if (!pair) break;
        const wantKey = options.atKey === true && index === path.length - 1;
        // Point at the value when there is one, else at the key that is missing it.
        node = pair.value ?? pair.key;
        best = (wantKey ? pair.key : (pair.value ?? pair.key)) as Node;
      } else if (isSeq(node) && typeof key === 'number') {
        node = node.items[key];
        if (!node) break;
        best = node as Node;
      } else {
        break;
      }
    }
    const offset = best?.range?.[0];
    if (offset === undefined) return { file, line: 1, column: 1 };
    const position = lineCounter.linePos(offset);
    return { file, line: position.line, column: position.col };
  }

  return { file, value, syntaxErrors, locate };
}
