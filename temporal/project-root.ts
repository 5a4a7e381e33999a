import { existsSync } from 'node:fs';
import path from 'node:path';

/**
 * The folder of gongflow's own package.json: where `.tools/` (the Temporal CLI virtualenv) and the
 * example definitions live. Found by walking up, because the compiled build runs one level deeper (dist/).
 */
export const PROJECT_ROOT = findPackageRoot(__dirname);

function findPackageRoot(start: string): string {
  for (let dir = start; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) return path.resolve(start, '..');
  }
}
