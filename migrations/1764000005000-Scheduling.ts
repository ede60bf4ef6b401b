import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Scheduled and distributed runs: a schedule, health and alerts per sync; a lease per run and at
 * most one queued or running run per sync; an API budget per connection.
 */
export class Scheduling1764000005000 implements MigrationInterface {
  name = 'Scheduling1764000005000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE "syncs"
        ADD "schedule" jsonb NULL,
        ADD "next_run_at" timestamptz NULL,
        ADD "webhook_due_at" timestamptz NULL,
        ADD "retry_at" timestamptz NULL,
        ADD "consecutive_failures" integer NOT NULL DEFAULT 0,
        ADD "health" text NOT NULL DEFAULT 'healthy',
        ADD "alerts" jsonb NULL,
        ADD "alerting" boolean NOT NULL DEFAULT false,
        ADD CONSTRAINT "CHK_syncs_health" CHECK ("health" IN ('healthy', 'failing', 'unhealthy'))`);
    await queryRunner.query(
      `CREATE INDEX "IDX_syncs_next_run_at" ON "syncs" ("next_run_at") WHERE "next_run_at" IS NOT NULL`,
    );
    await queryRunner.query(`
      ALTER TABLE "sync_runs"
        ADD "worker_id" text NULL,
        ADD "lease_expires_at" timestamptz NULL,
        ADD "heartbeat_at" timestamptz NULL,
        ADD "takeovers" integer NOT NULL DEFAULT 0`);
    // Any run left queued or running by the in-process executor of earlier versions is over.
    await queryRunner.query(`
      UPDATE "sync_runs" SET "status" = 'failed', "finished_at" = now(),
             "error" = 'interrupted: the process running it stopped'
       WHERE "status" IN ('queued', 'running')`);
    await queryRunner.query(`
      CREATE UNIQUE INDEX "UQ_sync_runs_one_active" ON "sync_runs" ("sync_id")
       WHERE "status" IN ('queued', 'running')`);
    await queryRunner.query(`
      ALTER TABLE "connections"
        ADD "daily_call_budget" integer NULL,
        ADD "budget_threshold" double precision NOT NULL DEFAULT '0.75'`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "connections" DROP COLUMN "budget_threshold", DROP COLUMN "daily_call_budget"`,
    );
    await queryRunner.query(`DROP INDEX "UQ_sync_runs_one_active"`);
    await queryRunner.query(`
      ALTER TABLE "sync_runs" DROP COLUMN "takeovers", DROP COLUMN "heartbeat_at",
        DROP COLUMN "lease_expires_at", DROP COLUMN "worker_id"`);
    await queryRunner.query(`DROP INDEX "IDX_syncs_next_run_at"`);
    await queryRunner.query(`
      ALTER TABLE "syncs" DROP CONSTRAINT "CHK_syncs_health", DROP COLUMN "alerting",
        DROP COLUMN "alerts", DROP COLUMN "health", DROP COLUMN "consecutive_failures",
        DROP COLUMN "retry_at", DROP COLUMN "webhook_due_at", DROP COLUMN "next_run_at",
        DROP COLUMN "schedule"`);
  }
}
