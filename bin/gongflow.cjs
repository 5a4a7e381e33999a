#!/usr/bin/env node
// The `gongflow` command. Sources are TypeScript; tsx compiles them on load (no build step to forget).
require('tsx/cjs');
require('../cli/main.ts')
  .main(process.argv)
  .then((code) => {
    process.exitCode = code;
  });
