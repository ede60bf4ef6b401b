import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The history of the alerts each sync sent or tried to send. */
export class SentAlerts1764000016000 implements MigrationInterface {
  name = 'SentAlerts1764000016000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "sent_alerts" (
        "id" bigserial PRIMARY KEY,
        "sync_id" uuid NOT NULL,
        "at" timestamptz NOT NULL DEFAULT now(),
        "run_id" uuid NULL,
        "kind" text NOT NULL,
        "text" text NOT NULL,
        "delivered" boolean NOT NULL,
        "detail" text NOT NULL,
        CONSTRAINT "FK_sent_alerts_sync" FOREIGN KEY ("sync_id") REFERENCES "syncs" ("id") ON DELETE CASCADE
      )`);
    await queryRunner.query(
      `CREATE INDEX "IDX_sent_alerts_sync" ON "sent_alerts" ("sync_id", "at")`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "sent_alerts"`);
  }
}
