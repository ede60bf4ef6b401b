/**
 * The Postgres store against a real database: a fresh database on DATABASE_URL's server, or an
 * embedded Postgres when DATABASE_URL is unset. Every assertion reads back what a user would see.
 */
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { TestDatabase } from '../../test/support/database';
import { createTestDatabase } from '../../test/support/database';
import { createDataSource } from '../database/data-source';
import type { Side } from '../engine/definition';
import type {
  Conflict,
  FailedRecord,
  PageCommit,
  RecordEvent,
  RecordLink,
  WriteIntent,
} from '../engine/ports';
import { emptyCounters } from '../engine/ports';
import { EVENT_CHUNK } from './commit-page';
import { PersistenceError } from './sql';
import { TypeOrmSyncStore } from './typeorm-sync-store';

jest.setTimeout(120_000);

const T0 = '2024-05-01T10:00:00.000Z';
const T1 = '2024-05-01T11:00:00.000Z';
const T2 = '2024-05-01T12:00:00.000Z';

let database: TestDatabase | undefined;
let dataSource: DataSource;
let store: TypeOrmSyncStore;

async function createSync(): Promise<string> {
  const left = randomUUID();
  const right = randomUUID();
  const syncId = randomUUID();
  await dataSource.query(
    `INSERT INTO "connections" ("id", "name", "kind") VALUES ($1, $2, 'memory'), ($3, $4, 'memory')`,
    [left, `left-${left}`, right, `right-${right}`],
  );
  await dataSource.query(
    `INSERT INTO "syncs" ("id", "name", "left_connection_id", "right_connection_id", "definition")
     VALUES ($1, $2, $3, $4, '{}'::jsonb)`,
    [syncId, `sync-${syncId}`, left, right],
  );
  return syncId;
}

function page(syncId: string, runId: string, changes: Partial<PageCommit> = {}): PageCommit {
  return {
    syncId,
    runId,
    upsertLinks: [],
    removeLinks: [],
    events: [],
    upsertFailed: [],
    clearFailed: [],
    openConflicts: [],
    appliedConflicts: [],
    cursors: {},
    counters: emptyCounters(),
    ...changes,
  };
}

function link(leftId: string, rightId: string, email = `${leftId}@example.com`): RecordLink {
  return {
    leftId,
    rightId,
    snapshot: {
      left: { Email: email, Tags: ['a', 'b'], Score: 1.5 },
      right: { email, vip: true, phone: null },
    },
    leftUpdatedAt: T0,
    rightUpdatedAt: null,
  };
}

function event(syncId: string, runId: string, changes: Partial<RecordEvent> = {}): RecordEvent {
  return {
    runId,
    syncId,
    side: 'right',
    leftId: 'L1',
    rightId: 'R1',
    action: 'created',
    fields: ['email'],
    errorCode: null,
    message: null,
    at: T1,
    ...changes,
  };
}

function failed(
  syncId: string,
  side: Side,
  recordId: string,
  changes: Partial<FailedRecord> = {},
): FailedRecord {
  return {
    syncId,
    side,
    recordId,
    attempts: 1,
    nextAttemptAt: T1,
    errorCode: 'invalid_value',
    message: 'bad email',
    dead: false,
    operation: 'change',
    firstFailedAt: T0,
    lastFailedAt: T0,
    ...changes,
  };
}

function conflict(syncId: string, changes: Partial<Conflict> = {}): Conflict {
  return {
    id: randomUUID(),
    syncId,
    leftId: 'L1',
    rightId: 'R1',
    leftField: 'Phone',
    rightField: 'phone',
    leftValue: '+1 555 0100',
    rightValue: '+1 555 0199',
    status: 'open',
    resolution: null,
    createdAt: T0,
    ...changes,
  };
}

async function linkPairs(syncId: string): Promise<string[]> {
  const rows: Array<{ left_id: string; right_id: string }> = await dataSource.query(
    `SELECT "left_id", "right_id" FROM "record_links" WHERE "sync_id" = $1 ORDER BY "left_id"`,
    [syncId],
  );
  return rows.map((row) => `${row.left_id}-${row.right_id}`);
}

