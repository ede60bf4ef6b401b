/**
 * The engine's store for one run executed under a lease. Every write of the run is fenced: it
 * lands only while this worker still holds the run (status running, worker_id ours). A worker
 * that lost its lease (it stalled past the expiry and another worker took the run over, or the
 * run was cancelled through the API) can therefore never commit a page next to the new owner.
 */
import type { PoolClient } from 'pg';
import type { DataSource } from 'typeorm';
import type { PageCommit, RunEnd } from '../engine/ports';
import { applyPageCommit } from './commit-page';
import { COUNTER_COLUMNS, afterCounterColumns, counterValues } from './counters';
import { execute } from './sql';
import { TypeOrmSyncStore } from './typeorm-sync-store';

/** The run is no longer this worker's: taken over after its lease expired, or cancelled. */
export class LeaseLostError extends Error {
  override readonly name = 'LeaseLostError';
}

export class LeasedRunStore extends TypeOrmSyncStore {
  /** Set by the worker when it shuts down: the run goes back to the queue instead of ending. */
  releasing = false;
  /** Done just before the run ends (what a reader of the ended run must find already written). */
  beforeFinish: (() => Promise<void>) | undefined;

  constructor(
    dataSource: DataSource,
    private readonly runId: string,
    private readonly workerId: string,
  ) {
    super(dataSource);
  }

  /** Locks the run's row for the transaction, or fails when the lease is gone. */
  private async holdLease(client: PoolClient): Promise<void> {
    const held = await client.query(
      `SELECT 1 FROM "sync_runs" WHERE "id" = $1 AND "worker_id" = $2 AND "status" = 'running' FOR UPDATE`,
      [this.runId, this.workerId],
    );
    if (held.rowCount === 0)
      throw new LeaseLostError(`Run ${this.runId} is no longer held by worker ${this.workerId}`);
  }

  override async commitPage(commit: PageCommit): Promise<void> {
    await this.transaction('commitPage', async (client) => {
      await this.holdLease(client);
      await applyPageCommit(client, commit);
    });
  }

  /**
   * Ends the run, or (shutting down, run cancelled by our own signal) puts it back in the queue
   * with its counters so another worker resumes it from the last checkpoint.
   */
  override async finishRun(runId: string, result: RunEnd): Promise<void> {
    const release = this.releasing && result.status === 'cancelled';
    await this.beforeFinish?.();
    await this.write('finishRun', async (client) => {
      const affected = release
        ? await execute(
            client,
            `UPDATE "sync_runs" SET ${COUNTER_COLUMNS}, "status" = 'queued', "worker_id" = NULL,
                    "lease_expires_at" = NULL
              WHERE "id" = $1 AND "worker_id" = ${afterCounterColumns()} AND "status" = 'running'`,
            [runId, ...counterValues(result.counters), this.workerId],
          )
        : await execute(
            client,
            `UPDATE "sync_runs" SET ${COUNTER_COLUMNS}, "status" = ${afterCounterColumns()},
                    "finished_at" = ${afterCounterColumns(1)}, "error" = ${afterCounterColumns(2)},
                    "error_code" = ${afterCounterColumns(3)}, "lease_expires_at" = NULL
              WHERE "id" = $1 AND "worker_id" = ${afterCounterColumns(4)} AND "status" = 'running'`,
            [
              runId,
              ...counterValues(result.counters),
              result.status,
              result.finishedAt,
              result.error,
              result.errorCode ?? null,
              this.workerId,
            ],
          );
      if (affected === 0)
        throw new LeaseLostError(`Run ${runId} is no longer held by worker ${this.workerId}`);
    });
  }
}
