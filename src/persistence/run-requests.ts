/**
 * The queries that request a run: the sync's row locked, the one queued-or-running run a sync may
 * have (a unique index keeps it so across replicas), a queued run inserted. Domain errors only:
 * the feature that answers HTTP turns them into statuses.
 */
import { randomUUID } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import type { RunTrigger } from '../engine';
import { SyncEntity } from './sync.entity';
import { SyncRunEntity } from './sync-run.entity';

/** What a run is asked to do besides the usual. */
export interface RunScope {
  /** Read the sources whole (records: reconcile deletes; audiences: set to the source). */
  fullRefresh?: boolean;
  /** Retry the sync's due failed records only (by id), reading no changes. */
  retryOnly?: boolean;
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

/** The sync's row, locked for the transaction; null when there is no such sync. */
export function lockSync(manager: EntityManager, syncId: string): Promise<SyncEntity | null> {
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
export async function insertQueuedRun(
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
      startedAt: new Date(),
      finishedAt: null,
      error: null,
    }),
  );
}

/** Whether `error` is the unique index refusing a second active run (another replica's insert). */
export function isUniqueViolation(error: unknown): boolean {
  return (
    typeof error === 'object' &&
    error !== null &&
    'driverError' in error &&
    (error as { driverError: { code?: string } }).driverError.code === '23505'
  );
}

/** Enabled syncs whose schedule, webhook or retry is due, the most overdue first. */
export async function dueSyncIds(dataSource: DataSource, limit: number): Promise<string[]> {
  const rows: Array<{ id: string }> = await dataSource.query(
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
export async function strandedSyncIds(
  dataSource: DataSource,
  requeueAfterSeconds: number,
): Promise<string[]> {
  const rows: Array<{ sync_id: string }> = await dataSource.query(
    `SELECT DISTINCT "sync_id" FROM "sync_runs"
      WHERE ("status" = 'running' AND "lease_expires_at" < now())
         OR ("status" = 'queued' AND "started_at" < now() - make_interval(secs => $1))`,
    [requeueAfterSeconds],
  );
  return rows.map((row) => row.sync_id);
}

/** A sync's name and connections, read outside any transaction (its budgets are looked up next). */
export async function syncConnections(
  dataSource: DataSource,
  syncId: string,
): Promise<
  { id: string; name: string; left_connection_id: string; right_connection_id: string } | undefined
> {
  const rows = await dataSource.query<
    Array<{ id: string; name: string; left_connection_id: string; right_connection_id: string }>
  >(
    `SELECT "id", "name", "left_connection_id", "right_connection_id" FROM "syncs" WHERE "id" = $1`,
    [syncId],
  );
  return rows.at(0);
}

/** The enabled sync's row locked for the transaction, unless another transaction holds it. */
export function lockEnabledSync(
  manager: EntityManager,
  syncId: string,
): Promise<SyncEntity | null> {
  return manager
    .createQueryBuilder(SyncEntity, 's')
    .setLock('pessimistic_write')
    .setOnLocked('skip_locked')
    .where('s.id = :syncId AND s.enabled', { syncId })
    .getOne();
}

/** The database's clock (every replica's schedule compares with the same one). */
export async function databaseNow(manager: EntityManager): Promise<Date> {
  const rows = await manager.query<Array<{ now: Date }>>(`SELECT now() AS "now"`);
  const row = rows.at(0);
  if (row === undefined) throw new Error('SELECT now() answered no row');
  return row.now;
}

/** The sync's next due times after a run was queued; not a change of the sync (updatedAt kept). */
export async function setDueTimes(
  manager: EntityManager,
  syncId: string,
  changes: Pick<Partial<SyncEntity>, 'nextRunAt' | 'webhookDueAt' | 'retryAt'>,
): Promise<void> {
  await manager
    .createQueryBuilder()
    .update(SyncEntity)
    .set({ ...changes, updatedAt: () => '"updated_at"' })
    .where('id = :syncId', { syncId })
    .execute();
}
