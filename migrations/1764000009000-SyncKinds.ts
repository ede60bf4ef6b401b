import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Sync kinds: the counters of events and audience runs, the events ledger (one row per event key
 * of a sync: what the destination said) and the audience ledger (one row per source record and
 * audience of a sync: its membership as pushed, with the identifier hashes it was pushed with).
 */
export class SyncKinds1764000009000 implements MigrationInterface {
  name = 'SyncKinds1764000009000';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const counter of ['sent', 'duplicates', 'too_old', 'no_consent', 'added', 'removed'])
      await queryRunner.query(
        `ALTER TABLE "sync_runs" ADD "${counter}" integer NOT NULL DEFAULT 0`,
      );
    await queryRunner.query(`
      CREATE TABLE "event_ledger" (
        "sync_id" uuid NOT NULL,
        "event_key" text NOT NULL,
        "source_id" text NOT NULL,
        "occurred_at" timestamptz NOT NULL,
        "status" text NOT NULL,
        "attempts" integer NOT NULL DEFAULT 0,
        "payload" jsonb NULL,
        "error_code" text NULL,
        "message" text NULL,
        "next_attempt_at" timestamptz NULL,
        "acknowledged_at" timestamptz NULL,
        "updated_at" timestamptz NOT NULL,
        CONSTRAINT "PK_event_ledger" PRIMARY KEY ("sync_id", "event_key"),
        CONSTRAINT "CHK_event_ledger_status" CHECK ("status" IN ('pending', 'sent', 'duplicate', 'too_old', 'no_consent', 'failed', 'dead')),
        CONSTRAINT "FK_event_ledger_sync" FOREIGN KEY ("sync_id")
          REFERENCES "syncs" ("id") ON DELETE CASCADE
      )`);
    await queryRunner.query(
      `CREATE INDEX "IDX_event_ledger_unsettled" ON "event_ledger" ("sync_id", "next_attempt_at") WHERE "status" IN ('pending', 'failed')`,
    );
    await queryRunner.query(`
      CREATE TABLE "audience_members" (
        "sync_id" uuid NOT NULL,
        "audience" text NOT NULL,
        "member_key" text NOT NULL,
        "identifiers" jsonb NOT NULL,
        "state" text NOT NULL,
        "attempts" integer NOT NULL DEFAULT 0,
        "error_code" text NULL,
        "message" text NULL,
        "next_attempt_at" timestamptz NULL,
        "updated_at" timestamptz NOT NULL,
        CONSTRAINT "PK_audience_members" PRIMARY KEY ("sync_id", "audience", "member_key"),
        CONSTRAINT "CHK_audience_members_state" CHECK ("state" IN ('pending_add', 'member', 'pending_remove', 'removed', 'rejected')),
        CONSTRAINT "FK_audience_members_sync" FOREIGN KEY ("sync_id")
          REFERENCES "syncs" ("id") ON DELETE CASCADE
      )`);
    await queryRunner.query(
      `CREATE INDEX "IDX_audience_members_pending" ON "audience_members" ("sync_id", "audience", "next_attempt_at") WHERE "state" IN ('pending_add', 'pending_remove')`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "audience_members"`);
    await queryRunner.query(`DROP TABLE "event_ledger"`);
    for (const counter of ['sent', 'duplicates', 'too_old', 'no_consent', 'added', 'removed'])
      await queryRunner.query(`ALTER TABLE "sync_runs" DROP COLUMN "${counter}"`);
  }
}
