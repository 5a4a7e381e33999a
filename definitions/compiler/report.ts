import type { ProblemDetail } from '../../core/errors';
import type { ParsedSource } from '../../core/yaml-source';
import type { ExpressionPlan, SourceRef } from '../plan';
import { dotted, valueAt, type Path } from './raw';

/**
 * Problems of one definition, each with a stable code, where it is (`file:line:col` and a path) and how to
 * fix it. Every check reports through here, so every problem has the same shape.
 */
export class Reporter {
  readonly problems: ProblemDetail[] = [];
  /** Reported but not errors (severity `warning`): the definition still compiles. */
  readonly warnings: ProblemDetail[] = [];
  private readonly lines: string[];
  /** Keys checked under the name they stand for (`than:` as `then:`): logical path -> the key written. */
  private readonly aliases = new Map<string, string>();

  constructor(
    readonly source: ParsedSource,
    text: string,
  ) {
    this.lines = text.split(/\r?\n/);
  }

  /** From now on, `path` (a key as gongflow names it) is read and reported where `written` is. */
  alias(path: Path, written: string): void {
    this.aliases.set(dotted(path), written);
  }

  /** A logical path as written in the document (aliases resolved). */
  written(path: Path): Path {
    if (this.aliases.size === 0) return path;
    const actual: Path = [];
    for (const [index, key] of path.entries()) {
      const alias = typeof key === 'string' ? this.aliases.get(dotted(path.slice(0, index + 1))) : undefined;
      actual.push(alias ?? key);
    }
    return actual;
  }

  get count(): number {
    return this.problems.length;
  }

  /** A problem at a node of the document; with `atKey`, at the key naming it (unknown keys). */
  report(code: string, message: string, path: Path, hint: string, atKey = false): void {
    const actual = this.written(path);
    this.problems.push({
      code,
      message,
      path: dotted(actual),
      hint,
      file: this.source.file,
      ...this.source.locate(actual, { atKey }),
    });
  }

  /** A warning at a node of the document (at its key with `atKey`): reported, but not an error. */
  warn(code: string, message: string, path: Path, hint: string, atKey = false): void {
    const actual = this.written(path);
    this.warnings.push({
      code,
      severity: 'warning',
      message,
      path: dotted(actual),
      hint,
      file: this.source.file,
      ...this.source.locate(actual, { atKey }),
    });
  }

  /** A problem inside an expression: points at the offending part of the expression when it can. */
  reportAt(
    code: string,
    message: string,
    path: Path,
    expression: ExpressionPlan,
    hint: string,
    offset?: number,
  ): void {
    const actual = this.written(path);
    const where = expression.at ?? this.at(actual);
    const column = where ? this.expressionColumn(where, expression.expr, offset ?? 0) : undefined;
    this.problems.push({
      code,
      message,
      path: dotted(actual),
      hint,
      file: this.source.file,
      ...(where ? { line: where.line, column: column ?? where.column } : this.source.locate(actual)),
    });
  }

  /** Where the node at `path` starts, when the document has it. */
  at(path: Path): SourceRef | undefined {
    const location = this.source.locate(this.written(path));
    return location.line !== undefined && location.column !== undefined
      ? { line: location.line, column: location.column }
      : undefined;
  }

  rawAt(path: Path): unknown {
    return valueAt(this.source.value, this.written(path));
  }

  /** Column of `offset` inside an expression written on one line at `where`. */
  private expressionColumn(where: SourceRef, expr: string, offset: number): number | undefined {
    const line = this.lines[where.line - 1];
    if (line === undefined) return undefined;
    const index = line.indexOf(expr, where.column - 1);
    return index === -1 ? undefined : index + 1 + offset;
  }
}
