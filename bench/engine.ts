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
import { LiveHeapSampler, MemorySampler, mb, retained } from './memory';

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

async function measure(
  vendors: Vendors,
  run: () => Promise<SyncRunResult>,
  live?: LiveHeapSampler,
): Promise<Measured> {
  const calls = writeCalls(vendors);
  const written = writtenRecords(vendors);
  const started = performance.now();
  const result = await run();
  const ms = performance.now() - started - (live?.collectMs ?? 0);
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
    const run = (live?: LiveHeapSampler): Promise<SyncRunResult> =>
      runSync({
        definition: sync,
        left,
        right,
        store,
        trigger: 'manual',
        clock,
        ...(pageSize === undefined ? {} : { pageSize }),
        ...(live === undefined
          ? {}
          : {
              onProgress: (progress) => {
                live.progress(progress.read, progress.counters.created);
              },
            }),
      });

    const leftEdits = seedSide(vendors.left, 'left', records, clock.now(), 0);
    const rightEdits = seedSide(vendors.right, 'right', records, clock.now(), 50);
    // The vendors index the match field on their first lookup; built now, it counts as theirs.
    vendors.left.object(OBJECTS.left).idsWhere('email', '');
    vendors.right.object(OBJECTS.right).idsWhere('email', '');
    const sampler = new MemorySampler();
    print(
      `RSS before the sync (vendors seeded): ${mb(sampler.baseline.rss)}, heap used ${mb(sampler.baseline.heapUsed)}`,
    );
    sampler.start();

    // Initial: half the records link by email, the other half are created on the other side.
    // The initial run reads 2.5 N records (N + N/2 created on the right, read back); 8 samples.
    await clock.advance(HOUR);
    const live = new LiveHeapSampler(Math.ceil((records * 2.5) / 8));
    const initial = await measure(vendors, () => run(live), live);
    const afterInitial = retained().heapUsed;
    report('initial run', initial, records * 2, records);

    // The records the right pass created on the left come back to the next run's left pass: read,
    // equal to their snapshot, not written. Settled here so the incremental run measures edits.
    await clock.advance(HOUR);
    const settle = await measure(vendors, () => run());
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
    const incremental = await measure(vendors, () => run());
    report('incremental run', incremental, changed, changed);

    // Nothing changed since: everything read is our own writes coming back.
    await clock.advance(HOUR);
    const final = await measure(vendors, () => run());
    report('final run', final, final.result.counters.read, 0);
    print(
      `  echo writes: ${final.writtenRecords} records in ${final.writeCalls} calls (must be 0)`,
    );

    const memory = sampler.stop();
    const footprint = live.engineFootprint(sampler.baseline.heapUsed, afterInitial, records);
    print(
      `memory: RSS before the sync ${mb(sampler.baseline.rss)}, peak sampled ${mb(memory.peakRss)}, ` +
        `maxRSS ${mb(memory.maxRss)}, peak heap used ${mb(memory.peakHeapUsed)} (garbage included)`,
    );
    print(
      `  live heap: ${mb(sampler.baseline.heapUsed)} before (seeded vendors), ` +
        `${mb(afterInitial)} after the initial run (vendors hold the created records too), ` +
        `peak during it ${mb(Math.max(...live.samples.map((sample) => sample.heapUsed)))} ` +
        `(${live.samples.length} samples, ${(live.collectMs / 1000).toFixed(1)} s of collection not counted); ` +
        `engine's own live footprint ≈ ${mb(footprint)}`,
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