async function count(table: string, syncId: string): Promise<number> {
  const rows: Array<{ n: number }> = await dataSource.query(
    `SELECT count(*)::int AS "n" FROM "${table}" WHERE "sync_id" = $1`,
    [syncId],
  );
  return rows[0]?.n ?? 0;
}

async function runRow(runId: string): Promise<Record<string, unknown>> {
  const rows: Array<Record<string, unknown>> = await dataSource.query(
    `SELECT * FROM "sync_runs" WHERE "id" = $1`,
    [runId],
  );
  const row = rows.at(0);
  if (row === undefined) throw new Error(`no run ${runId}`);
  return row;
}

beforeAll(async () => {
  const created = await createTestDatabase();
  database = created;
  dataSource = createDataSource(created.url, { poolSize: 4, embedded: created.embedded });
  await dataSource.initialize();
  await dataSource.runMigrations();
  store = new TypeOrmSyncStore(dataSource);
});

afterAll(async () => {
  if (database === undefined) return;
  if (dataSource.isInitialized) await dataSource.destroy();
  await database.drop();
});

describe('runs', () => {
  it('starts a run, adds the counters of each page, saves progress and finishes', async () => {
    const syncId = await createSync();
    const run = await store.startRun(syncId, 'manual', T0);
    expect(run).toEqual({
      id: expect.any(String) as string,
      syncId,
      trigger: 'manual',
      status: 'running',
      counters: emptyCounters(),
      startedAt: T0,
      finishedAt: null,
      error: null,
    });

    const counters = {
      ...emptyCounters(),
      read: 10,
      created: 4,
      updated: 3,
      apiCalls: { left: 2, right: 1 },
    };
    await store.commitPage(page(syncId, run.id, { counters }));
    await store.commitPage(page(syncId, run.id, { counters: { ...counters, failed: 1 } }));
    expect(await runRow(run.id)).toMatchObject({
      status: 'running',
      read: 20,
      created: 8,
      updated: 6,
      failed: 1,
      api_calls_left: 4,
      api_calls_right: 2,
    });

    const total = {
      ...emptyCounters(),
      read: 30,
      skipped: 2,
      deleted: 1,
      conflicts: 1,
      apiCalls: { left: 3, right: 4 },
    };
    await store.finishRun(run.id, {
      status: 'partial',
      counters: total,
      finishedAt: T1,
      error: '1 record failed',
    });
    const row = await runRow(run.id);
    expect(row).toMatchObject({
      status: 'partial',
      trigger: 'manual',
      read: 30,
      skipped: 2,
      deleted: 1,
      conflicts: 1,
      api_calls_left: 3,
      api_calls_right: 4,
      error: '1 record failed',
    });
    expect((row.finished_at as Date).toISOString()).toBe(T1);
    expect((row.started_at as Date).toISOString()).toBe(T0);
  });

  it('refuses to finish a run that does not exist', async () => {
    const end = {
      status: 'succeeded' as const,
      counters: emptyCounters(),
      finishedAt: T1,
      error: null,
    };
    await expect(store.finishRun(randomUUID(), end)).rejects.toThrow(/does not exist/);
  });
});

describe('cursors', () => {
  it('has none at first, then the last one committed per side', async () => {
    const syncId = await createSync();
    const run = await store.startRun(syncId, 'schedule', T0);
    expect(await store.getCursor(syncId, 'left')).toBeNull();

    await store.commitPage(
      page(syncId, run.id, {
        cursors: {
          left: { since: T0, lastId: 'L9', checkpoint: { after: 'abc', page: 2, done: false } },
        },
      }),
    );
    expect(await store.getCursor(syncId, 'left')).toEqual({
      since: T0,
      lastId: 'L9',
      checkpoint: { after: 'abc', page: 2, done: false },
      deletedSince: null,
      readStartedAt: null,
    });
    expect(await store.getCursor(syncId, 'right')).toBeNull();

    await store.commitPage(
      page(syncId, run.id, {
        cursors: {
          left: { since: T1, lastId: 'L12', checkpoint: null, deletedSince: T2 },
          right: { since: null, lastId: null, checkpoint: { offset: 100 }, readStartedAt: T0 },
        },
      }),
    );
    expect(await store.getCursor(syncId, 'left')).toEqual({
      since: T1,
      lastId: 'L12',
      checkpoint: null,
      deletedSince: T2,
      readStartedAt: null,
    });
    expect(await store.getCursor(syncId, 'right')).toEqual({
      since: null,
      lastId: null,
      checkpoint: { offset: 100 },
      deletedSince: null,
      readStartedAt: T0,
    });
  });
});

