import type { MigrationInterface, QueryRunner } from 'typeorm';

/** A sync's first run confirmed by a person: it runs whatever share of records would match. */
export class FirstRunConfirmed1764000018000 implements MigrationInterface {
  name = 'FirstRunConfirmed1764000018000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "sync_runs" ADD "first_run_confirmed" boolean NOT NULL DEFAULT false`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "sync_runs" DROP COLUMN "first_run_confirmed"`);
  }
}
