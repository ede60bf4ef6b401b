import type { MigrationInterface, QueryRunner } from 'typeorm';

/** API keys: a prefix to find one, a SHA-256 hash to prove it; the key itself is never stored. */
export class ApiKeys1764000002000 implements MigrationInterface {
  name = 'ApiKeys1764000002000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "api_keys" (
        "id" uuid PRIMARY KEY,
        "name" text NOT NULL,
        "role" text NOT NULL,
        "prefix" text NOT NULL UNIQUE,
        "key_hash" text NOT NULL,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "created_by" uuid NULL,
        "last_used_at" timestamptz NULL,
        "revoked_at" timestamptz NULL
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "api_keys"`);
  }
}
