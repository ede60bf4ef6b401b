import type { MigrationInterface, QueryRunner } from 'typeorm';

/** A sync log line keeps the values before and after of the fields it wrote. */
export class LogValues1764000013000 implements MigrationInterface {
  name = 'LogValues1764000013000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "record_events" ADD "changes" jsonb NULL`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "record_events" DROP COLUMN "changes"`);
  }
}
