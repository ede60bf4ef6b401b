/**
 * The engine with its persistence on Postgres (a server with DATABASE_URL, else embedded): two
 * memory vendors, contacts ↔ leads matched by email, three runs. Asserts the records in both
 * vendors and the rows a person would look at (links, the sync log, the runs).
 */
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { MemoryBackend, createMemoryConnector } from '../../connectors/memory';
import { FakeClock } from '../../connectors/sdk/clock';
import type { RecordConnector, Fields } from '../../connectors/sdk/contract';
import type { TestDatabase } from '../../test/support/database';
import { createTestDatabase } from '../../test/support/database';
import { createDataSource } from '../database/data-source';
import type { AnySyncDefinition, SyncDefinition } from '../engine/definition';
import { type SyncRunResult, runOneWaySync, runSync } from '../engine/run-sync';
import { TypeOrmSyncStore } from './typeorm-sync-store';

jest.setTimeout(120_000);

let database: TestDatabase | undefined;
let dataSource: DataSource;

beforeAll(async () => {
  const created = await createTestDatabase();
  database = created;
  dataSource = createDataSource(created.url, { poolSize: 4, embedded: created.embedded });
  await dataSource.initialize();
  await dataSource.runMigrations();
});

afterAll(async () => {
  if (database === undefined) return;
  if (dataSource.isInitialized) await dataSource.destroy();
  await database.drop();
});

function definition(id: string): SyncDefinition {
  return {
    id,
    left: { object: 'contacts', writeMode: 'upsert' },
    right: { object: 'leads', writeMode: 'upsert' },
    direction: 'bidirectional',
    match: { left: 'email', right: 'email', normalizer: 'email' },
    mappings: [
      { left: 'email', right: 'email', direction: 'both' },
      { left: 'firstName', right: 'first_name', direction: 'both' },
      { left: 'company', right: 'company', direction: 'both' },
      {
        left: 'status',
        right: 'lead_status',
        direction: 'both',
        transforms: {
          leftToRight: [{ kind: 'value_map', map: { Lead: 'NEW', Customer: 'WON', Lost: 'LOST' } }],
        },
      },
    ],
    defaultPolicy: 'latest_wins',
    tieBreaker: 'left',
    deletePolicy: 'ignore',
  };
}

/** A sync as the API would store it: two connections and the definition. */
async function createSyncRow(sync: AnySyncDefinition): Promise<void> {
  const left = randomUUID();
  const right = randomUUID();
  await dataSource.query(
    `INSERT INTO "connections" ("id", "name", "kind") VALUES ($1, $3, 'memory'), ($2, $4, 'memory')`,
    [left, right, `CRM ${sync.id}`, `Marketing ${sync.id}`],
  );
  await dataSource.query(
    `INSERT INTO "syncs" ("id", "name", "left_connection_id", "right_connection_id", "definition")
     VALUES ($1, $5, $2, $3, $4::jsonb)`,
    [sync.id, left, right, JSON.stringify(sync), `sync ${sync.id}`],
  );
}

function byEmail(
  backend: MemoryBackend,
  object: string,
): Map<string, { id: string; fields: Fields }> {
  const found = new Map<string, { id: string; fields: Fields }>();
  for (const record of backend.all(object)) found.set(String(record.fields.email), record);
  return found;
}

interface EventRow {
  side: string;
  left_id: string | null;
  right_id: string | null;
  action: string;
  fields: string[];
}

async function events(runId: string): Promise<EventRow[]> {
  return dataSource.query(
    `SELECT "side", "left_id", "right_id", "action", "fields" FROM "record_events" WHERE "run_id" = $1 ORDER BY "id"`,
    [runId],
  );
}

