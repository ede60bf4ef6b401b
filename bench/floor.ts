/**
 * The Postgres floor (DESIGN.md, "Performance targets"): how fast this Postgres, on this machine,
 * writes the rows the engine's initial run wrote, with no engine at all. The links and events the
 * run left are copied, in the order it wrote them, into fresh tables of the same shape (indexes,
 * constraints and foreign keys included) in a schema of their own, by plain batched
 * `INSERT … ON CONFLICT` through `pg`, one transaction per page of rows as the engine commits.
 * Only the inserting transactions are timed, not the reads of the rows to copy (cursors over the
 * engine's tables, in one read-only transaction).
 */
import { performance } from 'node:perf_hooks';
import { Client } from 'pg';

export interface FloorResult {
  links: number;
  events: number;
  transactions: number;
  /** Time spent in the inserting transactions. */
  ms: number;
}

const SCHEMA = 'bench_floor';

const LINK_COLUMNS = [
  'sync_id',
  'left_id',
  'right_id',
  'snapshot',
  'left_updated_at',
  'right_updated_at',
  'updated_at',
];
const EVENT_COLUMNS = [
  'run_id',
  'sync_id',
  'side',
  'left_id',
  'right_id',
  'action',
  'fields',
  'error_code',
  'message',
  'at',
  'record_key',
  'changes',
];

async function createTables(client: Client): Promise<void> {
  await client.query(`DROP SCHEMA IF EXISTS "${SCHEMA}" CASCADE`);
  await client.query(`CREATE SCHEMA "${SCHEMA}"`);
  for (const table of ['record_links', 'record_events'])
    await client.query(
      `CREATE TABLE "${SCHEMA}"."${table}" (LIKE public."${table}" INCLUDING ALL)`,
    );
  // LIKE copies no foreign key; the engine's tables check theirs on every row.
  await client.query(
    `ALTER TABLE "${SCHEMA}"."record_links" ADD FOREIGN KEY ("sync_id") REFERENCES public."syncs" ("id")`,
  );
  await client.query(
    `ALTER TABLE "${SCHEMA}"."record_events" ADD FOREIGN KEY ("run_id") REFERENCES public."sync_runs" ("id")`,
  );
}

/** `INSERT INTO table (columns) VALUES ($1, …), (…)` for `rows` rows, and its parameters. */
function insert(
  table: string,
  columns: string[],
  rows: Array<Record<string, unknown>>,
): { sql: string; parameters: unknown[] } {
  const parameters: unknown[] = [];
  const tuples = rows.map((row) => {
    const placeholders = columns.map((column) => {
      const value = row[column];
      const json = (column === 'snapshot' || column === 'changes') && value !== null;
      parameters.push(json ? JSON.stringify(value) : value);
      return `$${String(parameters.length)}`;
    });
    return `(${placeholders.join(', ')})`;
  });
  const names = columns.map((column) => `"${column}"`).join(', ');
  return {
    sql: `INSERT INTO "${SCHEMA}"."${table}" (${names}) VALUES ${tuples.join(', ')}`,
    parameters,
  };
}

const LINK_UPSERT = ` ON CONFLICT ("sync_id", "left_id") DO UPDATE SET
  "snapshot" = EXCLUDED."snapshot", "left_updated_at" = EXCLUDED."left_updated_at",
  "right_updated_at" = EXCLUDED."right_updated_at", "updated_at" = EXCLUDED."updated_at"`;

/** The next `limit` rows of a cursor opened on a table (heap order: the order they were written). */
async function fetchRows(
  client: Client,
  cursor: string,
  limit: number,
): Promise<Array<Record<string, unknown>>> {
  const answer = await client.query<Record<string, unknown>>(
    `FETCH ${String(limit)} FROM "${cursor}"`,
  );
  return answer.rows;
}

/**
 * Copies the engine's links and events (those written so far) into fresh tables, `pageSize` of
 * each per transaction, and times the inserts. `url` is the engine's database.
 */
export async function postgresFloor(url: string, pageSize: number): Promise<FloorResult> {
  const reader = new Client({ connectionString: url });
  const writer = new Client({ connectionString: url });
  await reader.connect();
  await writer.connect();
  const result: FloorResult = { links: 0, events: 0, transactions: 0, ms: 0 };
  try {
    await createTables(writer);
    // Read through cursors in one read-only transaction: sequential scans, in the order written.
    await reader.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    await reader.query('DECLARE "links" NO SCROLL CURSOR FOR SELECT * FROM public."record_links"');
    await reader.query(
      'DECLARE "events" NO SCROLL CURSOR FOR SELECT * FROM public."record_events"',
    );
    for (;;) {
      const links = await fetchRows(reader, 'links', pageSize);
      const events = await fetchRows(reader, 'events', pageSize);
      if (links.length === 0 && events.length === 0) break;
      const started = performance.now();
      await writer.query('BEGIN');
      if (links.length > 0) {
        const { sql, parameters } = insert('record_links', LINK_COLUMNS, links);
        await writer.query(sql + LINK_UPSERT, parameters);
      }
      if (events.length > 0) {
        const { sql, parameters } = insert('record_events', EVENT_COLUMNS, events);
        await writer.query(sql, parameters);
      }
      await writer.query('COMMIT');
      result.ms += performance.now() - started;
      result.transactions++;
      result.links += links.length;
      result.events += events.length;
    }
    await reader.query('COMMIT');
  } finally {
    await writer.query(`DROP SCHEMA IF EXISTS "${SCHEMA}" CASCADE`).catch(() => undefined);
    await reader.end();
    await writer.end();
  }
  return result;
}
