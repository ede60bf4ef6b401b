import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Connectors by capability: the budgets a vendor last reported in its answers' headers, per
 * connection; and the vendor job (its ticket) an open write intent became, so that a run taking
 * over waits for that job instead of sending its writes again.
 */
export class ConnectorCapabilities1764000008000 implements MigrationInterface {
  name = 'ConnectorCapabilities1764000008000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "connections" ADD COLUMN "vendor_budgets" jsonb NULL`);
    await queryRunner.query(`ALTER TABLE "write_intents" ADD COLUMN "job" jsonb NULL`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "write_intents" DROP COLUMN "job"`);
    await queryRunner.query(`ALTER TABLE "connections" DROP COLUMN "vendor_budgets"`);
  }
}