it('syncs two vendors through Postgres: initial, incremental, then nothing to write', async () => {
  const clock = new FakeClock({ autoAdvance: true });
  const left = new MemoryBackend({ clock, idPrefix: 'L' });
  const right = new MemoryBackend({ clock, idPrefix: 'R' });
  const options = { random: () => 0.5, pageSize: 2 };
  const leftConnector: RecordConnector = createMemoryConnector(left, options);
  const rightConnector: RecordConnector = createMemoryConnector(right, options);
  const sync = definition(randomUUID());
  await createSyncRow(sync);
  const store = new TypeOrmSyncStore(dataSource);
  const run = (): Promise<SyncRunResult> =>
    runSync({
      definition: sync,
      left: leftConnector,
      right: rightConnector,
      store,
      trigger: 'manual',
      clock,
      pageSize: 2,
    });
  const writes = (): number => left.writtenRecords + right.writtenRecords;

  left.seed('contacts', [
    { fields: { email: 'ann@example.com', firstName: 'Ann', company: 'Acme', status: 'Lead' } },
    { fields: { email: 'bob@example.com', firstName: 'Bob', company: 'Beta', status: 'Customer' } },
    { fields: { email: 'dan@example.com', firstName: 'Dan', company: 'Delta', status: 'Lead' } },
  ]);
  right.seed('leads', [
    {
      fields: { email: 'ann@example.com', first_name: 'Ann', company: 'Acme', lead_status: 'NEW' },
    },
    {
      fields: {
        email: 'cat@example.com',
        first_name: 'Cat',
        company: 'Gamma',
        lead_status: 'LOST',
      },
    },
  ]);

  // Initial run: Ann is linked, Bob and Dan are created on the right, Cat on the left.
  const first = await run();
  expect(first).toMatchObject({ status: 'succeeded', error: null });
  const contacts = byEmail(left, 'contacts');
  const leads = byEmail(right, 'leads');
  expect([...contacts.keys()].sort()).toEqual([
    'ann@example.com',
    'bob@example.com',
    'cat@example.com',
    'dan@example.com',
  ]);
  expect([...leads.keys()].sort()).toEqual([...contacts.keys()].sort());
  expect(leads.get('bob@example.com')?.fields).toMatchObject({
    first_name: 'Bob',
    company: 'Beta',
    lead_status: 'WON',
  });
  expect(contacts.get('cat@example.com')?.fields).toMatchObject({
    firstName: 'Cat',
    company: 'Gamma',
    status: 'Lost',
  });

  const links: Array<{ left_id: string; right_id: string }> = await dataSource.query(
    `SELECT "left_id", "right_id" FROM "record_links" WHERE "sync_id" = $1 ORDER BY "left_id"`,
    [sync.id],
  );
  const expectedLinks = [...contacts.entries()]
    .map(([email, contact]) => ({ left_id: contact.id, right_id: leads.get(email)?.id }))
    .sort((a, b) => a.left_id.localeCompare(b.left_id));
  expect(links).toEqual(expectedLinks);

  const idsOf = (email: string): { left_id: string | undefined; right_id: string | undefined } => ({
    left_id: contacts.get(email)?.id,
    right_id: leads.get(email)?.id,
  });
  const firstEvents = await events(first.runId);
  expect(firstEvents).toEqual(
    expect.arrayContaining([
      expect.objectContaining({ action: 'linked', ...idsOf('ann@example.com') }),
      expect.objectContaining({ action: 'created', side: 'right', ...idsOf('bob@example.com') }),
      expect.objectContaining({ action: 'created', side: 'right', ...idsOf('dan@example.com') }),
      expect.objectContaining({ action: 'created', side: 'left', ...idsOf('cat@example.com') }),
    ]),
  );
  expect(firstEvents.filter((row) => row.action === 'created')).toHaveLength(3);
  const runs: Array<{ status: string; created: number; failed: number }> = await dataSource.query(
    `SELECT "status", "created", "failed" FROM "sync_runs" WHERE "id" = $1`,
    [first.runId],
  );
  expect(runs).toEqual([{ status: 'succeeded', created: 3, failed: 0 }]);

  // Incremental run: one edit on each side goes across, nothing else is written.
  await clock.advance(60_000);
  const bob = contacts.get('bob@example.com');
  const cat = leads.get('cat@example.com');
  if (bob === undefined || cat === undefined) throw new Error('records missing');
  left.update('contacts', bob.id, { company: 'Beta Inc' });
  right.update('leads', cat.id, { first_name: 'Caty' });
  const writesBefore = writes();
  const second = await run();
  expect(second).toMatchObject({ status: 'succeeded' });
  expect(right.getRecord('leads', idsOf('bob@example.com').right_id ?? '')?.fields).toMatchObject({
    company: 'Beta Inc',
  });
  expect(left.getRecord('contacts', idsOf('cat@example.com').left_id ?? '')?.fields).toMatchObject({
    firstName: 'Caty',
  });
  expect(writes() - writesBefore).toBe(2);
  const updates = (await events(second.runId)).filter((row) => row.action === 'updated');
  expect(updates).toEqual(
    expect.arrayContaining([
      expect.objectContaining({ side: 'right', fields: ['company'], ...idsOf('bob@example.com') }),
      expect.objectContaining({ side: 'left', fields: ['firstName'], ...idsOf('cat@example.com') }),
    ]),
  );
  expect(updates).toHaveLength(2);

  // Our own writes come back as changes: equal to the snapshot, never written again.
  await clock.advance(60_000);
  const writesBeforeThird = writes();
  const third = await run();
  expect(third).toMatchObject({
    status: 'succeeded',
    counters: expect.objectContaining({ created: 0, updated: 0 }) as unknown,
  });
  expect(writes()).toBe(writesBeforeThird);
  expect(
    (await events(third.runId)).filter(
      (row) => row.action === 'created' || row.action === 'updated',
    ),
  ).toEqual([]);
  const count: Array<{ n: number }> = await dataSource.query(
    `SELECT count(*)::int AS "n" FROM "record_links" WHERE "sync_id" = $1`,
    [sync.id],
  );
  expect(count).toEqual([{ n: 4 }]);
});

