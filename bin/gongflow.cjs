#!/usr/bin/env node
// The `gongflow` command. It runs the compiled build (dist/, `npm run build`) when there is one and it is
// newer than every source file, and the TypeScript sources through tsx otherwise (no build step to forget
// while developing). A stale build is never run: a worker from an old build next to one from the sources
// would replay runs with different workflow code (non-determinism errors), and a fix would silently not
// apply. GONGFLOW_FROM_SOURCES=1 forces the sources (the tests set it).
const { existsSync, readdirSync, statSync } = require('node:fs');
const path = require('node:path');

const ROOT = path.join(__dirname, '..');
const built = path.join(ROOT, 'dist', 'cli', 'main.js');
// Written last by the build (scripts/build.ts), so its time is when the build finished.
const builtStamp = path.join(ROOT, 'dist', 'cli', 'commands.json');

/** The first source file changed after the build, if the sources are here at all (not in an image). */
function sourceNewerThan(stampMs) {
  const folders = ['cli', 'api', 'activities', 'client', 'config', 'connections', 'core', 'definitions'];
  folders.push('emulator', 'gong', 'observability', 'runs', 'temporal', 'triggers', 'workers', 'workflows');
  const walk = (dir) => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return undefined;
    }
    for (const entry of entries) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name === 'node_modules') continue;
        const found = walk(file);
        if (found) return found;
      } else if (entry.name.endsWith('.ts') && statSync(file).mtimeMs > stampMs) {
        return file;
      }
    }
    return undefined;
  };
  for (const folder of folders) {
    const found = walk(path.join(ROOT, folder));
    if (found) return found;
  }
  return undefined;
}

function useBuild() {
  if (process.env.GONGFLOW_FROM_SOURCES === '1' || !existsSync(built) || !existsSync(builtStamp))
    return false;
  const changed = sourceNewerThan(statSync(builtStamp).mtimeMs);
  if (changed) {
    process.stderr.write(
      `gongflow: dist/ is older than ${path.relative(ROOT, changed)}; running the sources instead. ` +
        'Run `npm run build` again (or delete dist/).\n',
    );
    return false;
  }
  return true;
}

let cli;
if (useBuild()) {
  cli = require(built);
} else {
  require('tsx/cjs');
  cli = require('../cli/main.ts');
}
cli.main(process.argv).then((code) => {
  process.exitCode = code;
});
