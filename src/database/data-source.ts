/**
 * TypeORM options shared by the app, the migration CLI and the tests. Schema changes only
 * through migrations in migrations/; never `synchronize`.
 */
import type { DataSourceOptions } from 'typeorm';
import { DataSource } from 'typeorm';
import { MIGRATIONS } from '../../migrations';
import { ENTITIES } from '../persistence/entities';

export function dataSourceOptions(
  url: string,
  options: { poolSize: number; embedded: boolean },
): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    migrationsRun: false,
    // The embedded server cannot install extensions, and has one session for all connections.
    installExtensions: !options.embedded,
    poolSize: options.poolSize,
    extra: { max: options.poolSize, connectionTimeoutMillis: 10_000 },
    // Not 'error': TypeORM would log a failed query with its parameters, i.e. record values.
    logging: ['warn', 'migration'],
  };
}

export function createDataSource(
  url: string,
  options: { poolSize: number; embedded: boolean },
): DataSource {
  return new DataSource(dataSourceOptions(url, options));
}

/** Any constant shared by every replica: the advisory lock that serialises their migrations. */
const MIGRATION_LOCK = 0x53594e43; // "SYNC"

/**
 * Runs the pending migrations under a session advisory lock, so replicas started together on a
 * new database migrate one after the other instead of racing on the same CREATE TABLE.
 */
export async function runMigrationsLocked(dataSource: DataSource): Promise<void> {
  const runner = dataSource.createQueryRunner();
  try {
    await runner.connect();
    await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    try {
      await dataSource.runMigrations({ transaction: 'each' });
    } finally {
      await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]);
    }
  } finally {
    await runner.release();
  }
}
