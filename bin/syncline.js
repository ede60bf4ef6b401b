#!/usr/bin/env node
// The `syncline` CLI (see README, "Sync definitions as code"). It runs the compiled TypeScript:
// `npm install` builds it (prepare), `npm run build` rebuilds it.
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const main = join(__dirname, '..', 'dist', 'src', 'cli', 'main.js');
if (!existsSync(main)) {
  process.stderr.write('syncline: not built yet: run `npm run build` (npm install does it too)\n');
  process.exit(2);
}
require(main)
  .main(process.argv)
  .then(
    (code) => {
      process.exitCode = code;
    },
    (error) => {
      process.stderr.write(
        `syncline: unexpected error: ${error && error.stack ? error.stack : error}\n`,
      );
      process.exitCode = 1;
    },
  );
