import type { MigrationInterface, QueryRunner } from 'typeorm';

/** A sync is degraded when its runs end but records keep failing; the reason is kept in words. */
export class DegradedHealth1764000011000 implements MigrationInterface {
  name = 'DegradedHealth1764000011000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "syncs" DROP CONSTRAINT "CHK_syncs_health"`);
    await queryRunner.query(
      `ALTER TABLE "syncs" ADD CONSTRAINT "CHK_syncs_health" CHECK ("health" IN ('healthy', 'degraded', 'failing', 'unhealthy'))`,
    );
    await queryRunner.query(`ALTER TABLE "syncs" ADD "health_reason" text NULL`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "syncs" DROP COLUMN "health_reason"`);
    await queryRunner.query(`UPDATE "syncs" SET "health" = 'healthy' WHERE "health" = 'degraded'`);
    await queryRunner.query(`ALTER TABLE "syncs" DROP CONSTRAINT "CHK_syncs_health"`);
    await queryRunner.query(
      `ALTER TABLE "syncs" ADD CONSTRAINT "CHK_syncs_health" CHECK ("health" IN ('healthy', 'failing', 'unhealthy'))`,
    );
  }
}
