import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Write intents (a batch's intended values, recorded before it is sent and closed by its page's
 * commit), the start of an unfinished unordered read on each cursor, and the note of a conflict
 * that opened again because its field changed after it was raised.
 */
export class WriteIntents1764000007000 implements MigrationInterface {
  name = 'WriteIntents1764000007000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "write_intents" (
        "id" uuid NOT NULL,
        "sync_id" uuid NOT NULL,
        "run_id" uuid NOT NULL,
        "side" text NOT NULL,
        "mode" text NOT NULL,
        "match_field" text NULL,
        "writes" jsonb NOT NULL,
        "at" timestamptz NOT NULL,
        CONSTRAINT "PK_write_intents" PRIMARY KEY ("id"),
        CONSTRAINT "CHK_write_intents_side" CHECK ("side" IN ('left', 'right')),
        CONSTRAINT "CHK_write_intents_mode" CHECK ("mode" IN ('create', 'update', 'upsert')),
        CONSTRAINT "FK_write_intents_sync" FOREIGN KEY ("sync_id")
          REFERENCES "syncs" ("id") ON DELETE CASCADE
      )`);
    await queryRunner.query(
      `CREATE INDEX "IDX_write_intents_sync_at" ON "write_intents" ("sync_id", "at")`,
    );
    await queryRunner.query(`ALTER TABLE "sync_cursors" ADD "read_started_at" timestamptz NULL`);
    await queryRunner.query(`ALTER TABLE "conflicts" ADD "note" text NULL`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "conflicts" DROP COLUMN "note"`);
    await queryRunner.query(`ALTER TABLE "sync_cursors" DROP COLUMN "read_started_at"`);
    await queryRunner.query(`DROP TABLE "write_intents"`);
  }
}
