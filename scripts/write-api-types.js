// Writes console/src/api-types.ts, the REST API's types for the console, from the OpenAPI document
// built offline (src/api-document.ts, src/api-types.ts). `npm run api-types` builds first.
const { writeFileSync } = require('node:fs');
const { join } = require('node:path');
const prettier = require('prettier');

async function main() {
  const root = join(__dirname, '..');
  const { offlineApiDocument } = require(join(root, 'dist', 'src', 'api-document.js'));
  const { apiTypes } = require(join(root, 'dist', 'src', 'api-types.js'));
  const file = join(root, 'console', 'src', 'api-types.ts');
  const options = (await prettier.resolveConfig(file)) ?? {};
  const text = await prettier.format(await apiTypes(await offlineApiDocument()), {
    ...options,
    parser: 'typescript',
  });
  writeFileSync(file, text);
  console.log(`wrote ${file}`);
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
