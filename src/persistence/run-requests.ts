/**
 * The queries that request a run: the sync's row locked, the one queued-or-running run a sync may
 * have (a unique index keeps it so across replicas), a queued run inserted. Domain errors only:
 * the feature that answers HTTP turns them into statuses.
 */
import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
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
