/** The API's queries on conflicts (the engine's own are in the sync store). */
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In, type EntityManager } from 'typeorm';
import type { ConflictResolution } from '../engine/ports';
import { ConflictEntity } from './conflict.entity';
import { pageAfter, type PageRequest } from './paging';

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

@Injectable()
export class ConflictRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  byId(
    id: string,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<ConflictEntity | null> {
    return manager.findOneBy(ConflictEntity, { id });
  }

  byIds(ids: string[], manager: EntityManager): Promise<ConflictEntity[]> {
    return manager.findBy(ConflictEntity, { id: In(ids) });
  }

  /** A page of conflicts, of one sync and one status when given, oldest first. */
  page(
    filter: { syncId?: string; status?: string },
    request: PageRequest,
  ): Promise<ConflictEntity[]> {
    const builder = this.dataSource.manager.createQueryBuilder(ConflictEntity, 'c');
    if (filter.syncId !== undefined)
      builder.andWhere('c.sync_id = :syncId', { syncId: filter.syncId });
    if (filter.status !== undefined)
      builder.andWhere('c.status = :status', { status: filter.status });
    return pageAfter(builder, request, { column: 'c.created_at', idColumn: 'c.id' });
  }

  /** Stores `resolution` on those of `ids` still open; the ids it resolved. */
  async resolveOpen(
    ids: string[],
    resolution: ConflictResolution,
    manager: EntityManager,
  ): Promise<Set<string>> {
    const result = await manager
      .createQueryBuilder()
      .update(ConflictEntity)
      .set({ status: 'resolved', resolution, resolvedAt: () => 'now()' })
      .where('id IN (:...ids) AND status = :open', { ids, open: 'open' })
      .returning(['id'])
      .execute();
    return new Set((result.raw as Array<{ id: string }>).map((row) => row.id));
  }

  /**
   * Why resolved conflicts are still not applied: the last failed write of each pair since its
   * resolution (the run logged a `failed` line for it), by conflict id.
   */
  async resolutionFailures(
    pairs: readonly ResolvedPair[],
  ): Promise<Map<string, ResolutionFailure>> {
    if (pairs.length === 0) return new Map();
    const rows = await this.dataSource.query<
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
}
