import { parseSource, type ParsedSource } from '../../core/yaml-source';
import { DEFINITION_CODES as CODES } from '../problems';
import { Compilation } from './context';
import { compileDefinitionSource } from './definition';
import type { CompileOptions, CompileResult } from './options';
import { Reporter } from './report';

export { GONG_BUDGET_WAIT_ALLOWANCE_MS } from './actions';
export type { CompileOptions, CompileResult } from './options';
export { resolveRunPath } from './sub-flows';

/** Parses, validates and compiles a definition's text. All problems are reported at once; never throws. */
export function compileDefinition(text: string, file: string, options: CompileOptions = {}): CompileResult {
  let source: ParsedSource;
  try {
    source = parseSource(text, file);
  } catch (error) {
    // The YAML library throws for some documents that parse (an alias used before its anchor, alias bombs).
    return {
      ok: false,
      problems: [
        {
          code: CODES.syntax,
          message: error instanceof Error ? (error.message.split('\n')[0] ?? error.message) : String(error),
          file,
          line: 1,
          column: 1,
          hint: 'Fix the YAML: define an anchor (&name) before its alias (*name), and avoid deeply nested aliases.',
        },
      ],
      warnings: [],
    };
  }
  if (source.syntaxErrors.length > 0) {
    // One mistake repeated (tabs on every line of a block) is one problem, naming the other lines.
    const byMessage = new Map<string, Array<{ line: number; column: number }>>();
    for (const error of source.syntaxErrors)
      byMessage.set(error.message, [...(byMessage.get(error.message) ?? []), error]);
    return {
      ok: false,
      problems: [...byMessage].map(([message, [first, ...others]]) => ({
        code: CODES.syntax,
        message:
          others.length > 0
            ? `${message} (also on line ${others.map((other) => other.line).join(', ')})`
            : message,
        file,
        line: first?.line ?? 1,
        column: first?.column ?? 1,
        hint: /tab/i.test(message)
          ? 'Indent with spaces: YAML does not allow tabs for indentation.'
          : 'Fix the YAML/JSON syntax at this position.',
      })),
      warnings: [],
    };
  }
  try {
    return compileDefinitionSource(new Compilation(new Reporter(source, text), options, compileDefinition));
  } catch (error) {
    // A validator bug must still answer with a problem, never crash the caller.
    return {
      ok: false,
      problems: [
        {
          code: CODES.internal,
          message: `the validator failed: ${error instanceof Error ? error.message : String(error)}`,
          file,
          line: 1,
          column: 1,
          hint: 'This is a gongflow bug: please report it with the definition.',
        },
      ],
      warnings: [],
    };
  }
}
