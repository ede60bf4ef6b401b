// Builds dist/ when the sources changed since the last build (`npm start` calls this too): the
// server with tsc, the web console (console/) with Vite into dist/console.
const { spawnSync } = require('node:child_process');
const { existsSync, readdirSync, statSync, writeFileSync } = require('node:fs');
const { dirname, join } = require('node:path');

const root = join(__dirname, '..');
const stamp = join(root, 'dist', '.build-stamp');
const inputs = [
  'src',
  'connectors',
  'api-client',
  'migrations',
  'bench',
  'console',
  'config/schema',
  'package.json',
  'tsconfig.json',
  'tsconfig.build.json',
];

function newestMtime(path) {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(path)) {
    if (entry === 'node_modules' || entry.startsWith('.')) continue;
    newest = Math.max(newest, newestMtime(join(path, entry)));
  }
  return newest;
}

function isStale() {
  if (!existsSync(stamp) || !existsSync(join(root, 'dist', 'src', 'main.js'))) return true;
  if (!existsSync(join(root, 'dist', 'console', 'index.html'))) return true;
  const built = statSync(stamp).mtimeMs;
  return inputs.some((input) => newestMtime(join(root, input)) > built);
}

function run(what, args) {
  const result = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    process.stderr.write(`Build failed: see the ${what} errors above.\n`);
    process.exit(result.status ?? 1);
  }
}

function build({ force = false } = {}) {
  if (!force && !isStale()) return;
  run('TypeScript', [
    require.resolve('typescript/bin/tsc'),
    '-p',
    join(root, 'tsconfig.build.json'),
  ]);
  // Vite bundles without type-checking: `npm run typecheck` checks console/ too.
  const vite = join(dirname(require.resolve('vite/package.json')), 'bin', 'vite.js');
  run('Vite (console)', [vite, 'build', '--config', join(root, 'console', 'vite.config.ts')]);
  writeFileSync(stamp, new Date().toISOString());
}

module.exports = { build };

if (require.main === module) build({ force: process.argv.includes('--force') });