describe('links', () => {
  it('finds links by either side in one call, with the snapshot and ISO timestamps', async () => {
    const syncId = await createSync();
    const other = await createSync();
    const run = await store.startRun(syncId, 'manual', T0);
    const otherRun = await store.startRun(other, 'manual', T0);
    await store.commitPage(
      page(syncId, run.id, { upsertLinks: [link('L1', 'R1'), link('L2', 'R2')] }),
    );
    await store.commitPage(page(other, otherRun.id, { upsertLinks: [link('L1', 'R9')] }));

    expect(await store.findLinks(syncId, 'left', [])).toEqual([]);
    const byLeft = await store.findLinks(syncId, 'left', ['L1', 'L3']);
    expect(byLeft).toEqual([link('L1', 'R1')]);
    const byRight = await store.findLinks(syncId, 'right', ['R2', 'R1', 'L1']);
    expect(byRight.map((found) => found.leftId).sort()).toEqual(['L1', 'L2']);
    expect(await store.findLinks(other, 'left', ['L1'])).toEqual([link('L1', 'R9')]);
  });

  it('replaces a link and its snapshot on a later page', async () => {
    const syncId = await createSync();
    const run = await store.startRun(syncId, 'manual', T0);
    await store.commitPage(page(syncId, run.id, { upsertLinks: [link('L1', 'R1')] }));
    const changed: RecordLink = {
      ...link('L1', 'R1', 'new@example.com'),
      leftUpdatedAt: T1,
      rightUpdatedAt: T2,
    };
    await store.commitPage(page(syncId, run.id, { upsertLinks: [changed] }));
    expect(await store.findLinks(syncId, 'right', ['R1'])).toEqual([changed]);
  });

  it('links a record once per side: a duplicate link fails the page, re-linking removes first', async () => {
    const syncId = await createSync();
    const run = await store.startRun(syncId, 'manual', T0);
    await store.commitPage(
      page(syncId, run.id, { upsertLinks: [link('L1', 'R1'), link('L2', 'R2'), link('L3', 'R3')] }),
    );

    // L1 is linked to R1: linking it to R3 too is a duplicate, as is linking L9 to R2.
    await expect(
      store.commitPage(page(syncId, run.id, { upsertLinks: [link('L4', 'R4'), link('L1', 'R3')] })),
    ).rejects.toThrow(/link a left record twice \(L1 is linked to R1\)/);
    await expect(
      store.commitPage(page(syncId, run.id, { upsertLinks: [link('L9', 'R2')] })),
    ).rejects.toMatchObject({
      code: '23505',
      constraint: 'UQ_record_links_right',
    });
    // Two pairs sharing a record within one page.
    await expect(
      store.commitPage(page(syncId, run.id, { upsertLinks: [link('L5', 'R5'), link('L5', 'R6')] })),
    ).rejects.toThrow(/duplicate link L5 <-> R6/);
    await expect(
      store.commitPage(page(syncId, run.id, { upsertLinks: [link('L7', 'R7'), link('L8', 'R7')] })),
    ).rejects.toThrow(/duplicate link L8 <-> R7/);
    expect(await linkPairs(syncId)).toEqual(['L1-R1', 'L2-R2', 'L3-R3']);

    // Removals apply before upserts: L1 takes R2 and L2 takes R1 in one page.
    await store.commitPage(
      page(syncId, run.id, {
        removeLinks: [
          { side: 'left', id: 'L1' },
          { side: 'left', id: 'L2' },
        ],
        upsertLinks: [
          link('L1', 'R2'),
          link('L2', 'R1'),
          link('L3', 'R3', 'same pair twice'),
          link('L3', 'R3'),
        ],
      }),
    );
    expect(await linkPairs(syncId)).toEqual(['L1-R2', 'L2-R1', 'L3-R3']);
    expect(await store.findLinks(syncId, 'left', ['L3'])).toEqual([link('L3', 'R3')]);
  });

  it('removes links by the id of either side', async () => {
    const syncId = await createSync();
    const run = await store.startRun(syncId, 'manual', T0);
    await store.commitPage(
      page(syncId, run.id, { upsertLinks: [link('L1', 'R1'), link('L2', 'R2'), link('L3', 'R3')] }),
    );
    await store.commitPage(
      page(syncId, run.id, {
        removeLinks: [
          { side: 'left', id: 'L1' },
          { side: 'right', id: 'R3' },
          { side: 'right', id: 'L2' },
        ],
      }),
    );
    expect(await linkPairs(syncId)).toEqual(['L2-R2']);
  });
});

