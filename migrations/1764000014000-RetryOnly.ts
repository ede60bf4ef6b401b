import type { MigrationInterface, QueryRunner } from 'typeorm';

/** A run that retries the sync's due failed records only (by id), reading no changes. */
export class RetryOnly1764000014000 implements MigrationInterface {
  name = 'RetryOnly1764000014000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "sync_runs" ADD "retry_only" boolean NOT NULL DEFAULT false`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "sync_runs" DROP COLUMN "retry_only"`);
  }
}
