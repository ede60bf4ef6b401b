import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The access token last granted per connection, shared by connectors and replicas. */
export class ConnectionTokens1764000017000 implements MigrationInterface {
  name = 'ConnectionTokens1764000017000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "connection_tokens" (
        "connection_id" uuid NOT NULL,
        "token" bytea NOT NULL,
        "expires_at" timestamptz NULL,
        "granted_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "PK_connection_tokens" PRIMARY KEY ("connection_id"),
        CONSTRAINT "FK_connection_tokens_connection" FOREIGN KEY ("connection_id") REFERENCES "connections" ("id") ON DELETE CASCADE
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "connection_tokens"`);
  }
}
