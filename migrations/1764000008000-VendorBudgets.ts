import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The budgets a vendor last reported in its answers' headers, per connection. */
export class VendorBudgets1764000008000 implements MigrationInterface {
  name = 'VendorBudgets1764000008000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "connections" ADD COLUMN "vendor_budgets" jsonb NULL`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "connections" DROP COLUMN "vendor_budgets"`);
  }
}
