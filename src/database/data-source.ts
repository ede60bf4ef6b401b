/**
 * TypeORM options shared by the app, the migration CLI and the tests. Schema changes only
 * through migrations in migrations/; never `synchronize`.
 */
import type { DataSourceOptions } from 'typeorm';
import { DataSource } from 'typeorm';
import { MIGRATIONS } from '../../migrations';
import { ENTITIES } from './entities';

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
