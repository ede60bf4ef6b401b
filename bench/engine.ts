/**
 * The engine's benchmark (DESIGN.md, "Performance targets"): an initial bidirectional sync of N
 * records per side between two memory vendors (no latency, no rate limits) persisting to Postgres,
 * a settle run (reads back what the initial run created), an incremental run with 1 % changed on
 * each side, then a run that must write nothing.
 *
 *   npm run bench:engine -- --records 100000 [--page-size 500]
 *
 * Prints throughput per run, writes per changed record, echo writes and memory (RSS before the
 * sync, i.e. the vendors' data, and the peak during it).
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { MemoryBackend, createMemoryConnector } from '../connectors/memory';
import { FakeClock } from '../connectors/sdk/clock';
import type { Connector } from '../connectors/sdk/contract';
import { createDataSource } from '../src/database/data-source';
import type { SyncDefinition } from '../src/engine/definition';
import { type SyncRunResult, runSync } from '../src/engine/run-sync';
import { TypeOrmSyncStore } from '../src/persistence/typeorm-sync-store';
import { OBJECTS, benchDefinition, seedSide } from './data';
import { createBenchDatabase } from './database';
import { MemorySampler, mb, retained } from './memory';

const HOUR = 60 * 60 * 1000;

interface Options {
  records: number;
  pageSize: number | undefined;
}

function options(): Options {
  const { values } = parseArgs({
    options: { records: { type: 'string', default: '100000' }, 'page-size': { type: 'string' } },
  });
  const records = Number(values.records);
  if (!Number.isInteger(records) || records < 2)
    throw new Error('--records must be an integer ≥ 2');
  const pageSize = values['page-size'] === undefined ? undefined : Number(values['page-size']);
  return { records, pageSize };
}

function print(line = ''): void {
  process.stdout.write(`${line}\n`);
}

function rate(count: number, ms: number): string {
  return `${Math.round(count / (ms / 1000)).toLocaleString('en-US')}/s`;
}

interface Vendors {
  left: MemoryBackend;
  right: MemoryBackend;
}

function writeCalls(vendors: Vendors): number {
  return vendors.left.calls.write + vendors.right.calls.write;
}

function writtenRecords(vendors: Vendors): number {
  return vendors.left.writtenRecords + vendors.right.writtenRecords;
}

interface Measured {
  result: SyncRunResult;
  ms: number;
  writeCalls: number;
  writtenRecords: number;
}

async function measure(vendors: Vendors, run: () => Promise<SyncRunResult>): Promise<Measured> {
  const calls = writeCalls(vendors);
  const written = writtenRecords(vendors);
  const started = performance.now();
  const result = await run();
  const ms = performance.now() - started;
  if (result.status !== 'succeeded') throw new Error(`run ${result.status}: ${result.error ?? ''}`);
  return {
    result,
    ms,
    writeCalls: writeCalls(vendors) - calls,
    writtenRecords: writtenRecords(vendors) - written,
  };
}

/** `records` is what the run is measured by (both accounts for the initial run, the edits after). */
function report(name: string, measured: Measured, records: number, changed: number): void {
  const { counters } = measured.result;
  print(
    `${name}: ${(measured.ms / 1000).toFixed(2)} s, ${rate(records, measured.ms)} ` +
      `(${records.toLocaleString('en-US')} records); records read ${rate(counters.read, measured.ms)}`,
  );
  print(
    `  read ${counters.read}, created ${counters.created}, updated ${counters.updated}, ` +
      `unchanged ${counters.unchanged}, conflicts ${counters.conflicts}, failed ${counters.failed}, ` +
      `API calls ${counters.apiCalls.left}+${counters.apiCalls.right}`,
  );
  const perRecord = changed === 0 ? 'n/a' : (measured.writeCalls / changed).toFixed(4);
  print(
    `  write calls ${measured.writeCalls}, records written ${measured.writtenRecords}, ` +
      `write calls per changed record ${perRecord}`,
  );
}

