/** The API's queries on failed records (the engine's own are in the sync store). */
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager, type WhereExpressionBuilder } from 'typeorm';
import type { Side } from '../engine';
import { FailedRecordEntity } from './failed-record.entity';

/** A set of a sync's failed records; an absent key does not narrow it. */
export interface FailedRecordFilter {
  syncId?: string;
  side?: Side;
  errorCode?: string;
  dead?: boolean;
  recordId?: string;
}

/** Where a page of failed records starts: after this record, in (first failure, key) order. */
export interface FailedRecordPosition {
  firstFailedAt: string;
  syncId: string;
  side: string;
  recordId: string;
}

/** The filter as SQL conditions (`prefix`: the alias and a dot, if any). */
function where(builder: WhereExpressionBuilder, filter: FailedRecordFilter, prefix = ''): void {
  if (filter.syncId !== undefined)
    builder.andWhere(`${prefix}sync_id = :syncId`, { syncId: filter.syncId });
  if (filter.side !== undefined) builder.andWhere(`${prefix}side = :side`, { side: filter.side });
  if (filter.errorCode !== undefined)
    builder.andWhere(`${prefix}error_code = :errorCode`, { errorCode: filter.errorCode });
  if (filter.dead !== undefined) builder.andWhere(`${prefix}dead = :dead`, { dead: filter.dead });
  if (filter.recordId !== undefined)
    builder.andWhere(`${prefix}record_id = :recordId`, { recordId: filter.recordId });
}

@Injectable()
export class FailedRecordRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Up to `limit + 1` failed records of the filter after `after`, oldest failure first. */
  page(
    filter: FailedRecordFilter,
    after: FailedRecordPosition | undefined,
    limit: number,
  ): Promise<FailedRecordEntity[]> {
    const builder = this.dataSource.manager
      .createQueryBuilder(FailedRecordEntity, 'f')
      .where('TRUE')
      .orderBy('f.first_failed_at', 'ASC')
      .addOrderBy('f.sync_id', 'ASC')
      .addOrderBy('f.side', 'ASC')
      .addOrderBy('f.record_id', 'ASC')
      .take(limit + 1);
    where(builder, filter, 'f.');
    if (after !== undefined)
      builder.andWhere(
        '(f.first_failed_at, f.sync_id, f.side, f.record_id) > (:firstFailedAt, :syncIdAfter, :sideAfter, :recordIdAfter)',
        {
          firstFailedAt: after.firstFailedAt,
          syncIdAfter: after.syncId,
          sideAfter: after.side,
          recordIdAfter: after.recordId,
        },
      );
    return builder.getMany();
  }

  /** The failed record, or null. */
  one(
    key: { syncId: string; side: Side; recordId: string },
    manager: EntityManager,
  ): Promise<FailedRecordEntity | null> {
    return manager.findOneBy(FailedRecordEntity, key);
  }

  /** Makes the failed records of the filter due now and no longer dead; how many. */
  async makeDue(
    filter: FailedRecordFilter & { syncId: string },
    manager: EntityManager,
  ): Promise<number> {
    const builder = manager
      .createQueryBuilder()
      .update(FailedRecordEntity)
      .set({ nextAttemptAt: () => 'now()', dead: false })
      .where('TRUE');
    where(builder, filter);
    return (await builder.execute()).affected ?? 0;
  }

  /** Removes the failed records of the filter; how many. */
  async delete(
    filter: FailedRecordFilter & { syncId: string },
    manager: EntityManager,
  ): Promise<number> {
    const builder = manager.createQueryBuilder().delete().from(FailedRecordEntity).where('TRUE');
    where(builder, filter);
    return (await builder.execute()).affected ?? 0;
  }
}
