/** Keyset pages of a list ordered by (created_at, id), for the repositories' list queries. */
import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';

/** Where a page starts: after the row with this creation time and id. */
export interface PagePosition {
  createdAt: string;
  id: string;
}

/** A page asked for: `limit` rows after `after` (from the start when undefined). */
export interface PageRequest {
  after: PagePosition | undefined;
  limit: number;
}

/**
 * Orders `builder` by `column` (a timestamp) then `idColumn`, ascending, starting after
 * `page.after`, one row more than `limit` to tell whether a next page exists. The timestamp is
 * compared at millisecond precision, which is what a cursor carries: Postgres keeps microseconds,
 * and a row stamped by the database's now() would otherwise come back on the next page.
 */
export function pageAfter<T extends ObjectLiteral>(
  builder: SelectQueryBuilder<T>,
  page: PageRequest,
  columns: { column: string; idColumn: string },
): Promise<T[]> {
  const at = `date_trunc('milliseconds', ${columns.column})`;
  builder
    .orderBy(at, 'ASC')
    .addOrderBy(columns.idColumn, 'ASC')
    .take(page.limit + 1);
  if (page.after !== undefined) {
    builder.andWhere(`(${at}, ${columns.idColumn}) > (:cursorAt, :cursorId)`, {
      cursorAt: page.after.createdAt,
      cursorId: page.after.id,
    });
  }
  return builder.getMany();
}
