/**
 * Why a resolved conflict is still not applied: the next run wrote its resolution and the vendor
 * refused the write (the run logged a `failed` line for the pair, and keeps trying at each run).
 */
import type { DataSource } from 'typeorm';

export interface ResolutionFailure {
  code: string;
  message: string;
  at: Date;
}

export interface ResolvedPair {
  id: string;
  syncId: string;
  leftId: string;
  rightId: string;
  resolvedAt: Date;
}

/** The last failed write of each pair since its resolution, by conflict id. */
export async function resolutionFailures(
  dataSource: DataSource,
  pairs: readonly ResolvedPair[],
): Promise<Map<string, ResolutionFailure>> {
  if (pairs.length === 0) return new Map();
  const rows = await dataSource.query<
    Array<{ id: string; error_code: string | null; message: string | null; at: Date }>
  >(
    `SELECT c."id", e."error_code", e."message", e."at"
       FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::timestamptz[])
            AS c("id", "sync_id", "left_id", "right_id", "resolved_at")
       CROSS JOIN LATERAL (
         SELECT "error_code", "message", "at" FROM "record_events" e
          WHERE e."sync_id" = c."sync_id" AND e."left_id" = c."left_id"
            AND e."right_id" = c."right_id" AND e."action" = 'failed'
            AND e."at" >= c."resolved_at"
          ORDER BY e."id" DESC LIMIT 1
       ) e`,
    [
      pairs.map((pair) => pair.id),
      pairs.map((pair) => pair.syncId),
      pairs.map((pair) => pair.leftId),
      pairs.map((pair) => pair.rightId),
      pairs.map((pair) => pair.resolvedAt),
    ],
  );
  return new Map(
    rows.map((row) => [
      row.id,
      { code: row.error_code ?? 'unknown', message: row.message ?? '', at: new Date(row.at) },
    ]),
  );
}
