/**
 * The queries that request a run: the sync's row locked, the one queued-or-running run a sync may
 * have (a unique index keeps it so across replicas), a queued run inserted. Domain errors only:
 * the feature that answers HTTP turns them into statuses.
 */
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, type EntityManager } from 'typeorm';
import type { RunTrigger } from '../engine';
import { SyncEntity } from './sync.entity';
import { SyncRunEntity } from './sync-run.entity';

/** A sync's due times a queued run moves on. */
export type DueTimes = Pick<Partial<SyncEntity>, 'nextRunAt' | 'webhookDueAt' | 'retryAt'>;

/** What a run is asked to do besides the usual. */
export interface RunScope {
  /** Read the sources whole (records: reconcile deletes; audiences: set to the source). */
  fullRefresh?: boolean;
  /** Retry the sync's due failed records only (by id), reading no changes. */
  retryOnly?: boolean;
  /** A person confirmed the first run, whatever its match-rate estimate. */
  confirmFirstRun?: boolean;
}

/** A run of the sync is already queued or running (its id when known). */
export class RunActiveError extends Error {
  constructor(
    readonly runId: string | null,
    readonly status: string | null,
  ) {
    super(
      runId === null
        ? 'A run of this sync is already queued or running'
        : `Run ${runId} of this sync is still ${status ?? 'active'}`,
    );
  }
}

/** The scheduler's and the API's queries that request runs. */
@Injectable()
export class RunRequestRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The sync's row, locked for the transaction; null when there is no such sync. */
  lockSync(manager: EntityManager, syncId: string): Promise<SyncEntity | null> {
    return manager
      .createQueryBuilder(SyncEntity, 's')
      .setLock('pessimistic_write')
      .where('s.id = :syncId', { syncId })
      .getOne();
  }

  /**
   * Inserts a queued run of a locked sync; RunActiveError when one is queued or running. Call inside
   * a transaction holding the sync's row lock.
   */
  async insertQueuedRun(
    manager: EntityManager,
    syncId: string,
    trigger: RunTrigger,
    scope: RunScope = {},
  ): Promise<SyncRunEntity> {
    const active = await manager.findOne(SyncRunEntity, {
      where: [
        { syncId, status: 'running' },
        { syncId, status: 'queued' },
      ],
    });
    if (active !== null) throw new RunActiveError(active.id, active.status);
    return manager.save(
      manager.create(SyncRunEntity, {
        id: randomUUID(),
        syncId,
        trigger,
        status: 'queued',
        fullRefresh: scope.fullRefresh ?? false,
        retryOnly: scope.retryOnly ?? false,
        firstRunConfirmed: scope.confirmFirstRun ?? false,
        startedAt: new Date(),
        finishedAt: null,
        error: null,
      }),
    );
  }

  /** Enabled syncs whose schedule, webhook or retry is due, the most overdue first. */
  async dueSyncIds(limit: number): Promise<string[]> {
    const rows: Array<{ id: string }> = await this.dataSource.query(
      `SELECT "id" FROM "syncs"
        WHERE "enabled" AND ("next_run_at" <= now() OR "webhook_due_at" <= now() OR "retry_at" <= now())
        ORDER BY LEAST("next_run_at", "webhook_due_at", "retry_at")
        LIMIT $1`,
      [limit],
    );
    return rows.map((row) => row.id);
  }

  /**
   * Syncs whose run waits for a worker that will not come: running with an expired lease, or queued
   * for longer than `requeueAfterSeconds` (its job lost).
   */
  async strandedSyncIds(requeueAfterSeconds: number): Promise<string[]> {
    const rows: Array<{ sync_id: string }> = await this.dataSource.query(
      `SELECT DISTINCT "sync_id" FROM "sync_runs"
        WHERE ("status" = 'running' AND "lease_expires_at" < now())
           OR ("status" = 'queued' AND "started_at" < now() - make_interval(secs => $1))`,
      [requeueAfterSeconds],
    );
    return rows.map((row) => row.sync_id);
  }

  /** A sync's name and connections, read outside any transaction (its budgets are looked up next). */
  async syncConnections(
    syncId: string,
  ): Promise<
    | { id: string; name: string; left_connection_id: string; right_connection_id: string }
    | undefined
  > {
    const rows = await this.dataSource.query<
      Array<{ id: string; name: string; left_connection_id: string; right_connection_id: string }>
    >(
      `SELECT "id", "name", "left_connection_id", "right_connection_id" FROM "syncs" WHERE "id" = $1`,
      [syncId],
    );
    return rows.at(0);
  }

  /** The enabled sync's row locked for the transaction, unless another transaction holds it. */
  lockEnabledSync(manager: EntityManager, syncId: string): Promise<SyncEntity | null> {
    return manager
      .createQueryBuilder(SyncEntity, 's')
      .setLock('pessimistic_write')
      .setOnLocked('skip_locked')
      .where('s.id = :syncId AND s.enabled', { syncId })
      .getOne();
  }

  /** The database's clock (every replica's schedule compares with the same one). */
  async databaseNow(manager: EntityManager): Promise<Date> {
    const rows = await manager.query<Array<{ now: Date }>>(`SELECT now() AS "now"`);
    const row = rows.at(0);
    if (row === undefined) throw new Error('SELECT now() answered no row');
    return row.now;
  }

  /** The sync's next due times after a run was queued; not a change of the sync (updatedAt kept). */
  async setDueTimes(manager: EntityManager, syncId: string, changes: DueTimes): Promise<void> {
    await manager
      .createQueryBuilder()
      .update(SyncEntity)
      .set({ ...changes, updatedAt: () => '"updated_at"' })
      .where('id = :syncId', { syncId })
      .execute();
  }
}
