import path from 'node:path';

/** The folder of gongflow's own package.json: where `.tools/` (the Temporal CLI virtualenv) lives. */
export const PROJECT_ROOT = path.resolve(__dirname, '..');