describe('record events', () => {
  it('writes the sync log with every field of an event', async () => {
    const syncId = await createSync();
    const run = await store.startRun(syncId, 'manual', T0);
    await store.commitPage(
      page(syncId, run.id, {
        events: [
          event(syncId, run.id, {
            fields: ['email', 'first "name"', 'a,b', 'back\\slash', '名前', '{x}', ''],
          }),
          event(syncId, run.id, {
            side: 'left',
            leftId: null,
            rightId: 'R2',
            action: 'failed',
            fields: [],
            errorCode: 'invalid_value',
            message: 'Email is not valid',
            at: T2,
          }),
        ],
      }),
    );
    const rows: Array<Record<string, unknown>> = await dataSource.query(
      `SELECT * FROM "record_events" WHERE "run_id" = $1 ORDER BY "id"`,
      [run.id],
    );
    expect(rows).toEqual([
      expect.objectContaining({
        sync_id: syncId,
        side: 'right',
        left_id: 'L1',
        right_id: 'R1',
        action: 'created',
        fields: ['email', 'first "name"', 'a,b', 'back\\slash', '名前', '{x}', ''],
        error_code: null,
        message: null,
        at: new Date(T1),
      }),
      expect.objectContaining({
        side: 'left',
        left_id: null,
        right_id: 'R2',
        action: 'failed',
        fields: [],
        error_code: 'invalid_value',
        message: 'Email is not valid',
        at: new Date(T2),
      }),
    ]);
  });

  it('writes pages with more events than one INSERT carries', async () => {
    const syncId = await createSync();
    const run = await store.startRun(syncId, 'manual', T0);
    const events = Array.from({ length: EVENT_CHUNK * 2 + 7 }, (_, i) =>
      event(syncId, run.id, { leftId: `L${i}`, rightId: `R${i}` }),
    );
    await store.commitPage(page(syncId, run.id, { events }));
    expect(await count('record_events', syncId)).toBe(events.length);
    const last: Array<{ left_id: string }> = await dataSource.query(
      `SELECT "left_id" FROM "record_events" WHERE "run_id" = $1 ORDER BY "id" DESC LIMIT 1`,
      [run.id],
    );
    expect(last[0]?.left_id).toBe(`L${events.length - 1}`);
  });
});

