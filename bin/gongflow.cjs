#!/usr/bin/env node
// The `gongflow` command. It runs the compiled build (dist/, `npm run build`) when there is one, and the
// TypeScript sources through tsx otherwise (no build step to forget while developing).
// GONGFLOW_FROM_SOURCES=1 forces the sources: the tests set it so that they never run a stale build.
const { existsSync } = require('node:fs');
const path = require('node:path');

const built = path.join(__dirname, '..', 'dist', 'cli', 'main.js');
let cli;
if (process.env.GONGFLOW_FROM_SOURCES !== '1' && existsSync(built)) {
  cli = require(built);
} else {
  require('tsx/cjs');
  cli = require('../cli/main.ts');
}
cli.main(process.argv).then((code) => {
  process.exitCode = code;
});
