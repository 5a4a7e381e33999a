import type { StepMarker } from '../model';

/** A path into the source document: keys and list indexes. */
export type Path = Array<string | number>;

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function safeRecord<T>(value: unknown): Record<string, T> {
  return isRecord(value) ? (value as Record<string, T>) : {};
}

/** `steps[0].with.id`: how problems name a place. */
export function dotted(path: Path): string {
  return path
    .map((key, index) => (typeof key === 'number' ? `[${key}]` : index === 0 ? key : `.${key}`))
    .join('');
}

/** The value at `path` in a raw document, or undefined. */
export function valueAt(root: unknown, path: Path): unknown {
  let node: unknown = root;
  for (const key of path) {
    if (Array.isArray(node) && typeof key === 'number') node = node[key];
    else if (isRecord(node) && typeof key === 'string') node = node[key];
    else return undefined;
  }
  return node;
}

/** The nested step lists of a raw step, by marker. */
export function childLists(
  step: Record<string, unknown>,
  marker: StepMarker | undefined,
  read: (key: string) => unknown = (key) => step[key],
): Array<{ path: Path; list: unknown }> {
  switch (marker) {
    case 'if':
      return [
        { path: ['then'], list: read('then') },
        { path: ['else'], list: read('else') },
      ];
    case 'switch': {
      const cases = read('switch');
      return [
        ...(Array.isArray(cases) ? (cases as unknown[]) : []).map((branch, index) => ({
          path: ['switch', index, 'steps'],
          list: isRecord(branch) ? branch['steps'] : undefined,
        })),
        { path: ['default'], list: read('default') },
      ];
    }
    case 'parallel':
      return Object.entries(safeRecord(read('parallel'))).map(([branch, list]) => ({
        path: ['parallel', branch],
        list,
      }));
    case 'forEach':
      return [{ path: ['steps'], list: read('steps') }];
    case 'try':
      return [
        { path: ['try'], list: read('try') },
        { path: ['catch', 'steps'], list: catchSteps(read('catch')) },
        { path: ['finally'], list: read('finally') },
      ];
    default:
      return [];
  }
}

function catchSteps(value: unknown): unknown {
  return isRecord(value) ? value['steps'] : undefined;
}
