// `npm run migration:run | migration:revert | migration:generate -- Name`, on the database the app
// would use: DATABASE_URL, or the embedded one in SYNCLINE_DATA_DIR.
const { writeFileSync, readFileSync } = require('node:fs');
const { join } = require('node:path');
require('reflect-metadata');
const { loadConfig, ConfigError } = require('../dist/src/config/environment');
const { createDataSource } = require('../dist/src/database/data-source');
const { startEmbeddedPostgres } = require('../dist/src/database/embedded-postgres');

const root = join(__dirname, '..');

function fail(message) {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

function indent(queries, method) {
  return (
    queries
      .map((q) => {
        const params =
          q.parameters && q.parameters.length > 0 ? `, ${JSON.stringify(q.parameters)}` : '';
        return `    await queryRunner.query(\`${q.query.replace(/`/g, '\\`')}\`${params});`;
      })
      .join('\n') || `    // Nothing to ${method}.`
  );
}

async function generate(dataSource, name) {
  if (!/^[A-Z][A-Za-z0-9]*$/.test(name ?? ''))
    fail('Usage: npm run migration:generate -- MigrationName (PascalCase)');
  const sql = await dataSource.driver.createSchemaBuilder().log();
  if (sql.upQueries.length === 0) {
    process.stdout.write('No changes in the entities: nothing to generate.\n');
    return;
  }
  const timestamp = Date.now();
  const className = `${name}${timestamp}`;
  const file = `${timestamp}-${name}`;
  writeFileSync(
    join(root, 'migrations', `${file}.ts`),
    `import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Generated from the entities; review the SQL before committing. */
export class ${className} implements MigrationInterface {
  name = '${className}';

  async up(queryRunner: QueryRunner): Promise<void> {
${indent(sql.upQueries, 'apply')}
  }

  async down(queryRunner: QueryRunner): Promise<void> {
${indent([...sql.downQueries].reverse(), 'revert')}
  }
}
`,
  );
  const indexPath = join(root, 'migrations', 'index.ts');
  const index = readFileSync(indexPath, 'utf8')
    .replace(/(\nexport const MIGRATIONS = \[)/, `\nimport { ${className} } from './${file}';$1`)
    .replace(/\];\s*$/, `, ${className}];\n`);
  writeFileSync(indexPath, index);
  process.stdout.write(`Wrote migrations/${file}.ts and listed it in migrations/index.ts\n`);
}

async function main() {
  const [command, name] = process.argv.slice(2);
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) fail(error.message);
    throw error;
  }
  const embedded = config.databaseUrl
    ? undefined
    : await startEmbeddedPostgres({ dataDir: config.dataDir, maxConnections: 3 });
  const url = config.databaseUrl ?? embedded.url;
  const dataSource = createDataSource(url, { poolSize: 1, embedded: Boolean(embedded) });
  await dataSource.initialize();
  try {
    switch (command) {
      case 'run': {
        const applied = await dataSource.runMigrations({ transaction: 'each' });
        process.stdout.write(
          applied.length === 0
            ? 'The schema is up to date.\n'
            : `Applied ${applied.map((m) => m.name).join(', ')}\n`,
        );
        break;
      }
      case 'revert':
        await dataSource.undoLastMigration({ transaction: 'each' });
        process.stdout.write('Reverted the last migration.\n');
        break;
      case 'generate':
        await dataSource.runMigrations({ transaction: 'each' });
        await generate(dataSource, name);
        break;
      default:
        fail('Usage: node scripts/migrate.js run | revert | generate Name');
    }
  } finally {
    await dataSource.destroy();
    await embedded?.stop();
  }
}

main().catch((error) =>
  fail(`Migration failed: ${error instanceof Error ? error.message : String(error)}`),
);
