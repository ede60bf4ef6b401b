import type { MigrationInterface, QueryRunner } from 'typeorm';

/** A run asked for as a full refresh of an audience (the whole source read, the audience set to it). */
export class FullRefresh1764000010000 implements MigrationInterface {
  name = 'FullRefresh1764000010000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "sync_runs" ADD "full_refresh" boolean NOT NULL DEFAULT false`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "sync_runs" DROP COLUMN "full_refresh"`);
  }
}
