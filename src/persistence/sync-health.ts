/**
 * The queries behind a finished run's outcome (runs/run-outcomes.ts): the sync read, its health
 * and retry written (never as a change of the sync: its updatedAt, and so its version's date, is
 * kept), and the runs and failed records the health and anomaly checks compare with.
 */
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In, Not } from 'typeorm';
import { FailedRecordEntity } from './failed-record.entity';
import { SyncEntity } from './sync.entity';
import { SyncRunEntity } from './sync-run.entity';

/** The queries of a run's outcome. */
@Injectable()
export class SyncHealthRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  findSync(syncId: string): Promise<SyncEntity | null> {
    return this.dataSource.getRepository(SyncEntity).findOneBy({ id: syncId });
  }

  /** Health, retry and alerting state of the sync after a run. */
  async setSyncHealth(
    syncId: string,
    changes: Pick<
      Partial<SyncEntity>,
      'consecutiveFailures' | 'health' | 'healthReason' | 'retryAt' | 'alerting'
    >,
  ): Promise<void> {
    await this.dataSource
      .getRepository(SyncEntity)
      .update({ id: syncId }, { ...changes, updatedAt: () => '"updated_at"' });
  }

  /** The sync's last finished run before `runId` (succeeded, partial or failed), if any. */
  previousFinishedRun(syncId: string, runId: string): Promise<SyncRunEntity | null> {
    return this.dataSource.getRepository(SyncRunEntity).findOne({
      where: { syncId, id: Not(runId), status: In(['succeeded', 'partial', 'failed']) },
      order: { startedAt: 'DESC' },
    });
  }

  /** The sync's last `take` runs before `runId` that ended with records (retry-only runs aside). */
  recentRecordRuns(syncId: string, runId: string, take: number): Promise<SyncRunEntity[]> {
    return this.dataSource.getRepository(SyncRunEntity).find({
      where: { syncId, id: Not(runId), status: In(['succeeded', 'partial']), retryOnly: false },
      order: { startedAt: 'DESC' },
      take,
    });
  }

  /** The sync's failed records waiting for a retry, and those given up. */
  async failedRecordCounts(syncId: string): Promise<{ queued: number; dead: number }> {
    const failedRecords = this.dataSource.getRepository(FailedRecordEntity);
    const [queued, dead] = await Promise.all([
      failedRecords.countBy({ syncId, dead: false }),
      failedRecords.countBy({ syncId, dead: true }),
    ]);
    return { queued, dead };
  }
}
