import { isMap, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import type { SourceLocation } from './errors';
import { parseEventStream } from './yaml-events';

/** A YAML or JSON document parsed with the position of every node, so errors can point at `file:line:col`. */
export interface ParsedSource {
  file: string;
  value: unknown;
  syntaxErrors: Array<{ message: string; line: number; column: number }>;
  /** Position of the node at `path`; with `atKey`, of the key naming it (for unknown-key errors). */
  locate(path: ReadonlyArray<PropertyKey>, options?: { atKey?: boolean }): SourceLocation;
}

/**
 * Common YAML (and JSON) is read from js-yaml's events, 7-9 times faster than building `yaml`'s document
 * model (BENCHMARKS.md, "Validation"); everything else (syntax errors, anchors, tags, several documents...)
 * takes the document model, whose messages and positions gongflow reports. Both give the same values and
 * positions.
 */
export function parseSource(text: string, file: string): ParsedSource {
  return parseCommonSource(text, file) ?? parseDocumentSource(text, file);
}

function parseCommonSource(text: string, file: string): ParsedSource | undefined {
  const parsed = parseEventStream(text);
  if (!parsed) return undefined;
  let lines: LineCounter | undefined;
  return {
    file,
    value: parsed.value,
    syntaxErrors: [],
    locate(path, options = {}) {
      // Positions are asked for only where a problem is reported or a plan step is placed: count lines then.
      lines ??= countLines(text);
      const position = lines.linePos(parsed.offsetOf(path, options.atKey === true));
      return { file, line: position.line, column: position.col };
    },
  };
}

function countLines(text: string): LineCounter {
  const lines = new LineCounter();
  lines.addNewLine(0);
  for (let index = text.indexOf('\n'); index !== -1; index = text.indexOf('\n', index + 1))
    lines.addNewLine(index + 1);
  return lines;
}

/** The full parse, through `yaml`'s document model. */
export function parseDocumentSource(text: string, file: string): ParsedSource {
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
