import type { $ZodIssue } from 'zod/v4/core';
import type { ProblemDetail } from '../../core/errors';
import type { ParsedSource } from '../../core/yaml-source';
import { DefinitionSchema, STEP_MARKERS, STEP_SCHEMAS } from '../model';
import type { ExpressionPlan, SourceRef } from '../plan';
import { closest, DEFINITION_CODES as CODES } from '../problems';
import { dotted, isRecord, valueAt, type Path } from './raw';

/**
 * Problems of one definition, each with a stable code, where it is (`file:line:col` and a path) and how to
 * fix it. Every check reports through here, so every problem has the same shape.
 */
export class Reporter {
  readonly problems: ProblemDetail[] = [];
  private readonly lines: string[];

  constructor(
    readonly source: ParsedSource,
    text: string,
  ) {
    this.lines = text.split(/\r?\n/);
  }

  get count(): number {
    return this.problems.length;
  }

  /** A problem at a node of the document; with `atKey`, at the key naming it (unknown keys). */
  report(code: string, message: string, path: Path, hint: string, atKey = false): void {
    this.problems.push({
      code,
      message,
      path: dotted(path),
      hint,
      file: this.source.file,
      ...this.source.locate(path, { atKey }),
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
    const where = expression.at ?? this.at(path);
    const column = where ? this.expressionColumn(where, expression.expr, offset ?? 0) : undefined;
    this.problems.push({
      code,
      message,
      path: dotted(path),
      hint,
      file: this.source.file,
      ...(where ? { line: where.line, column: column ?? where.column } : this.source.locate(path)),
    });
  }

  /** Schema issues (zod) as problems: unknown keys with a did-you-mean, missing keys, invalid values. */
  reportZodIssues(issues: $ZodIssue[], base: Path): void {
    for (const issue of issues) {
      const path = [...base, ...issue.path.map((key) => (typeof key === 'symbol' ? String(key) : key))];
      if (issue.code === 'unrecognized_keys') {
        for (const key of issue.keys) {
          const known = this.knownKeys(path);
          const suggestion = known ? closest(key, known) : undefined;
          this.report(
            CODES.unknownKey,
            `unknown key "${key}"`,
            [...path, key],
            suggestion
              ? `Did you mean "${suggestion}"?`
              : 'Remove it, or check its spelling against the schema (definitions/schema/definition.schema.json).',
            true,
          );
        }
      } else if (path.length > 0 && issue.input === undefined && this.rawAt(path) === undefined) {
        this.report(
          CODES.missingKey,
          `missing "${String(path.at(-1))}"`,
          path.slice(0, -1),
          `Add "${String(path.at(-1))}".`,
        );
      } else if (issue.code === 'invalid_union' && path.at(-2) === 'triggers') {
        this.report(
          CODES.invalidValue,
          `unknown trigger kind`,
          path,
          'kind is one of: api, schedule, gong.call.processed, gong.call.new, gong.user.new, gong.scorecard.answered.',
        );
      } else {
        this.report(
          CODES.invalidValue,
          `${dotted(path) || 'definition'}: ${issue.message}`,
          path,
          'See the definition schema (definitions/schema/definition.schema.json).',
        );
      }
    }
  }

  private knownKeys(path: Path): string[] | undefined {
    if (path.length === 0) return Object.keys(DefinitionSchema.shape);
    const raw = this.rawAt(path);
    if (!isRecord(raw)) return undefined;
    const marker = STEP_MARKERS.find((candidate) => candidate in raw);
    return marker ? Object.keys(STEP_SCHEMAS[marker].shape) : undefined;
  }

  /** Where the node at `path` starts, when the document has it. */
  at(path: Path): SourceRef | undefined {
    const location = this.source.locate(path);
    return location.line !== undefined && location.column !== undefined
      ? { line: location.line, column: location.column }
      : undefined;
  }

  rawAt(path: Path): unknown {
    return valueAt(this.source.value, path);
  }

  /** Column of `offset` inside an expression written on one line at `where`. */
  private expressionColumn(where: SourceRef, expr: string, offset: number): number | undefined {
    const line = this.lines[where.line - 1];
    if (line === undefined) return undefined;
    const index = line.indexOf(expr, where.column - 1);
    return index === -1 ? undefined : index + 1 + offset;
  }
}
