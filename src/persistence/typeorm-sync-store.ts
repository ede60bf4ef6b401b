/**
 * The engine's persistence port on Postgres. Plain SQL on the pg clients of TypeORM's pool: the
 * hot path is one query per page for findLinks and one short transaction of (usually) one
 * set-based statement for commitPage (the embedded server runs one transaction at a time).
 * Postgres returns timestamps as Date; they leave the store as ISO strings.
 */
import { randomUUID } from 'node:crypto';
import type { PoolClient, QueryResultRow } from 'pg';
import type { DataSource } from 'typeorm';
import type { JobTicket } from '../../connectors/sdk/contract';
import type { Side } from '../engine/definition';
import type {
  Conflict,
  FailedRecord,
  LedgerEvent,
  LedgerMember,
  PageCommit,
  RecordLink,
  RunRecord,
  RunEnd,
  RunTrigger,
  SyncCursor,
  SyncStore,
  WriteIntent,
} from '../engine/ports';
import { emptyCounters } from '../engine/ports';
import { applyPageCommit, upsertLedgerEvents, upsertLedgerMembers } from './commit-page';
import { COUNTER_COLUMNS, afterCounterColumns, counterValues } from './counters';
import { clientOf, execute, isoOrNull, selectRows, toPersistenceError } from './sql';
import {
  type LinkRow,
  type CursorRow,
  type IntentRow,
  type FailedRow,
  type ConflictRow,
  conflictOf,
  type LedgerEventRow,
  ledgerEventOf,
  type LedgerMemberRow,
  ledgerMemberOf,
  toLink,
  writeIntentOf,
  idColumn,
  failedRecordOf,
} from './store-rows';

async function updateRun(
  client: PoolClient,
  runId: string,
  sql: string,
  parameters: unknown[],
): Promise<void> {
  const affected = await execute(client, sql, parameters);
  if (affected === 0) throw new Error(`Run ${runId} does not exist`);
}

export class TypeOrmSyncStore implements SyncStore {
  constructor(private readonly dataSource: DataSource) {}

  async getCursor(syncId: string, side: Side): Promise<SyncCursor | null> {
    const rows = await this.read<CursorRow>(
      'getCursor',
      `SELECT "since", "last_id", "checkpoint", "deleted_since", "read_started_at"
         FROM "sync_cursors" WHERE "sync_id" = $1 AND "side" = $2`,
      [syncId, side],
    );
    const row = rows.at(0);
    if (row === undefined) return null;
    return {
      since: isoOrNull(row.since),
      lastId: row.last_id,
      checkpoint: row.checkpoint,
      deletedSince: isoOrNull(row.deleted_since),
      readStartedAt: isoOrNull(row.read_started_at),
    };
  }

  async findLinks(syncId: string, side: Side, ids: string[]): Promise<RecordLink[]> {
    if (ids.length === 0) return [];
    const rows = await this.read<LinkRow>(
      'findLinks',
      // One unique-index probe per id whatever the statistics say: without LIMIT the planner
      // flattens the join, and on a growing table not yet analysed it reads every link of the
      // sync for each page (measured: 21 ms/page at 30k links, growing with the account).
      `SELECT l."left_id", l."right_id", l."snapshot", l."left_updated_at", l."right_updated_at"
         FROM unnest($2::text[]) AS i("id")
         CROSS JOIN LATERAL (
           SELECT * FROM "record_links" WHERE "sync_id" = $1 AND ${idColumn(side)} = i."id" LIMIT 1
         ) AS l`,
      [syncId, [...new Set(ids)]],
    );
    return rows.map(toLink);
  }

  async linksAfter(
    syncId: string,
    side: Side,
    afterId: string | null,
    limit: number,
  ): Promise<RecordLink[]> {
    // The (sync, id) index's order, in which `afterId` continues.
    const column = idColumn(side);
    const rows = await this.read<LinkRow>(
      'linksAfter',
      `SELECT "left_id", "right_id", "snapshot", "left_updated_at", "right_updated_at"
         FROM "record_links"
        WHERE "sync_id" = $1 AND ($2::text IS NULL OR ${column} > $2)
        ORDER BY ${column} LIMIT $3`,
      [syncId, afterId, limit],
    );
    return rows.map(toLink);
  }

  async commitPage(commit: PageCommit): Promise<void> {
    await this.transaction('commitPage', (client) => applyPageCommit(client, commit));
  }