describe('failed records', () => {
  it('lists the due ones oldest first, replaces and clears them', async () => {
    const syncId = await createSync();
    const other = await createSync();
    const run = await store.startRun(syncId, 'manual', T0);
    const otherRun = await store.startRun(other, 'manual', T0);
    await store.commitPage(
      page(syncId, run.id, {
        upsertFailed: [
          failed(syncId, 'left', 'L1', { nextAttemptAt: T1 }),
          failed(syncId, 'right', 'R1', { nextAttemptAt: T0 }),
          failed(syncId, 'left', 'L2', { nextAttemptAt: T2 }),
          failed(syncId, 'left', 'L3', { nextAttemptAt: T0, dead: true, attempts: 10 }),
        ],
      }),
    );
    await store.commitPage(
      page(other, otherRun.id, {
        upsertFailed: [failed(other, 'left', 'L1', { nextAttemptAt: T0 })],
      }),
    );

    const due = await store.dueFailedRecords(syncId, T1, 10);
    expect(due).toEqual([
      failed(syncId, 'right', 'R1', { nextAttemptAt: T0 }),
      failed(syncId, 'left', 'L1'),
    ]);
    expect(await store.dueFailedRecords(syncId, T2, 1)).toEqual([
      failed(syncId, 'right', 'R1', { nextAttemptAt: T0 }),
    ]);

    const retried = failed(syncId, 'left', 'L1', {
      attempts: 2,
      nextAttemptAt: T2,
      lastFailedAt: T1,
      errorCode: 'locked',
      message: 'row locked',
    });
    await store.commitPage(
      page(syncId, run.id, {
        upsertFailed: [retried],
        clearFailed: [{ side: 'right', recordId: 'R1' }],
      }),
    );
    expect(await store.dueFailedRecords(syncId, T1, 10)).toEqual([]);
    expect(await store.dueFailedRecords(syncId, T2, 10)).toEqual([
      retried,
      failed(syncId, 'left', 'L2', { nextAttemptAt: T2 }),
    ]);
    // The dead one stays listed in the table, never due.
    expect(await count('failed_records', syncId)).toBe(3);
  });

  it('keeps a record failed when one page both clears and fails it', async () => {
    const syncId = await createSync();
    const run = await store.startRun(syncId, 'manual', T0);
    await store.commitPage(page(syncId, run.id, { upsertFailed: [failed(syncId, 'left', 'L1')] }));
    const again = failed(syncId, 'left', 'L1', { attempts: 2, lastFailedAt: T1 });
    await store.commitPage(
      page(syncId, run.id, {
        clearFailed: [
          { side: 'left', recordId: 'L1' },
          { side: 'left', recordId: 'L2' },
        ],
        upsertFailed: [failed(syncId, 'left', 'L1', { attempts: 9 }), again],
      }),
    );
    expect(await store.findFailedRecords(syncId, 'left', ['L1', 'L2'])).toEqual([again]);
  });

  it('finds the failed records of given ids on one side, dead ones included', async () => {
    const syncId = await createSync();
    const run = await store.startRun(syncId, 'manual', T0);
    const dead = failed(syncId, 'left', 'L3', { dead: true, attempts: 10, operation: 'delete' });
    await store.commitPage(
      page(syncId, run.id, {
        upsertFailed: [failed(syncId, 'left', 'L1'), dead, failed(syncId, 'right', 'L1')],
      }),
    );
    expect(await store.findFailedRecords(syncId, 'left', [])).toEqual([]);
    const found = await store.findFailedRecords(syncId, 'left', ['L1', 'L2', 'L3']);
    expect(found.sort((a, b) => a.recordId.localeCompare(b.recordId))).toEqual([
      failed(syncId, 'left', 'L1'),
      dead,
    ]);
  });
});

describe('conflicts', () => {
  it('stores open conflicts, returns those a person resolved, and marks them applied', async () => {
    const syncId = await createSync();
    const run = await store.startRun(syncId, 'manual', T0);
    const first = conflict(syncId);
    const second = conflict(syncId, {
      leftId: 'L2',
      rightId: 'R2',
      leftValue: ['a', 'b'],
      rightValue: null,
      createdAt: T1,
    });
    await store.commitPage(page(syncId, run.id, { openConflicts: [first, second] }));
    expect(await store.resolvedConflicts(syncId)).toEqual([]);

    // What the conflicts API does when a person decides.
    await dataSource.query(
      `UPDATE "conflicts" SET "status" = 'resolved', "resolution" = $2::jsonb, "resolved_at" = now() WHERE "id" = $1`,
      [first.id, JSON.stringify({ side: 'right' })],
    );
    await dataSource.query(
      `UPDATE "conflicts" SET "status" = 'resolved', "resolution" = $2::jsonb, "resolved_at" = now() WHERE "id" = $1`,
      [second.id, JSON.stringify({ value: ['c'] })],
    );
    expect(await store.resolvedConflicts(syncId)).toEqual([
      { ...first, status: 'resolved', resolution: { side: 'right' } },
      { ...second, status: 'resolved', resolution: { value: ['c'] } },
    ]);

    // A retried page opening the same conflict leaves the person's decision alone.
    await store.commitPage(
      page(syncId, run.id, { openConflicts: [first], appliedConflicts: [second.id] }),
    );
    expect(await store.resolvedConflicts(syncId)).toEqual([
      { ...first, status: 'resolved', resolution: { side: 'right' } },
    ]);
    const rows: Array<{ status: string; applied: boolean }> = await dataSource.query(
      `SELECT "status", "applied_at" IS NOT NULL AS "applied" FROM "conflicts" WHERE "id" = $1`,
      [second.id],
    );
    expect(rows).toEqual([{ status: 'applied', applied: true }]);
  });
});

