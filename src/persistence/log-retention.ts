/**
 * The sync log's retention: lines older than the retention are deleted in batches, oldest first
 * (the log is written in id order, so the primary key finds them without a scan of the rest).
 */
import type { DataSource } from 'typeorm';

/** Lines deleted per statement: short transactions, whatever the backlog. */
export const PRUNE_BATCH = 10_000;

/** Deletes the sync log's lines written before `before`; returns how many. */
export async function pruneSyncLog(dataSource: DataSource, before: Date): Promise<number> {
  let total = 0;
  for (;;) {
    // A DELETE answers [rows, count] through TypeORM.
    const [, deleted] = await dataSource.query<[unknown, number]>(
      `DELETE FROM "record_events" WHERE "id" IN (
         SELECT "id" FROM "record_events" WHERE "at" < $1 ORDER BY "id" LIMIT $2
       )`,
      [before, PRUNE_BATCH],
    );
    total += deleted;
    if (deleted < PRUNE_BATCH) return total;
  }
}
