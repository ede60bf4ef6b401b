import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The sync log keeps the record's match key as read (its email, lower-cased), so a record is found
 * by what people know even when it was never linked (a create that failed).
 */
export class RecordKey1764000012000 implements MigrationInterface {
  name = 'RecordKey1764000012000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "record_events" ADD "record_key" text NULL`);
    await queryRunner.query(
      `CREATE INDEX "IDX_record_events_sync_key" ON "record_events" ("sync_id", "record_key") WHERE "record_key" IS NOT NULL`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "IDX_record_events_sync_key"`);
    await queryRunner.query(`ALTER TABLE "record_events" DROP COLUMN "record_key"`);
  }
}