describe('write intents and reopened conflicts', () => {
  it('keeps an intent until a page commit closes it, per sync, oldest first', async () => {
    const syncId = await createSync();
    const other = await createSync();
    const run = await store.startRun(syncId, 'manual', T0);
    const intent = (id: string, at: string, sync = syncId): WriteIntent => ({
      id,
      syncId: sync,
      runId: run.id,
      side: 'right',
      mode: 'update',
      matchField: null,
      writes: [
        {
          sourceId: 'L1',
          targetId: 'R1',
          fields: { phone: '+1 555 8895', tags: ['a'] },
          sourceFields: { Phone: '+1 555 8895', Tags: ['a'] },
        },
      ],
      at,
    });
    const later = intent(randomUUID(), T1);
    const earlier = intent(randomUUID(), T0);
    await store.recordWriteIntents([later]);
    await store.recordWriteIntents([earlier, intent(randomUUID(), T0, other)]);
    expect(await store.openWriteIntents(syncId, 10)).toEqual([earlier, later]);
    expect(await store.openWriteIntents(syncId, 1)).toEqual([earlier]);

    await store.commitPage(page(syncId, run.id, { closeIntents: [earlier.id] }));
    expect(await store.openWriteIntents(syncId, 10)).toEqual([later]);
    expect(await store.openWriteIntents(other, 10)).toHaveLength(1);

    // The vendor job a batch became comes back with its intent, for a run that takes over.
    const job = { id: '750Dn0000000000001', object: 'Contact', mode: 'create' as const, state: {} };
    await store.recordIntentJob(later.id, job);
    expect(await store.openWriteIntents(syncId, 10)).toEqual([{ ...later, job }]);
  });

  it('opens a resolved conflict again with the values of now and a note', async () => {
    const syncId = await createSync();
    const run = await store.startRun(syncId, 'manual', T0);
    const first = conflict(syncId);
    await store.commitPage(page(syncId, run.id, { openConflicts: [first] }));
    await dataSource.query(
      `UPDATE "conflicts" SET "status" = 'resolved', "resolution" = $2::jsonb, "resolved_at" = now() WHERE "id" = $1`,
      [first.id, JSON.stringify({ side: 'right' })],
    );
    await store.commitPage(
      page(syncId, run.id, {
        reopenedConflicts: [
          { id: first.id, leftValue: 'newer', rightValue: null, note: 'left changed since' },
        ],
      }),
    );
    expect(await store.resolvedConflicts(syncId)).toEqual([]);
    const rows: unknown[] = await dataSource.query(
      `SELECT "status", "resolution", "resolved_at", "left_value", "right_value", "note"
         FROM "conflicts" WHERE "id" = $1`,
      [first.id],
    );
    expect(rows).toEqual([
      {
        status: 'open',
        resolution: null,
        resolved_at: null,
        left_value: 'newer',
        right_value: null,
        note: 'left changed since',
      },
    ]);
  });
});

