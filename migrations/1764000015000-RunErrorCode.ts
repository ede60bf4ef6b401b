import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The code of the error that stopped a failed run, beside its message (`budget_exhausted`…). */
export class RunErrorCode1764000015000 implements MigrationInterface {
  name = 'RunErrorCode1764000015000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "sync_runs" ADD "error_code" text`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "sync_runs" DROP COLUMN "error_code"`);
  }
}
