/**
 * The worker's queries on the runs it executes: claim a pending run with a lease, renew the lease,
 * open the run's fenced store, cancel a run held elsewhere, keep what the vendors said of their
 * budgets.
 */
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Pool } from 'pg';
import { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import type { VendorBudget } from '../../connectors/sdk/rate-limiter';
import type { RunTrigger } from '../engine';
import { LeasedRunStore } from './leased-run-store';
import { SyncRunEntity } from './sync-run.entity';
import { recordVendorBudgets } from './vendor-budgets';

/** A run claimed by a worker, as it was before the claim. */
export interface ClaimedRow {
  id: string;
  sync_id: string;
  trigger: RunTrigger;
  previous_status: 'queued' | 'running';
  previous_worker: string | null;
  takeovers: number;
  full_refresh: boolean;
  retry_only: boolean;
  first_run_confirmed: boolean;
  /** And the counter columns (COUNTER_COLUMN_NAMES). */
  [counter: string]: unknown;
}

@Injectable()
export class RunLeases {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The database's pool, which the job queue shares (on the embedded database every connection counts). */
  pool(): Pool {
    return (this.dataSource.driver as PostgresDriver).master as Pool;
  }

  /**
   * Claims the sync's queued run, or its running run whose lease expired, for `workerId` with a
   * lease of `leaseSeconds`; undefined when there is none (or another worker is claiming it).
   */
  async claim(
    syncId: string,
    workerId: string,
    leaseSeconds: number,
  ): Promise<ClaimedRow | undefined> {
    // An UPDATE answers [rows, count] through TypeORM.
    const [rows]: [ClaimedRow[], number] = await this.dataSource.query(
      `WITH "old" AS (
         SELECT "id", "status", "worker_id" FROM "sync_runs"
          WHERE "sync_id" = $1
            AND ("status" = 'queued' OR ("status" = 'running' AND "lease_expires_at" < now()))
          LIMIT 1
          FOR UPDATE SKIP LOCKED
       )
       UPDATE "sync_runs" AS r
          SET "status" = 'running', "worker_id" = $2,
              "lease_expires_at" = now() + make_interval(secs => $3), "heartbeat_at" = now(),
              "takeovers" = r."takeovers" + CASE WHEN "old"."status" = 'running' THEN 1 ELSE 0 END
         FROM "old" WHERE r."id" = "old"."id"
       RETURNING r.*, "old"."status" AS "previous_status", "old"."worker_id" AS "previous_worker"`,
      [syncId, workerId, leaseSeconds],
    );
    return rows.at(0);
  }

  /** Renews the lease; false when the run is no longer the worker's (taken over or cancelled). */
  async renew(runId: string, workerId: string, leaseSeconds: number): Promise<boolean> {
    const result: [unknown[], number] = await this.dataSource.query(
      `UPDATE "sync_runs" SET "lease_expires_at" = now() + make_interval(secs => $3), "heartbeat_at" = now()
        WHERE "id" = $1 AND "worker_id" = $2 AND "status" = 'running'`,
      [runId, workerId, leaseSeconds],
    );
    return result[1] > 0;
  }

  /** The engine's store for the run, every write fenced by the worker's lease. */
  storeFor(runId: string, workerId: string): LeasedRunStore {
    return new LeasedRunStore(this.dataSource, runId, workerId);
  }

  /** Ends a queued run, or marks a running one cancelled for the worker holding it to notice. */
  async cancelUnfinished(runId: string): Promise<void> {
    await this.dataSource
      .createQueryBuilder()
      .update(SyncRunEntity)
      .set({ status: 'cancelled', finishedAt: () => 'now()', leaseExpiresAt: null })
      .where('id = :runId AND status IN (:...statuses)', {
        runId,
        statuses: ['queued', 'running'],
      })
      .execute();
  }

  /** Replaces the connection's vendor budgets by name with the newer figures of `budgets`. */
  keepVendorBudgets(connectionId: string, budgets: readonly VendorBudget[]): Promise<void> {
    return recordVendorBudgets(this.dataSource, connectionId, budgets);
  }
}
