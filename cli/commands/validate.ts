import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { GongflowError, readFailureReason, type ProblemDetail } from '../../core/errors';
import { compileDefinition } from '../../definitions/compile';
import { isDefinitionFile } from '../../definitions/files';
import { planRef } from '../../definitions/plan';
import { closest } from '../../definitions/problems';
import { GONG_SCOPES } from '../../gong/catalog/scopes';
import type { CliOutput } from '../output';

/** One problem as `--json` prints it: every key always present, so scripts need no guards. */
export interface ValidationProblemJson {
  /** `warning`s do not make a definition invalid (e.g. an action input the catalog does not know). */
  severity: 'error' | 'warning';
  code: string;
  message: string;
  file: string;
  line: number | null;
  column: number | null;
  path: string | null;
  hint: string | null;
}

/**
 * `gongflow validate <files...>`: validates definitions without running anything. Exit code 0 when every
 * file is valid (warnings are printed but do not count), 1 otherwise. Directories are searched for
 * .yaml/.yml/.json files.
 */
export function registerValidateCommand(program: Command, output: CliOutput): void {
  program
    .command('validate')
    .description('Validate definition files: every problem with file:line:col, the offending line and a fix.')
    .argument('<files...>', 'definition files (YAML or JSON) or directories holding them')
    .option('--json', 'print an array of {severity, code, message, file, line, column, path, hint}')
    .option(
      '--scopes <scopes>',
      'comma-separated Gong scopes of the target connection: actions needing others are reported',
    )
    .action((files: string[], options: { json?: boolean; scopes?: string }) => {
      const connectionScopes = options.scopes
        ?.split(/[\s,]+/)
        .map((scope) => scope.trim())
        .filter(Boolean);
      if (connectionScopes) checkScopeNames(connectionScopes);
      const results = expandFiles(files).map((file) => validateFile(file, connectionScopes));
      const problems = results.flatMap((result) => result.problems);
      if (options.json) {
        output.json(results.flatMap((result) => [...result.problems, ...result.warnings]).map(toJson));
      } else {
        for (const result of results) {
          if (result.problems.length === 0)
            output.info(`✓ ${result.file}${result.summary ? ` (${result.summary})` : ''}`);
          else for (const problem of result.problems) output.error(renderProblem(problem, result.text));
          for (const warning of result.warnings) output.error(renderProblem(warning, result.text));
        }
        const invalid = results.filter((result) => result.problems.length > 0).length;
        const warnings = results.reduce((sum, result) => sum + result.warnings.length, 0);
        const warned = warnings > 0 ? `, ${warnings} warning(s)` : '';
        output.info(
          invalid === 0
            ? `${results.length} definition(s) valid${warned}.`
            : `${invalid} of ${results.length} definition(s) invalid, ${problems.length} problem(s)${warned}.`,
        );
      }
      process.exitCode = problems.length === 0 ? 0 : 1;
    });
}

/** A misspelt scope would report every action needing the real one as missing: refuse it instead. */
function checkScopeNames(scopes: readonly string[]): void {
  const known = GONG_SCOPES.map((entry) => entry.scope);
  const unknown = scopes.filter((scope) => !known.includes(scope));
  if (unknown.length === 0) return;
  const suggestions = unknown
    .map((scope) => [scope, closest(scope, known)] as const)
    .filter((pair): pair is readonly [string, string] => pair[1] !== undefined);
  throw new GongflowError(
    'CLI_UNKNOWN_SCOPE',
    `--scopes names ${unknown.length === 1 ? 'a scope' : 'scopes'} Gong does not have: ${unknown.join(', ')}.`,
    {
      hint:
        suggestions.length > 0
          ? `Did you mean ${suggestions.map(([, suggestion]) => suggestion).join(', ')}? The scopes Gong has are listed in gong/catalog/scopes.ts.`
          : `The scopes Gong has are listed in gong/catalog/scopes.ts, e.g. ${known.slice(0, 3).join(', ')}.`,
    },
  );
}

interface FileResult {
  file: string;
  text: string | undefined;
  problems: ProblemDetail[];
  warnings: ProblemDetail[];
  summary?: string;
}

function expandFiles(files: string[]): string[] {
  return files.flatMap((file) => {
    try {
      if (statSync(file).isDirectory())
        return readdirSync(file)
          .filter(isDefinitionFile)
          .sort()
          .map((name) => path.join(file, name));
    } catch {
      // Reported by validateFile.
    }
    return [file];
  });
}

export function validateFile(file: string, connectionScopes?: readonly string[]): FileResult {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    return {
      file,
      text: undefined,
      warnings: [],
      problems: [
        {
          code: 'DEF_FILE_NOT_FOUND',
          message: `cannot read ${file}: ${readFailureReason(error)}`,
          file,
          hint: 'Check the path.',
        },
      ],
    };
  }
  const result = compileDefinition(text, file, {
    location: path.resolve(file),
    ...(connectionScopes ? { connectionScopes } : {}),
  });
  return result.ok
    ? {
        file,
        text,
        problems: [],
        warnings: result.warnings,
        summary: `${planRef(result.plan)}, ${result.plan.hash.slice(0, 12)}`,
      }
    : { file, text, problems: result.problems, warnings: result.warnings };
}

function toJson(problem: ProblemDetail): ValidationProblemJson {
  return {
    severity: problem.severity ?? 'error',
    code: problem.code,
    message: problem.message,
    file: problem.file ?? '',
    line: problem.line ?? null,
    column: problem.column ?? null,
    path: problem.path || null,
    hint: problem.hint ?? null,
  };
}

/** `file:line:col: CODE: message`, the source line with a caret under the column, the path and the fix. */
export function renderProblem(problem: ProblemDetail, text: string | undefined): string {
  const where = [problem.file, problem.line, problem.column].filter((part) => part !== undefined).join(':');
  const lines = [
    `${where}: ${problem.severity === 'warning' ? 'warning ' : ''}${problem.code}: ${problem.message}`,
  ];
  const source = problem.line !== undefined ? text?.split(/\r?\n/)[problem.line - 1] : undefined;
  if (source !== undefined && problem.line !== undefined) {
    const gutter = `${problem.line} | `;
    lines.push(`  ${gutter}${source}`);
    lines.push(`  ${' '.repeat(gutter.length)}${' '.repeat(Math.max(0, (problem.column ?? 1) - 1))}^`);
  }
  if (problem.path) lines.push(`  at ${problem.path}`);
  if (problem.hint) lines.push(`  fix: ${problem.hint}`);
  return lines.join('\n');
}