  async findFailedRecords(syncId: string, side: Side, ids: string[]): Promise<FailedRecord[]> {
    if (ids.length === 0) return [];
    const rows = await this.read<FailedRow>(
      'findFailedRecords',
      `SELECT f.* FROM unnest($3::text[]) AS i("id")
         CROSS JOIN LATERAL (
           SELECT * FROM "failed_records" WHERE "sync_id" = $1 AND "side" = $2 AND "record_id" = i."id" LIMIT 1
         ) AS f`,
      [syncId, side, [...new Set(ids)]],
    );
    return rows.map(failedRecordOf);
  }

  async dueFailedRecords(syncId: string, now: string, limit: number): Promise<FailedRecord[]> {
    const rows = await this.read<FailedRow>(
      'dueFailedRecords',
      `SELECT * FROM "failed_records"
        WHERE "sync_id" = $1 AND NOT "dead" AND "next_attempt_at" <= $2
        ORDER BY "next_attempt_at", "first_failed_at", "side", "record_id"
        LIMIT $3`,
      [syncId, now, limit],
    );
    return rows.map(failedRecordOf);
  }

  async resolvedConflicts(syncId: string): Promise<Conflict[]> {
    const rows = await this.read<ConflictRow>(
      'resolvedConflicts',
      `SELECT "id", "sync_id", "left_id", "right_id", "left_field", "right_field", "left_value", "right_value",
              "status", "resolution", "created_at"
         FROM "conflicts" WHERE "sync_id" = $1 AND "status" = 'resolved'
        ORDER BY "created_at", "id"`,
      [syncId],
    );
    return rows.map(conflictOf);
  }

  /**
   * Committed at once and durably (not in a page's transaction): they must outlive a kill. One
   * statement for all of a page's batches, their rows as one JSON document.
   */
  async recordWriteIntents(intents: WriteIntent[]): Promise<void> {
    if (intents.length === 0) return;
    await this.write('recordWriteIntents', async (client) => {
      await execute(
        client,
        `INSERT INTO "write_intents" ("id", "sync_id", "run_id", "side", "mode", "match_field", "writes", "at")
         SELECT i."id", i."syncId", i."runId", i."side", i."mode", i."matchField", i."writes", i."at"
           FROM jsonb_to_recordset($1::jsonb) AS i(
             "id" uuid, "syncId" uuid, "runId" uuid, "side" text, "mode" text, "matchField" text,
             "writes" jsonb, "at" timestamptz)`,
        [JSON.stringify(intents)],
      );
    });
  }

  /** Committed at once too: a worker killed while the job runs leaves its ticket behind. */
  async recordIntentJob(intentId: string, job: JobTicket): Promise<void> {
    await this.write('recordIntentJob', async (client) => {
      await execute(client, `UPDATE "write_intents" SET "job" = $2::jsonb WHERE "id" = $1`, [
        intentId,
        JSON.stringify(job),
      ]);
    });
  }

  async openWriteIntents(syncId: string, limit: number): Promise<WriteIntent[]> {
    const rows = await this.read<IntentRow>(
      'openWriteIntents',
      `SELECT * FROM "write_intents" WHERE "sync_id" = $1 ORDER BY "at", "id" LIMIT $2`,
      [syncId, limit],
    );
    return rows.map(writeIntentOf);
  }

  async findLedgerEvents(syncId: string, keys: string[]): Promise<LedgerEvent[]> {
    if (keys.length === 0) return [];
    const rows = await this.read<LedgerEventRow>(
      'findLedgerEvents',
      `SELECT e.* FROM unnest($2::text[]) AS k("key")
         CROSS JOIN LATERAL (
           SELECT * FROM "event_ledger" WHERE "sync_id" = $1 AND "event_key" = k."key" LIMIT 1
         ) AS e`,
      [syncId, [...new Set(keys)]],
    );
    return rows.map(ledgerEventOf);
  }

  async dueLedgerEvents(syncId: string, now: string, limit: number): Promise<LedgerEvent[]> {
    const rows = await this.read<LedgerEventRow>(
      'dueLedgerEvents',
      `SELECT * FROM "event_ledger"
        WHERE "sync_id" = $1 AND "payload" IS NOT NULL
          AND ("status" = 'pending' OR ("status" = 'failed' AND coalesce("next_attempt_at" <= $2, true)))
        ORDER BY "occurred_at", "event_key"
        LIMIT $3`,
      [syncId, now, limit],
    );
    return rows.map(ledgerEventOf);
  }

  /** Committed at once and durably: a send must be on record before it leaves. */
  async recordPendingEvents(events: LedgerEvent[]): Promise<void> {
    await this.write('recordPendingEvents', (client) => upsertLedgerEvents(client, events));
  }

