import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The audit log of changes made through the API. */
export class SyncsApi1764000004000 implements MigrationInterface {
  name = 'SyncsApi1764000004000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "audit_log" (
        "id" bigserial PRIMARY KEY,
        "at" timestamptz NOT NULL DEFAULT now(),
        "api_key_id" uuid NULL,
        "action" text NOT NULL,
        "target_type" text NOT NULL,
        "target_id" text NOT NULL,
        "details" jsonb NOT NULL DEFAULT '{}'::jsonb
      )`);
    await queryRunner.query(
      `CREATE INDEX "IDX_audit_log_target" ON "audit_log" ("target_type", "target_id", "at")`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "audit_log"`);
  }
}
