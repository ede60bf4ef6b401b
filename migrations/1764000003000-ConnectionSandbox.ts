import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Connections flagged as sandbox may point at a loopback emulator (when the server allows it). */
export class ConnectionSandbox1764000003000 implements MigrationInterface {
  name = 'ConnectionSandbox1764000003000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "connections" ADD "sandbox" boolean NOT NULL DEFAULT false`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "connections" DROP COLUMN "sandbox"`);
  }
}
