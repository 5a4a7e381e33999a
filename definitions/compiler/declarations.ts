import { STEP_MARKERS, STEP_SCHEMAS, type StepMarker } from '../model';
import { registerAliases } from './shape';
import { DEFINITION_CODES as CODES } from '../problems';
import type { Compilation } from './context';
import { childLists, isRecord, type Path } from './raw';

/**
 * The pre-scan, before anything is compiled: every step id (in document order, nested ones included), every
 * variable a `set` step assigns and every failure type a `fail` step raises. References are checked
 * against these, so a reference to a later step is told apart from one to no step at all.
 */
export function declareSteps(
  c: Compilation,
  steps: unknown,
  path: Path,
  enclosure: string | undefined,
): void {
  if (!Array.isArray(steps)) return;
  steps.forEach((step, index) => {
    if (!isRecord(step)) return;
    const stepPath = [...path, index];
    const marker = STEP_MARKERS.find((candidate) => candidate in step);
    // A misspelt key (`than:`) is read as the key it stands for, so the steps under it are declared.
    const aliases = marker
      ? registerAliases(c.reporter, step, STEP_SCHEMAS[marker].shape, stepPath)
      : new Map<string, string>();
    const read = (key: string): unknown => step[key] ?? step[aliases.get(key) ?? ''];
    const id = read('id');
    if (typeof id === 'string') declareStep(c, id, stepPath, marker, enclosure);
    if (marker === 'set' && isRecord(step['set']))
      for (const name of Object.keys(step['set'])) c.varNames.add(name);
    if (marker === 'fail' && typeof step['errorType'] === 'string') c.failTypes.add(step['errorType']);
    const inner = marker === 'forEach' || marker === 'parallel' ? `${marker} ${String(id)}` : enclosure;
    for (const child of childLists(step, marker, read))
      declareSteps(c, child.list, [...stepPath, ...child.path], inner);
  });
}

function declareStep(
  c: Compilation,
  id: string,
  path: Path,
  marker: StepMarker | undefined,
  enclosure: string | undefined,
): void {
  const previous = c.declared.get(id);
  if (previous) {
    const first = c.reporter.at(previous.path);
    c.reporter.report(
      CODES.duplicateStepId,
      `step id "${id}" is already used${first ? ` at line ${first.line}` : ''}`,
      [...path, 'id'],
      'Give every step a unique id (ids are unique across nested steps too).',
    );
    return;
  }
  c.declared.set(id, {
    path,
    order: c.declared.size,
    ...(marker ? { marker } : {}),
    ...(enclosure ? { enclosure } : {}),
  });
}