describe('one-way kinds on Postgres', () => {
  it('keeps the events ledger and the run counters: sent once, pending resent as duplicate', async () => {
    const clock = new FakeClock({ autoAdvance: true });
    const source = new MemoryBackend({ clock, idPrefix: 'S' });
    const target = new MemoryBackend({ clock, idPrefix: 'T' });
    const sync: AnySyncDefinition = {
      id: randomUUID(),
      kind: 'events',
      left: { object: 'deals' },
      right: { object: 'purchase' },
      identifiers: { email: 'email' },
      events: { key: 'deal-{id}' },
      mappings: [{ left: 'amount', right: 'value', direction: 'left_to_right' }],
      defaultPolicy: 'manual',
      tieBreaker: 'left',
      deletePolicy: 'ignore',
    };
    await createSyncRow(sync);
    const store = new TypeOrmSyncStore(dataSource);
    const options = { random: () => 0.5 };
    const run = (): Promise<SyncRunResult> =>
      runOneWaySync({
        definition: sync,
        source: createMemoryConnector(source, options),
        destination: createMemoryConnector(target, options),
        store,
        trigger: 'manual',
        clock,
      });
    source.seed('deals', [
      { id: 'd1', fields: { email: 'Ann@Example.com', amount: 10 } },
      { id: 'd2', fields: { email: 'bob@example.com', amount: 20 } },
    ]);
    target.faults.failAfterNext('append', 100);
    expect((await run()).status).toBe('failed');
    target.faults.reset();
    const pending: Array<{ event_key: string; status: string; payload: unknown }> =
      await dataSource.query(
        `SELECT "event_key", "status", "payload" FROM "event_ledger" WHERE "sync_id" = $1 ORDER BY 1`,
        [sync.id],
      );
    expect(pending.map((row) => [row.event_key, row.status])).toEqual([
      ['deal-d1', 'pending'],
      ['deal-d2', 'pending'],
    ]);
    expect(JSON.stringify(pending)).not.toContain('Example.com');
    const result = await run();
    expect(result.counters).toMatchObject({ duplicates: 2, sent: 0, failed: 0 });
    const settled: Array<{ status: string; payload: unknown; acknowledged_at: Date | null }> =
      await dataSource.query(
        `SELECT "status", "payload", "acknowledged_at" FROM "event_ledger" WHERE "sync_id" = $1`,
        [sync.id],
      );
    expect(settled.map((row) => [row.status, row.payload, row.acknowledged_at === null])).toEqual([
      ['duplicate', null, false],
      ['duplicate', null, false],
    ]);
    const [runRow] = await dataSource.query<
      Array<{ duplicates: number; sent: number; status: string }>
    >(`SELECT "duplicates", "sent", "status" FROM "sync_runs" WHERE "id" = $1`, [result.runId]);
    expect(runRow).toEqual({ duplicates: 2, sent: 0, status: 'succeeded' });
  });

  it('keeps the audience ledger: members with their hashes, removals settled', async () => {
    const clock = new FakeClock({ autoAdvance: true });
    const source = new MemoryBackend({ clock, idPrefix: 'S' });
    const target = new MemoryBackend({ clock, idPrefix: 'T' });
    target.createAudience('vip');
    const sync: AnySyncDefinition = {
      id: randomUUID(),
      kind: 'audience',
      left: {
        object: 'contacts',
        filter: { combine: 'all', conditions: [{ field: 'vip', op: 'eq', value: true }] },
      },
      right: { object: 'vip' },
      identifiers: { email: 'email' },
      mappings: [],
      defaultPolicy: 'manual',
      tieBreaker: 'left',
      deletePolicy: 'ignore',
    };
    await createSyncRow(sync);
    const store = new TypeOrmSyncStore(dataSource);
    const run = (): Promise<SyncRunResult> =>
      runOneWaySync({
        definition: sync,
        source: createMemoryConnector(source, { random: () => 0.5 }),
        destination: createMemoryConnector(target, { random: () => 0.5 }),
        store,
        trigger: 'manual',
        clock,
      });
    source.seed('contacts', [
      { id: 'c1', fields: { email: 'ann@example.com', vip: true } },
      { id: 'c2', fields: { email: 'bob@example.com', vip: true } },
    ]);
    expect((await run()).counters).toMatchObject({ added: 2 });
    await clock.advance(60_000);
    source.update('contacts', 'c2', { vip: false });
    const second = await run();
    expect(second.counters).toMatchObject({ added: 0, removed: 1 });
    const rows: Array<{ member_key: string; state: string; identifiers: unknown }> =
      await dataSource.query(
        `SELECT "member_key", "state", "identifiers" FROM "audience_members" WHERE "sync_id" = $1 ORDER BY 1`,
        [sync.id],
      );
    expect(rows.map((row) => [row.member_key, row.state])).toEqual([
      ['c1', 'member'],
      ['c2', 'removed'],
    ]);
    expect(JSON.stringify(rows)).not.toContain('@example.com');
    expect([...(target.audiences.get('vip')?.members.keys() ?? [])]).toEqual(['c1']);
  });
});
