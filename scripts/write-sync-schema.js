// Writes config/schema/sync.schema.json, the sync file format editors validate against, from the
// one schema of a sync definition (src/sync-definition/schema.ts). `npm run schema` builds first.
const { writeFileSync } = require('node:fs');
const { join } = require('node:path');
const prettier = require('prettier');

async function main() {
  const root = join(__dirname, '..');
  const { syncFileSchema } = require(join(root, 'dist', 'src', 'sync-definition', 'schema.js'));
  const options = (await prettier.resolveConfig(join(root, 'package.json'))) ?? {};
  const text = await prettier.format(JSON.stringify(syncFileSchema), { ...options, parser: 'json' });
  const file = join(root, 'config', 'schema', 'sync.schema.json');
  writeFileSync(file, text);
  console.log(`wrote ${file}`);
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
