/** The sync log's queries for the API: lines of a run, a sync or a record, and records by email. */
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { Side } from '../engine';
import { RecordEventEntity } from './record-event.entity';

/** Whose lines: a run's, a sync's, or one record's in a sync. */
export type EventScope =
  { runId: string } | { syncId: string } | { syncId: string; side: Side; recordId: string };

/** Lines of the scope that also match these; an absent key does not narrow it. */
export interface EventFilter {
  action?: string;
  errorCode?: string;
  /** A record on either side. */
  recordId?: string;
  /** One of the fields written or in conflict. */
  field?: string;
  runId?: string;
  /** The record's match key as read, or a record linked by it now. */
  email?: string;
  /** A value written, before or after (no field names). */
  text?: string;
  from?: string;
  to?: string;
}

/** A record, in some sync, by its ids on each side. */
export interface RecordMatch {
  syncId: string;
  syncName: string;
  leftId: string | null;
  rightId: string | null;
}

/**
 * Lines about the record with `:email`: its match key as read (so a failed create, never linked,
 * is found), or a record linked by it now (the link's snapshot of the match field).
 */
const EMAIL_CONDITION = `(e.record_key = lower(:email) OR EXISTS (
  SELECT 1 FROM "record_links" l JOIN "syncs" s ON s."id" = l."sync_id"
   WHERE l."sync_id" = e.sync_id
     AND (l."left_id" = e.left_id OR l."right_id" = e.right_id)
     AND (lower(l."snapshot"->'left'->>(s."definition"->'match'->>'left')) = lower(:email)
       OR lower(l."snapshot"->'right'->>(s."definition"->'match'->>'right')) = lower(:email))))`;

/** Lines whose values written, before or after, match the LIKE pattern `:text` (no field names). */
const TEXT_CONDITION = `EXISTS (SELECT 1 FROM jsonb_array_elements(e.changes) c
  WHERE (c->>'from') ILIKE :text ESCAPE '\\' OR (c->>'to') ILIKE :text ESCAPE '\\')`;

/** Lines deleted per statement by the retention: short transactions, whatever the backlog. */
const PRUNE_BATCH = 10_000;

/** A LIKE pattern that finds `text` anywhere, its wildcards taken literally. */
function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (char) => `\\${char}`)}%`;
}

@Injectable()
export class RecordEventRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Up to `limit + 1` lines of the scope and filter past the line `after` (an id), oldest first or
   * `newest` first.
   */
  page(
    scope: EventScope,
    filter: EventFilter,
    page: { after: string | undefined; limit: number; newest: boolean },
  ): Promise<RecordEventEntity[]> {
    const builder = this.dataSource.manager
      .createQueryBuilder(RecordEventEntity, 'e')
      .orderBy('e.id', page.newest ? 'DESC' : 'ASC')
      .take(page.limit + 1);
    if ('runId' in scope) builder.where('e.run_id = :runId', { runId: scope.runId });
    else builder.where('e.sync_id = :syncId', { syncId: scope.syncId });
    if ('recordId' in scope)
      builder.andWhere(`${scope.side === 'left' ? 'e.left_id' : 'e.right_id'} = :scopeRecordId`, {
        scopeRecordId: scope.recordId,
      });
    if (filter.action !== undefined)
      builder.andWhere('e.action = :action', { action: filter.action });
    if (filter.errorCode !== undefined)
      builder.andWhere('e.error_code = :errorCode', { errorCode: filter.errorCode });
    if (filter.recordId !== undefined)
      builder.andWhere('(e.left_id = :recordId OR e.right_id = :recordId)', {
        recordId: filter.recordId,
      });
    if (filter.field !== undefined)
      builder.andWhere(':field = ANY(e.fields)', { field: filter.field });
    if (filter.runId !== undefined)
      builder.andWhere('e.run_id = :filterRunId', { filterRunId: filter.runId });
    if (filter.email !== undefined)
      builder.andWhere(EMAIL_CONDITION, { email: filter.email.trim() });
    if (filter.text !== undefined)
      builder.andWhere(TEXT_CONDITION, { text: likePattern(filter.text.trim()) });
    if (filter.from !== undefined) builder.andWhere('e.at >= :from', { from: filter.from });
    if (filter.to !== undefined) builder.andWhere('e.at < :to', { to: filter.to });
    if (page.after !== undefined)
      builder.andWhere(page.newest ? 'e.id < :after' : 'e.id > :after', { after: page.after });
    return builder.getMany();
  }

  /**
   * The records, in every sync, whose match field equals `email` without case: the linked ones
   * (by the value last synced), and every record a log line was written about with that key as
   * read, so a record never linked (a create that failed) is found too. Up to 100.
   */
  async recordsByEmail(email: string): Promise<RecordMatch[]> {
    const rows = await this.dataSource.query<
      Array<{ sync_id: string; name: string; left_id: string | null; right_id: string | null }>
    >(
      `SELECT s."id" AS "sync_id", s."name", l."left_id", l."right_id"
         FROM "syncs" s
         JOIN "record_links" l ON l."sync_id" = s."id"
        WHERE lower(l."snapshot"->'left'->>(s."definition"->'match'->>'left')) = lower($1)
           OR lower(l."snapshot"->'right'->>(s."definition"->'match'->>'right')) = lower($1)
       UNION
       SELECT s."id", s."name", e."left_id", e."right_id"
         FROM "syncs" s
        CROSS JOIN LATERAL (
          SELECT DISTINCT "left_id", "right_id" FROM "record_events"
           WHERE "sync_id" = s."id" AND "record_key" = lower($1)
           LIMIT 100
        ) AS e
        ORDER BY 2, 3 NULLS LAST, 4 NULLS LAST
        LIMIT 100`,
      [email.trim()],
    );
    return rows.map((row) => ({
      syncId: row.sync_id,
      syncName: row.name,
      leftId: row.left_id,
      rightId: row.right_id,
    }));
  }

  /**
   * Deletes the lines written before `before`, in batches of PRUNE_BATCH, oldest first (the log
   * is written in id order, so the primary key finds them without a scan of the rest); how many.
   */
  async deleteBefore(before: Date): Promise<number> {
    let total = 0;
    for (;;) {
      // A DELETE answers [rows, count] through TypeORM.
      const [, deleted] = await this.dataSource.query<[unknown, number]>(
        `DELETE FROM "record_events" WHERE "id" IN (
           SELECT "id" FROM "record_events" WHERE "at" < $1 ORDER BY "id" LIMIT $2
         )`,
        [before, PRUNE_BATCH],
      );
      total += deleted;
      if (deleted < PRUNE_BATCH) return total;
    }
  }
}