  async findLedgerMembers(
    syncId: string,
    audience: string,
    keys: string[],
  ): Promise<LedgerMember[]> {
    if (keys.length === 0) return [];
    const rows = await this.read<LedgerMemberRow>(
      'findLedgerMembers',
      `SELECT m.* FROM unnest($3::text[]) AS k("key")
         CROSS JOIN LATERAL (
           SELECT * FROM "audience_members"
            WHERE "sync_id" = $1 AND "audience" = $2 AND "member_key" = k."key" LIMIT 1
         ) AS m`,
      [syncId, audience, [...new Set(keys)]],
    );
    return rows.map(ledgerMemberOf);
  }

  async dueLedgerMembers(
    syncId: string,
    audience: string,
    now: string,
    limit: number,
  ): Promise<LedgerMember[]> {
    const rows = await this.read<LedgerMemberRow>(
      'dueLedgerMembers',
      `SELECT * FROM "audience_members"
        WHERE "sync_id" = $1 AND "audience" = $2 AND "state" IN ('pending_add', 'pending_remove')
          AND coalesce("next_attempt_at" <= $3, true)
        ORDER BY "updated_at", "member_key"
        LIMIT $4`,
      [syncId, audience, now, limit],
    );
    return rows.map(ledgerMemberOf);
  }

  async ledgerMembersIn(
    syncId: string,
    audience: string,
    afterKey: string | null,
    limit: number,
  ): Promise<LedgerMember[]> {
    const rows = await this.read<LedgerMemberRow>(
      'ledgerMembersIn',
      `SELECT * FROM "audience_members"
        WHERE "sync_id" = $1 AND "audience" = $2 AND "state" IN ('member', 'pending_add', 'pending_remove')
          AND ($3::text IS NULL OR "member_key" > $3)
        ORDER BY "member_key"
        LIMIT $4`,
      [syncId, audience, afterKey, limit],
    );
    return rows.map(ledgerMemberOf);
  }

  /** Committed at once and durably, before the call. */
  async recordPendingMembers(members: LedgerMember[]): Promise<void> {
    await this.write('recordPendingMembers', (client) => upsertLedgerMembers(client, members));
  }

  async startRun(syncId: string, trigger: RunTrigger, startedAt: string): Promise<RunRecord> {
    const run: RunRecord = {
      id: randomUUID(),
      syncId,
      trigger,
      status: 'running',
      counters: emptyCounters(),
      startedAt: new Date(startedAt).toISOString(),
      finishedAt: null,
      error: null,
    };
    await this.write('startRun', async (client) => {
      await execute(
        client,
        `INSERT INTO "sync_runs" ("id", "sync_id", "trigger", "status", "started_at") VALUES ($1, $2, $3, $4, $5)`,
        [run.id, syncId, trigger, run.status, startedAt],
      );
    });
    return run;
  }

  async finishRun(runId: string, result: RunEnd): Promise<void> {
    await this.write('finishRun', async (client) => {
      await updateRun(
        client,
        runId,
        `UPDATE "sync_runs" SET ${COUNTER_COLUMNS}, "status" = ${afterCounterColumns()},
                "finished_at" = ${afterCounterColumns(1)}, "error" = ${afterCounterColumns(2)},
                "error_code" = ${afterCounterColumns(3)}
          WHERE "id" = $1`,
        [
          runId,
          ...counterValues(result.counters),
          result.status,
          result.finishedAt,
          result.error,
          result.errorCode ?? null,
        ],
      );
    });
  }

  protected async read<T extends QueryResultRow>(
    operation: string,
    sql: string,
    parameters: unknown[],
  ): Promise<T[]> {
    return this.withClient(operation, (client) => selectRows<T>(client, sql, parameters));
  }

  /** Single statements (autocommit). */
  protected async write(
    operation: string,
    work: (client: PoolClient) => Promise<void>,
  ): Promise<void> {
    await this.withClient(operation, work);
  }

  protected async transaction(
    operation: string,
    work: (client: PoolClient) => Promise<void>,
  ): Promise<void> {
    await this.withClient(operation, async (client) => {
      await client.query('BEGIN');
      try {
        await work(client);
        await client.query('COMMIT');
      } catch (error) {
        // The statement's error is the one to report, even when the rollback fails too.
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      }
    });
  }

  /** A pooled connection through TypeORM, released whatever happens. */
  protected async withClient<T>(
    operation: string,
    work: (client: PoolClient) => Promise<T>,
  ): Promise<T> {
    const runner = this.dataSource.createQueryRunner();
    try {
      return await work(await clientOf(runner));
    } catch (error) {
      throw toPersistenceError(error, operation);
    } finally {
      await runner.release();
    }
  }
}
