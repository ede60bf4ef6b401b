import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The installation's identity row (created at first boot). */
export class Instance1764000000000 implements MigrationInterface {
  name = 'Instance1764000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "syncline_instance" (
        "id" uuid PRIMARY KEY,
        "version" text NOT NULL,
        "created_at" timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "syncline_instance"`);
  }
}
