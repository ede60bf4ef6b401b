/**
 * The worker's knobs, measured: K syncs' initial runs at once (what SYNCLINE_WORKER_CONCURRENCY
 * lets one replica do) sharing one Postgres pool of P connections (DATABASE_POOL_SIZE), each sync
 * between its own two vendor processes, N records per side in all (N / K each).
 *
 *   npm run bench:concurrency -- [--records 100000] [--concurrency 1,2,4] [--pool 10] [--page-size 500]
 *
 * Prints the combined records/s of each concurrency, on a fresh database each time.
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { createDataSource } from '../src/database/data-source';
import { runSync } from '../src/engine/run-sync';
import { TypeOrmSyncStore } from '../src/persistence/typeorm-sync-store';
import { BenchClock } from './clock';
import { benchDefinition } from './data';
import { createBenchDatabase, createSyncRow } from './database';
import { childVendors } from './vendors';

const HOUR = 60 * 60 * 1000;

function print(line: string): void {
  process.stdout.write(`${line}\n`);
}

function positive(value: string, flag: string): number {
  const number = Number(value.trim().replaceAll('_', ''));
  if (!Number.isInteger(number) || number < 1)
    throw new Error(`${flag} takes integers ≥ 1, got ${value}`);
  return number;
}

/** K syncs' initial runs at once, N / K records per side each; answers records/s, both sides. */
async function initialRuns(
  records: number,
  concurrency: number,
  pool: number,
  pageSize: number | undefined,
): Promise<number> {
  const database = await createBenchDatabase();
  const dataSource = createDataSource(database.url, {
    poolSize: pool,
    embedded: database.embedded,
  });
  const clock = new BenchClock('2025-01-01T00:00:00.000Z');
  const perSync = Math.floor(records / concurrency);
  const pairs = Array.from({ length: concurrency }, () => childVendors(clock, 'advanced'));
  try {
    await dataSource.initialize();
    await dataSource.runMigrations();
    const store = new TypeOrmSyncStore(dataSource);
    const syncs = [];
    for (const vendors of pairs) {
      const sync = benchDefinition(randomUUID());
      await createSyncRow(dataSource, sync);
      await vendors.seed(perSync, clock.now());
      syncs.push({ sync, vendors });
    }
    await clock.advance(HOUR);
    const started = performance.now();
    const results = await Promise.all(
      syncs.map(({ sync, vendors }) =>
        runSync({
          definition: sync,
          left: vendors.left,
          right: vendors.right,
          store,
          trigger: 'manual',
          clock,
          ...(pageSize === undefined ? {} : { pageSize }),
        }),
      ),
    );
    const ms = performance.now() - started;
    for (const result of results)
      if (result.status !== 'succeeded')
        throw new Error(`run ${result.status}: ${result.error ?? ''}`);
    return (perSync * concurrency * 2) / (ms / 1000);
  } finally {
    await Promise.all(pairs.map((vendors) => vendors.close()));
    if (dataSource.isInitialized) await dataSource.destroy();
    await database.drop();
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      records: { type: 'string', default: '100000' },
      concurrency: { type: 'string', default: '1,2,4' },
      pool: { type: 'string', default: '10' },
      'page-size': { type: 'string' },
    },
  });
  const records = positive(values.records, '--records');
  const pool = positive(values.pool, '--pool');
  const pageSize =
    values['page-size'] === undefined ? undefined : positive(values['page-size'], '--page-size');
  const levels = values.concurrency.split(',').map((value) => positive(value, '--concurrency'));
  print(
    `concurrency bench: ${records.toLocaleString('en-US')} records per side in all, pool ${String(pool)}` +
      (pageSize === undefined ? '' : `, page size ${String(pageSize)}`),
  );
  for (const concurrency of levels) {
    const perSecond = await initialRuns(records, concurrency, pool, pageSize);
    print(
      `  ${String(concurrency)} sync${concurrency === 1 ? '' : 's'} at once: initial runs ` +
        `${Math.round(perSecond).toLocaleString('en-US')} records/s together`,
    );
  }
}

main().catch((error: unknown) => {
  process.stderr.write(
    `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exitCode = 1;
});
