/**
 * The audience bench (issue "Sync kinds"): an audience sync of N source contacts (memory vendor)
 * into a memory audience, persisting its ledger to Postgres: the initial run adds every member;
 * then 1 % of the contacts churn (half leave the filter, half are new customers) and the next run
 * must ask only for those changes; a last run must ask for nothing.
 *
 *   npm run bench:audience -- [--members 100000] [--batch 10000] [--page-size 1000]
 *
 * Prints members/s, calls to the destination per changed member (the floor is one call per
 * batch of changes: ceil(changes / batch) per kind of change), and this process's memory.
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { MemoryBackend, createMemoryConnector } from '../connectors/memory';
import { FakeClock } from '../connectors/sdk/clock';
import { createDataSource } from '../src/database/data-source';
import type { AnySyncDefinition } from '../src/engine/definition';
import { type SyncRunResult, runOneWaySync } from '../src/engine/run-sync';
import { TypeOrmSyncStore } from '../src/persistence/typeorm-sync-store';
import { createBenchDatabase } from './database';
import { MemorySampler, mb } from './memory';

const { values } = parseArgs({
  options: {
    members: { type: 'string', default: '100000' },
    batch: { type: 'string', default: '10000' },
    'page-size': { type: 'string', default: '1000' },
  },
});
const MEMBERS = Number(values.members);
const BATCH = Number(values.batch);
const PAGE_SIZE = Number(values['page-size']);

function definition(id: string): AnySyncDefinition {
  return {
    id,
    kind: 'audience',
    left: {
      object: 'contacts',
      filter: {
        combine: 'all',
        conditions: [{ field: 'lifecyclestage', op: 'eq', value: 'customer' }],
      },
    },
    right: { object: 'customers' },
    identifiers: { email: 'email' },
    mappings: [],
    defaultPolicy: 'manual',
    tieBreaker: 'left',
    deletePolicy: 'ignore',
  };
}

async function main(): Promise<void> {
  const database = await createBenchDatabase();
  const dataSource = createDataSource(database.url, { poolSize: 4, embedded: database.embedded });
  await dataSource.initialize();
  await dataSource.runMigrations();
  const clock = new FakeClock({ autoAdvance: true });
  const source = new MemoryBackend({ clock, idPrefix: 'c-' });
  const target = new MemoryBackend({ clock, idPrefix: 'a-' });
  target.createAudience('customers', { name: 'Customers' });
  // Contacts edited over the last month, a few seconds apart, as a real account's are.
  const start = clock.now().getTime();
  source.seed(
    'contacts',
    Array.from({ length: MEMBERS }, (_, index) => ({
      id: `c${String(index).padStart(8, '0')}`,
      fields: { email: `person${String(index)}@example.com`, lifecyclestage: 'customer' },
      updatedAt: new Date(start - (MEMBERS - index) * 20_000).toISOString(),
    })),
  );
  const sync = definition(randomUUID());
  const [left, right] = [randomUUID(), randomUUID()];
  await dataSource.query(
    `INSERT INTO "connections" ("id", "name", "kind") VALUES ($1, 'Bench source', 'memory'), ($2, 'Bench audience', 'memory')`,
    [left, right],
  );
  await dataSource.query(
    `INSERT INTO "syncs" ("id", "name", "left_connection_id", "right_connection_id", "definition")
     VALUES ($1, 'bench audience', $2, $3, $4::jsonb)`,
    [sync.id, left, right, JSON.stringify(sync)],
  );
  const store = new TypeOrmSyncStore(dataSource);
  const options = { random: () => 0.5, maxBatch: BATCH, maxPageSize: PAGE_SIZE };
  const run = (): Promise<SyncRunResult> =>
    runOneWaySync({
      definition: sync,
      source: createMemoryConnector(source, options),
      destination: createMemoryConnector(target, options),
      store,
      trigger: 'manual',
      clock,
      pageSize: PAGE_SIZE,
    });
  const memory = new MemorySampler();
  memory.start();

  console.log(
    `audience bench: ${MEMBERS.toLocaleString('en-US')} contacts, batch ${String(BATCH)}, page ${String(PAGE_SIZE)}, ${database.description}`,
  );
  const report = async (name: string, changes: number): Promise<void> => {
    const calls = target.calls.members;
    const started = performance.now();
    const result = await run();
    const seconds = (performance.now() - started) / 1000;
    const made = target.calls.members - calls;
    const { added, removed, failed } = result.counters;
    const floor = Math.ceil(added / BATCH) + Math.ceil(removed / BATCH);
    console.log(
      `${name.padEnd(8)} ${result.status}: read ${String(result.counters.read)}, added ${String(added)}, removed ${String(removed)}, failed ${String(failed)} in ${seconds.toFixed(1)} s (${Math.round(result.counters.read / seconds).toLocaleString('en-US')} records/s); ${String(made)} member calls (floor ${String(floor)})${changes > 0 ? `, ${(made / changes).toFixed(4)} calls per changed member` : ''}`,
    );
  };

  await report('initial', MEMBERS);
  // 1 % churn: half the churn leaves the filter, half are new customers.
  const churn = Math.round(MEMBERS / 100);
  await clock.advance(60 * 60 * 1000);
  for (let index = 0; index < churn / 2; index++)
    source.update('contacts', `c${String(index * 7).padStart(8, '0')}`, {
      lifecyclestage: 'former',
    });
  source.seed(
    'contacts',
    Array.from({ length: churn / 2 }, (_, index) => ({
      id: `n${String(index).padStart(8, '0')}`,
      fields: { email: `new${String(index)}@example.com`, lifecyclestage: 'customer' },
      updatedAt: clock.now().toISOString(),
    })),
  );
  await report('churn 1%', churn);
  await clock.advance(60 * 60 * 1000);
  await report('quiet', 0);
  const peak = memory.stop();
  const members = target.audiences.get('customers')?.members.size ?? 0;
  console.log(
    `audience holds ${members.toLocaleString('en-US')} members (expected ${MEMBERS.toLocaleString('en-US')}); peak RSS ${mb(peak.peakRss)}, peak heap ${mb(peak.peakHeapUsed)} (both vendors in this process)`,
  );
  await dataSource.destroy();
  await database.drop();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