async function main(): Promise<void> {
  const { records, pageSize } = options();
  const database = await createBenchDatabase();
  print(
    `engine bench: ${records.toLocaleString('en-US')} records per side, database: ${database.description}`,
  );
  const dataSource = createDataSource(database.url, { poolSize: 4, embedded: database.embedded });
  try {
    await dataSource.initialize();
    await dataSource.runMigrations();
    const sync = benchDefinition(randomUUID());
    await createSyncRow(dataSource, sync);
    const store = new TypeOrmSyncStore(dataSource);

    const clock = new FakeClock({ start: '2025-01-01T00:00:00.000Z', autoAdvance: true });
    const vendors: Vendors = {
      left: new MemoryBackend({ clock, idPrefix: 'L' }),
      right: new MemoryBackend({ clock, idPrefix: 'R' }),
    };
    const connector = (backend: MemoryBackend): Connector =>
      createMemoryConnector(backend, { random: () => 0.5 });
    const left = connector(vendors.left);
    const right = connector(vendors.right);
    const run = (): Promise<SyncRunResult> =>
      runSync({
        definition: sync,
        left,
        right,
        store,
        trigger: 'manual',
        clock,
        ...(pageSize === undefined ? {} : { pageSize }),
      });

    const leftEdits = seedSide(vendors.left, 'left', records, clock.now(), 0);
    const rightEdits = seedSide(vendors.right, 'right', records, clock.now(), 50);
    const sampler = new MemorySampler();
    print(
      `RSS before the sync (vendors seeded): ${mb(sampler.baseline.rss)}, heap used ${mb(sampler.baseline.heapUsed)}`,
    );
    sampler.start();

    // Initial: half the records link by email, the other half are created on the other side.
    await clock.advance(HOUR);
    const initial = await measure(vendors, run);
    report('initial run', initial, records * 2, records);

    // The records the right pass created on the left come back to the next run's left pass: read,
    // equal to their snapshot, not written. Settled here so the incremental run measures edits.
    await clock.advance(HOUR);
    const settle = await measure(vendors, run);
    report('settle run', settle, settle.result.counters.read, 0);
    print(
      `  echo writes: ${settle.writtenRecords} records in ${settle.writeCalls} calls (must be 0)`,
    );

    // Incremental: 1 % of each side edited (different pairs, so no conflicts).
    await clock.advance(HOUR);
    for (const id of leftEdits)
      vendors.left.update(OBJECTS.left, id, { title: `Edited title ${id}` });
    for (const id of rightEdits)
      vendors.right.update(OBJECTS.right, id, { city: `Edited city ${id}` });
    const changed = leftEdits.length + rightEdits.length;
    const incremental = await measure(vendors, run);
    report('incremental run', incremental, changed, changed);

    // Nothing changed since: everything read is our own writes coming back.
    await clock.advance(HOUR);
    const final = await measure(vendors, run);
    report('final run', final, final.result.counters.read, 0);
    print(
      `  echo writes: ${final.writtenRecords} records in ${final.writeCalls} calls (must be 0)`,
    );

    const memory = sampler.stop();
    const after = retained();
    print(
      `memory: RSS before the sync ${mb(sampler.baseline.rss)}, peak sampled ${mb(memory.peakRss)}, ` +
        `maxRSS ${mb(memory.maxRss)}`,
    );
    print(
      `  heap: before ${mb(sampler.baseline.heapUsed)} (seeded vendors), retained after the runs ` +
        `${mb(after.heapUsed)} (vendors now hold the created records too), peak ${mb(memory.peakHeapUsed)}: ` +
        `the engine's transient share is at most ${mb(memory.peakHeapUsed - after.heapUsed)}`,
    );
    const rows = await dataSource.query<Array<{ links: number; events: number }>>(
      `SELECT (SELECT count(*)::int FROM "record_links") AS "links", (SELECT count(*)::int FROM "record_events") AS "events"`,
    );
    print(`rows: ${rows[0]?.links ?? 0} record_links, ${rows[0]?.events ?? 0} record_events`);
    if (final.writtenRecords + settle.writtenRecords !== 0) process.exitCode = 1;
  } finally {
    if (dataSource.isInitialized) await dataSource.destroy();
    await database.drop();
  }
}

async function createSyncRow(
  dataSource: ReturnType<typeof createDataSource>,
  sync: SyncDefinition,
): Promise<void> {
  const left = randomUUID();
  const right = randomUUID();
  await dataSource.query(
    `INSERT INTO "connections" ("id", "name", "kind") VALUES ($1, 'bench left', 'memory'), ($2, 'bench right', 'memory')`,
    [left, right],
  );
  await dataSource.query(
    `INSERT INTO "syncs" ("id", "name", "left_connection_id", "right_connection_id", "definition")
     VALUES ($1, 'bench', $2, $3, $4::jsonb)`,
    [sync.id, left, right, JSON.stringify(sync)],
  );
}

main().catch((error: unknown) => {
  process.stderr.write(
    `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exitCode = 1;
});
