import { readFileSync } from 'node:fs';
import path from 'node:path';
import { GongflowError, readFailureReason } from '../core/errors';
import { compileDefinition } from './compile';
import type { Plan } from './plan';

/** Reads and compiles a definition file; throws one GongflowError listing every problem. */
export function loadPlan(file: string): Plan {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new GongflowError(
      'DEF_FILE_NOT_FOUND',
      `Cannot read definition ${file}: ${readFailureReason(error)}`,
      {
        hint: 'Check the path; examples live in definitions/examples/.',
      },
    );
  }
  const result = compileDefinition(text, path.relative(process.cwd(), file) || file, { location: file });
  if (!result.ok) {
    throw new GongflowError('DEF_INVALID', `${file} has ${result.problems.length} problem(s).`, {
      problems: result.problems,
    });
  }
  return result.plan;
}
