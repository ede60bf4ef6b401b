/** The API's queries on runs (the worker's and the scheduler's are in run-requests and run-claims). */
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In } from 'typeorm';
import type { PagePosition } from './paging';
import { SyncRunEntity } from './sync-run.entity';

/** Runs of one sync, one status, started in [from, to); an absent key does not narrow it. */
export interface RunFilter {
  syncId?: string;
  status?: string;
  from?: string;
  to?: string;
}

@Injectable()
export class RunRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  byId(id: string): Promise<SyncRunEntity | null> {
    return this.dataSource.manager.findOneBy(SyncRunEntity, { id });
  }

  /** Up to `limit + 1` runs of the filter started before `before`, newest first. */
  page(
    filter: RunFilter,
    before: PagePosition | undefined,
    limit: number,
  ): Promise<SyncRunEntity[]> {
    const builder = this.dataSource.manager
      .createQueryBuilder(SyncRunEntity, 'r')
      .orderBy('r.started_at', 'DESC')
      .addOrderBy('r.id', 'DESC')
      .take(limit + 1);
    if (filter.syncId !== undefined)
      builder.andWhere('r.sync_id = :syncId', { syncId: filter.syncId });
    if (filter.status !== undefined)
      builder.andWhere('r.status = :status', { status: filter.status });
    if (filter.from !== undefined) builder.andWhere('r.started_at >= :from', { from: filter.from });
    if (filter.to !== undefined) builder.andWhere('r.started_at < :to', { to: filter.to });
    if (before !== undefined) builder.andWhere('(r.started_at, r.id) < (:createdAt, :id)', before);
    return builder.getMany();
  }

  /** Whether a run of the sync ever ended with its records read (succeeded or partial). */
  async hasEndedRun(syncId: string): Promise<boolean> {
    const found = await this.dataSource.manager.findOne(SyncRunEntity, {
      where: { syncId, status: In(['succeeded', 'partial']) },
      select: { id: true },
    });
    return found !== null;
  }

  /** The API calls the runs of every sync using the connection spent since `since`. */
  async callsOfConnectionSince(connectionId: string, since: Date): Promise<number> {
    const rows = await this.dataSource.query<Array<{ calls: string | null }>>(
      `SELECT SUM(CASE WHEN s."left_connection_id" = $1 THEN r."api_calls_left" ELSE 0 END
                + CASE WHEN s."right_connection_id" = $1 THEN r."api_calls_right" ELSE 0 END) AS "calls"
         FROM "sync_runs" r JOIN "syncs" s ON s."id" = r."sync_id"
        WHERE r."started_at" >= $2
          AND (s."left_connection_id" = $1 OR s."right_connection_id" = $1)`,
      [connectionId, since.toISOString()],
    );
    return Number(rows.at(0)?.calls ?? 0);
  }
}
