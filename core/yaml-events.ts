import {
  boolCoreTag,
  constructFromEvents,
  CORE_SCHEMA,
  EVENT_ID,
  floatCoreTag,
  getScalarValue,
  intCoreTag,
  NOT_RESOLVED,
  nullCoreTag,
  parseEvents,
  SCALAR_STYLE,
  type Event,
  type ScalarEvent,
} from 'js-yaml';

/** Common YAML's values and the offset of every node (see parseEventStream). */
export interface EventParse {
  value: unknown;
  /** Offset of the node at `path` (of the key naming it with `atKey`), or of the deepest node found on it. */
  offsetOf(path: ReadonlyArray<PropertyKey>, atKey: boolean): number;
}

/** A node's offset, its key's offset when it is a mapping's value, and where its children are. */
interface Placed {
  at: number;
  keyAt?: number;
  entries?: Map<string, Placed>;
  items?: Placed[];
}

/** An open collection: a mapping (with the key read before its value) or a sequence. */
type Frame = { entries: Map<string, Placed>; key?: { name: string; at: number } } | { items: Placed[] };

/**
 * A block scalar's header line (`key: |`, `- >- # comment`): the indicator after a space or at the line's
 * start, its chomping and indentation, maybe a comment. Tried on one line, so it stays linear.
 */
const BLOCK_HEADER = /(?<![^ \t])[|>][-+0-9]*(?:[ \t]+#.*|[ \t]*)\r?\n$/;
const BLANK_LINE = /^[ \t]*\r?\n$/;
const ESCAPED_LINE_BREAK = /\\\r?\n/;
const NON_STRING_TAGS = [nullCoreTag, boolCoreTag, intCoreTag, floatCoreTag];

/**
 * The common YAML of definitions, parsed from js-yaml's event stream, with the offset of every node: the
 * values and positions `yaml`'s document model gives (core/yaml-source.test.ts holds them equal), 7-9 times
 * faster because no document model is built (BENCHMARKS.md, "Validation"). Undefined for anything it does
 * not place exactly like the document model (syntax errors, several documents, directives, anchors, aliases,
 * tags, empty nodes, keys that are collections or not strings, two readings the libraries disagree on),
 * which then takes the full parse.
 */
export function parseEventStream(text: string): EventParse | undefined {
  // Placed before the values are built: a document that takes the full parse is not built twice.
  const events = attempt(() => parseEvents(text, {}));
  const root = events && place(text, events);
  if (!events || !root) return undefined;
  const documents = attempt(() =>
    constructFromEvents(events, { source: text, schema: CORE_SCHEMA, maxAliases: 0 }),
  );
  if (documents?.length !== 1) return undefined;
  const value = documents[0];
  return {
    value,
    offsetOf(path, atKey) {
      let node = root;
      let best = root.at;
      for (const [index, key] of path.entries()) {
        const next = node.entries
          ? node.entries.get(String(key))
          : typeof key === 'number'
            ? node.items?.[key]
            : undefined;
        if (!next) break;
        node = next;
        best = atKey && index === path.length - 1 && next.keyAt !== undefined ? next.keyAt : next.at;
      }
      return best;
    },
  };
}

/** What `read` gives, or undefined where it throws: the full parse reports it, with gongflow's messages. */
function attempt<T>(read: () => T): T | undefined {
  try {
    return read();
  } catch {
    return undefined;
  }
}

/** The document's nodes with their offsets, or undefined when one of them is outside the common YAML. */
function place(text: string, events: Event[]): Placed | undefined {
  const stack: Frame[] = [];
  let root: Placed | undefined;
  const attach = (placed: Placed): boolean => {
    const top = stack.at(-1);
    if (!top) {
      root = placed;
      return true;
    }
    if ('items' in top) {
      top.items.push(placed);
      return true;
    }
    if (!top.key) return false; // a collection as a key
    placed.keyAt = top.key.at;
    top.entries.set(top.key.name, placed);
    top.key = undefined;
    return true;
  };
  for (const event of events) {
    switch (event.type) {
      case EVENT_ID.DOCUMENT:
        if (event.directives.length > 0) return undefined; // %YAML 1.1 changes the schema
        break;
      case EVENT_ID.MAPPING:
      case EVENT_ID.SEQUENCE: {
        if (event.anchorStart !== -1 || event.tagStart !== -1) return undefined;
        const placed: Placed = { at: event.start };
        if (!attach(placed)) return undefined;
        if (event.type === EVENT_ID.MAPPING) {
          placed.entries = new Map();
          stack.push({ entries: placed.entries });
        } else {
          placed.items = [];
          stack.push({ items: placed.items });
        }
        break;
      }
      case EVENT_ID.SCALAR: {
        if (event.anchorStart !== -1 || event.tagStart !== -1 || event.valueStart === -1) return undefined;
        const at = scalarStart(text, event);
        if (at === undefined) return undefined;
        const top = stack.at(-1);
        if (top && 'entries' in top && !top.key) {
          const name = keyName(text, event);
          if (name === undefined) return undefined;
          top.key = { name, at };
        } else if (!attach({ at })) return undefined;
        break;
      }
      case EVENT_ID.ALIAS:
        return undefined;
      case EVENT_ID.POP:
        stack.pop();
        break;
    }
  }
  return root;
}

/** Where the document model starts a scalar: at its opening quote, at a block scalar's header. */
function scalarStart(text: string, event: ScalarEvent): number | undefined {
  switch (event.style) {
    case SCALAR_STYLE.DOUBLE_QUOTED:
      // An escaped line break (`\` at a line's end): followed by a blank line, the two libraries read it
      // differently ("a b" and "ab"), so the document model, as before, reads them all.
      if (!event.fast && ESCAPED_LINE_BREAK.test(text.slice(event.valueStart, event.valueEnd)))
        return undefined;
      return event.valueStart - 1;
    case SCALAR_STYLE.SINGLE_QUOTED:
      return event.valueStart - 1;
    case SCALAR_STYLE.LITERAL_BLOCK:
    case SCALAR_STYLE.FOLDED_BLOCK:
      return blockHeaderStart(text, event.valueStart);
    default:
      return event.valueStart;
  }
}

/** The offset of the indicator of the block scalar whose content starts at `contentStart` (a line's start). */
function blockHeaderStart(text: string, contentStart: number): number | undefined {
  let end = contentStart;
  for (;;) {
    const start = text.lastIndexOf('\n', end - 2) + 1;
    const line = text.slice(start, end);
    // Blank lines may come before the content.
    if (BLANK_LINE.test(line) && start > 0) {
      end = start;
      continue;
    }
    const header = BLOCK_HEADER.exec(line);
    // An explicit indentation (`|2`) over a line of spaces: the two libraries read it differently (" \n" and
    // ""), so the document model, as before, reads them all.
    if (!header || /^[|>][-+]?[1-9]/.test(header[0])) return undefined;
    return start + header.index;
  }
}

/** A key's property name; undefined for a plain key the schema reads as null, a boolean or a number. */
function keyName(text: string, event: ScalarEvent): string | undefined {
  const name = getScalarValue(text, event);
  if (
    event.style === SCALAR_STYLE.PLAIN &&
    NON_STRING_TAGS.some((tag) => tag.resolve(name, false, tag.tagName) !== NOT_RESOLVED)
  )
    return undefined;
  return name;
}