describe('commitPage atomicity', () => {
  async function pageState(syncId: string, runId: string): Promise<unknown> {
    return {
      links: await linkPairs(syncId),
      events: await count('record_events', syncId),
      failed: await count('failed_records', syncId),
      conflicts: await count('conflicts', syncId),
      cursor: await store.getCursor(syncId, 'left'),
      read: (await runRow(runId)).read,
    };
  }

  function everything(syncId: string, runId: string): PageCommit {
    return page(syncId, runId, {
      removeLinks: [
        { side: 'left', id: 'L3' },
        { side: 'right', id: 'R1' },
      ],
      upsertLinks: [link('L1', 'R3'), link('L5', 'R5')],
      events: [event(syncId, runId), event(syncId, runId, { leftId: 'L5', rightId: 'R5' })],
      upsertFailed: [failed(syncId, 'left', 'L9')],
      clearFailed: [{ side: 'left', recordId: 'L8' }],
      openConflicts: [conflict(syncId)],
      cursors: { left: { since: T2, lastId: 'L5', checkpoint: null } },
      counters: { ...emptyCounters(), read: 5 },
    });
  }

  it('leaves nothing behind when a statement fails midway', async () => {
    const syncId = await createSync();
    const run = await store.startRun(syncId, 'manual', T0);
    await store.commitPage(
      page(syncId, run.id, {
        upsertLinks: [link('L1', 'R1'), link('L2', 'R2'), link('L3', 'R3')],
        upsertFailed: [failed(syncId, 'left', 'L8')],
        cursors: { left: { since: T0, lastId: 'L3', checkpoint: null } },
        counters: { ...emptyCounters(), read: 3 },
      }),
    );
    const before = await pageState(syncId, run.id);

    // An event of a run that does not exist fails on its foreign key, after links and failed
    // records were already written inside the transaction.
    const broken = everything(syncId, run.id);
    broken.events.push(event(syncId, randomUUID()));
    const failure = store.commitPage(broken);
    await expect(failure).rejects.toBeInstanceOf(PersistenceError);
    await expect(failure).rejects.toMatchObject({
      code: '23503',
      constraint: 'FK_record_events_run',
    });
    await expect(failure).rejects.not.toHaveProperty('parameters');
    expect(await pageState(syncId, run.id)).toEqual(before);

    // The run's counters are the last statement: failing there rolls back the rest too.
    await expect(
      store.commitPage({ ...everything(syncId, run.id), runId: randomUUID() }),
    ).rejects.toThrow(/does not exist/);
    expect(await pageState(syncId, run.id)).toEqual(before);

    // The same page on the right run commits all of it.
    await store.commitPage(everything(syncId, run.id));
    expect(await pageState(syncId, run.id)).toEqual({
      links: ['L1-R3', 'L2-R2', 'L5-R5'],
      events: 2,
      failed: 1,
      conflicts: 1,
      cursor: {
        since: T2,
        lastId: 'L5',
        checkpoint: null,
        deletedSince: null,
        readStartedAt: null,
      },
      read: 8,
    });
  });
});

describe('schema', () => {
  it('matches the entities (a generated migration would be empty)', async () => {
    const diff = await dataSource.driver.createSchemaBuilder().log();
    expect(diff.upQueries.map((query) => query.query)).toEqual([]);
  });

  it('migrates down and up again', async () => {
    const tables = async (): Promise<string[]> => {
      const rows: Array<{ table_name: string }> = await dataSource.query(
        `SELECT "table_name" FROM information_schema.tables WHERE "table_schema" = 'public' ORDER BY 1`,
      );
      return rows.map((row) => row.table_name);
    };
    const migrated = await tables();
    expect(migrated).toEqual(
      expect.arrayContaining([
        'conflicts',
        'failed_records',
        'record_events',
        'record_links',
        'sync_cursors',
        'sync_runs',
        'syncs',
      ]),
    );
    for (let i = 0; i < dataSource.migrations.length; i++) await dataSource.undoLastMigration();
    expect(await tables()).toEqual(['migrations']);

    await dataSource.runMigrations();
    expect(await tables()).toEqual(migrated);
    const syncId = await createSync();
    const run = await store.startRun(syncId, 'manual', T0);
    await store.commitPage(page(syncId, run.id, { upsertLinks: [link('L1', 'R1')] }));
    expect(await linkPairs(syncId)).toEqual(['L1-R1']);
  });
});
